import type { Money } from '../../domain/money.js';
import { sampleContext, scopeShape, type TemplateScope, toScope, validationContexts } from './context.js';
import { describeError, engineFor, limits, parse, partName, render, unknownFields } from './engine.js';
import { setScopeLocale } from './filters.js';
import { sanitizeEmailHtml } from './sanitize.js';
import {
  type RenderedEmail,
  type Template,
  type TemplateContext,
  TemplateError,
  type TemplatePart,
} from './types.js';

const parts: readonly TemplatePart[] = ['subject', 'html', 'text'];

// Control characters (CR/LF would split a header), line separators and bidirectional overrides.
const unsafeSubjectCharacters = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]+/gu;
const htmlTag = /<\/?[A-Za-z!][^<>]*>/g;

/** A subject is one line of plain text: tags and control characters removed, at most 200 characters. */
export function cleanSubject(rendered: string): string {
  const flat = rendered
    .replace(htmlTag, '')
    .replace(unsafeSubjectCharacters, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const characters = Array.from(flat);
  if (characters.length <= limits.subjectChars) return flat;
  return `${characters
    .slice(0, limits.subjectChars - 1)
    .join('')
    .trimEnd()}…`;
}

/** Tidies the whitespace that tags leave behind: no trailing spaces, at most one blank line in a row. */
function cleanText(rendered: string): string {
  return rendered
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function sourceProblems(template: Template): string[] {
  const problems: string[] = [];
  for (const part of parts) {
    const source: unknown = template[part];
    if (typeof source !== 'string') {
      problems.push(`${partName(part)}: missing`);
      continue;
    }
    const bytes = Buffer.byteLength(source, 'utf8');
    if (bytes > limits.sourceBytes) {
      problems.push(
        `${partName(part)}: ${(bytes / 1024).toFixed(1)} kB is longer than the limit of ${limits.sourceBytes / 1024} kB`,
      );
    } else if (source.trim() === '') {
      problems.push(`${partName(part)}: empty`);
    }
  }
  return problems;
}

/** The parts as Liquid wrote them, before any cleaning. */
function renderRaw(template: Template, scope: TemplateScope): RenderedEmail {
  setScopeLocale(scope, scope.organisation.locale);
  const problems: string[] = [];
  const rendered: RenderedEmail = { subject: '', html: '', text: '' };
  for (const part of parts) {
    try {
      rendered[part] = render(engineFor(part), template[part], scope);
    } catch (error) {
      problems.push(describeError(part, error));
      continue;
    }
    if (part !== 'subject' && rendered[part].length > limits.outputChars) {
      problems.push(
        `${partName(part)}: the rendered email is larger than ${limits.outputChars / 1_000_000} MB`,
      );
    }
  }
  if (problems.length > 0) throw new TemplateError(problems);
  return rendered;
}

/** The email as sent: a one-line subject, the HTML through the allow-list, tidy text. */
function clean(rendered: RenderedEmail): RenderedEmail {
  return {
    subject: cleanSubject(rendered.subject),
    html: sanitizeEmailHtml(rendered.html.trim()),
    text: cleanText(rendered.text),
  };
}

/**
 * Renders one email, on the calling thread (a render worker: see `pool.ts` for the API). The HTML
 * part escapes every value and is then sanitised; the text part and the subject are plain text.
 * The same template and context always give the same email. Throws a TemplateError with readable
 * problems when the template or the context is not usable.
 */
export function renderEmailSync(template: Template, context: TemplateContext): RenderedEmail {
  const problems = sourceProblems(template);
  if (problems.length > 0) throw new TemplateError(problems);
  return clean(renderRaw(template, toScope(context)));
}

function totalsOf(invoices: TemplateContext['invoices']): Money[] {
  const totals = new Map<string, number>();
  for (const invoice of invoices) {
    const { currency, amountMinor } = invoice.balance;
    totals.set(currency, (totals.get(currency) ?? 0) + amountMinor);
  }
  return [...totals].map(([currency, amountMinor]) => ({ amountMinor, currency }));
}

/** The sample with the given parts replaced; totals and days follow given invoices unless given too. */
export function previewContext(sample: Partial<TemplateContext> = {}): TemplateContext {
  const merged: TemplateContext = { ...sampleContext, ...sample };
  if (sample.invoices !== undefined && sample.invoices.length > 0) {
    if (sample.totals === undefined) merged.totals = totalsOf(sample.invoices);
    if (sample.maxDaysOverdue === undefined) {
      merged.maxDaysOverdue = Math.max(...sample.invoices.map((invoice) => invoice.daysOverdue));
    }
  }
  return merged;
}

const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};

/** As the HTML part's output escaping writes it. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c);
}

/**
 * What the HTML says that email cannot carry, for a helpful message on save: checked on the source
 * (branches no sample reaches) and on the rendered sample (markup split by Liquid tags). Whatever
 * these miss, the sanitiser removes from every email sent.
 */
function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  if (/<script\b/i.test(html)) problems.push('HTML body: scripts are not allowed in email');
  if (/<[^>]*[\s/"']on[a-z]+\s*=/i.test(html)) {
    problems.push('HTML body: event handler attributes (onclick, onload, …) are not allowed in email');
  }
  if (/javascript:/i.test(html)) problems.push('HTML body: javascript: links are not allowed');
  if (/<meta\b[^>]*http-equiv/i.test(html)) {
    problems.push('HTML body: meta http-equiv (a refresh or redirect) is not allowed in email');
  }
  return problems;
}

/** How many of each tag and each `tag[attribute]` some HTML has. */
function markupOf(html: string): Map<string, number> {
  const found = new Map<string, number>();
  const count = (item: string) => found.set(item, (found.get(item) ?? 0) + 1);
  for (const [, tag = '', attributes = ''] of html.matchAll(/<([A-Za-z][A-Za-z0-9:-]*)([^>]*)>/g)) {
    const name = tag.toLowerCase();
    count(name);
    for (const [, attribute = ''] of attributes.matchAll(
      /([^\s"'=/<>]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?/g,
    ))
      count(`${name}[${attribute.toLowerCase()}]`);
  }
  return found;
}

/** What of the rendered HTML the sanitiser takes out (forms, SVG, frames, unsafe links and styles…). */
function removedMarkup(html: string): string[] {
  const kept = markupOf(sanitizeEmailHtml(html));
  const removed = [...markupOf(html)].flatMap(([item, count]) =>
    count > (kept.get(item) ?? 0) ? [item] : [],
  );
  const tags = removed.filter((item) => !item.includes('[') && item !== 'script' && item !== 'style');
  const attributes = removed.filter((item) => {
    const [tag = '', attribute = ''] = item.split(/[[\]]/);
    return item.includes('[') && !removed.includes(tag) && !/^on/.test(attribute);
  });
  const problems: string[] = [];
  if (removed.includes('style')) {
    problems.push(
      'HTML body: this <style> sheet is not allowed in email and would be removed (a sheet may only hold rules on classes, also inside @media, that set padding, margin, width, height, font-size, line-height or display to plain values)',
    );
  }
  if (tags.length > 0) {
    problems.push(
      `HTML body: ${tags.map((tag) => `<${tag}>`).join(', ')} ${tags.length === 1 ? 'is' : 'are'} not allowed in email and would be removed`,
    );
  }
  if (attributes.length > 0) {
    problems.push(
      `HTML body: ${attributes.map((item) => item.replace(/^(.*)\[(.*)\]$/, '$2 on <$1>')).join(', ')} ${attributes.length === 1 ? 'is' : 'are'} not allowed in email and would be removed (links must be http, https, mailto or tel; styles may not load anything)`,
    );
  }
  return problems;
}

/** Checks on the literal source that Liquid itself has no opinion on. */
function contentProblems(template: Template): string[] {
  const problems: string[] = [];
  if (/[\r\n]/.test(template.subject)) problems.push('Subject: must be a single line');
  if (/<\/?[A-Za-z][^<>]*>/.test(template.subject))
    problems.push('Subject: is plain text; remove the HTML tags');
  problems.push(...htmlProblems(template.html));
  return problems;
}

/** `validateTemplate` (see `pool.ts`), on the calling thread: a render worker. */
export function validateTemplateSync(template: Template): { ok: true } | { ok: false; problems: string[] } {
  const problems = sourceProblems(template);
  if (problems.length > 0) return { ok: false, problems };
  problems.push(...contentProblems(template));

  const renderable = new Set<TemplatePart>();
  for (const part of parts) {
    try {
      const unknown = unknownFields(part, parse(engineFor(part), template[part]), scopeShape);
      problems.push(...unknown);
      if (unknown.length === 0) renderable.add(part);
    } catch (error) {
      problems.push(describeError(part, error));
    }
  }

  for (const [index, context] of validationContexts.entries()) {
    const scope = toScope(context);
    for (const part of renderable) {
      let raw: RenderedEmail;
      try {
        // One part at a time, so a failing part does not hide another part's problem.
        raw = renderRaw({ subject: ' ', html: ' ', text: ' ', [part]: template[part] }, scope);
      } catch (error) {
        problems.push(...(error instanceof TemplateError ? error.problems : [describeError(part, error)]));
        renderable.delete(part);
        continue;
      }
      const rendered = clean(raw);
      if (part === 'html') problems.push(...htmlProblems(raw.html), ...removedMarkup(raw.html));
      if (index > 0) continue;
      if (part === 'subject' && rendered.subject === '') problems.push('Subject: renders empty');
      if (part === 'html' && !rendered.html.includes(escapeHtml(scope.portalUrl))) {
        problems.push(
          "HTML body: must link to the customer's page ({{ portalUrl }}), where they can pay or choose another option",
        );
      }
      if (part === 'text' && !rendered.text.includes(scope.portalUrl)) {
        problems.push(
          "Text body: must include the customer's page ({{ portalUrl }}), where they can pay or choose another option",
        );
      }
    }
  }
  const distinct = [...new Set(problems)];
  return distinct.length === 0 ? { ok: true } : { ok: false, problems: distinct };
}
