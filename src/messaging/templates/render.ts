import type { Money } from '../../domain/money.js';
import { bodyToHtml } from './body.js';
import { sampleContext, scopeShape, type TemplateScope, toScope, validationContexts } from './context.js';
import { describeError, limits, parse, partName, render, unknownFields } from './engine.js';
import { setScopeLocale } from './filters.js';
import { htmlEmail, textEmail } from './layout.js';
import { unmark } from './merged.js';
import { sanitizeEmailHtml } from './sanitize.js';
import {
  type RenderedEmail,
  type Template,
  type TemplateContext,
  TemplateError,
  type TemplatePart,
} from './types.js';

const parts: readonly TemplatePart[] = ['subject', 'text'];

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
function renderRaw(template: Template, scope: TemplateScope): Template {
  setScopeLocale(scope, scope.organisation.locale);
  const problems: string[] = [];
  const rendered: Template = { subject: '', text: '' };
  for (const part of parts) {
    try {
      rendered[part] = render(template[part], scope);
    } catch (error) {
      problems.push(describeError(part, error));
      continue;
    }
    if (part === 'text' && rendered.text.length > limits.outputChars) {
      problems.push(
        `${partName(part)}: the rendered email is larger than ${limits.outputChars / 1_000_000} MB`,
      );
    }
  }
  if (problems.length > 0) throw new TemplateError(problems);
  return rendered;
}

/**
 * The email as sent, from the rendered subject and body: a one-line subject; the text email is the
 * body in Dunwell's text frame; the HTML email is the same body made HTML (every character escaped,
 * then paragraphs, lists and links: `body.ts`) in the HTML frame (`layout.ts`), through the allow-list.
 */
function compose(rendered: Template, scope: TemplateScope): RenderedEmail {
  const body = cleanText(rendered.text);
  return {
    subject: cleanSubject(unmark(rendered.subject)),
    html: sanitizeEmailHtml(htmlEmail(scope, bodyToHtml(body)).trim()),
    text: textEmail(scope, unmark(body)),
  };
}

/**
 * Renders one email, on the calling thread (a render worker: see `pool.ts` for the API). Liquid fills
 * in the subject and the body as plain text; both the HTML and the text email are made from that one
 * body (see `compose`). The same template and context always give the same email. Throws a
 * TemplateError with readable problems when the template or the context is not usable.
 */
export function renderEmailSync(template: Template, context: TemplateContext): RenderedEmail {
  const problems = sourceProblems(template);
  if (problems.length > 0) throw new TemplateError(problems);
  const scope = toScope(context);
  return compose(renderRaw(template, scope), scope);
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

/** Elements a person might write in a body thinking it is HTML; they would show as written. */
const htmlElements = new Set(
  'a abbr b big blockquote body br button center code div em embed font form h1 h2 h3 h4 h5 h6 head hr html i iframe img input li link meta object ol p pre s script small span strong style sub sup svg table tbody td tfoot th thead title tr u ul'.split(
    ' ',
  ),
);

/** The HTML elements a body (as written, or as Liquid rendered it) has, each once. */
function markupIn(text: string): string[] {
  const found = new Set<string>();
  for (const [, name = ''] of text.matchAll(/<\/?([A-Za-z][A-Za-z0-9]*)(?=[\s/>])[^<>]*>/g))
    if (htmlElements.has(name.toLowerCase())) found.add(`<${name.toLowerCase()}>`);
  return [...found];
}

function markupProblem(text: string): string[] {
  const found = markupIn(text);
  return found.length === 0
    ? []
    : [
        `Body: is plain text, so ${found.join(', ')} would be shown as written, not as HTML; write a blank line between paragraphs, "- " before each item of a list, and web addresses in full (they become links)`,
      ];
}

/** Checks on the literal source that Liquid itself has no opinion on. */
function contentProblems(template: Template): string[] {
  const problems: string[] = [];
  if (/[\r\n]/.test(template.subject)) problems.push('Subject: must be a single line');
  if (/<\/?[A-Za-z][^<>]*>/.test(template.subject))
    problems.push('Subject: is plain text; remove the HTML tags');
  problems.push(...markupProblem(template.text));
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
      const unknown = unknownFields(part, parse(template[part]), scopeShape);
      problems.push(...unknown);
      if (unknown.length === 0) renderable.add(part);
    } catch (error) {
      problems.push(describeError(part, error));
    }
  }

  for (const [index, context] of validationContexts.entries()) {
    const scope = toScope(context);
    for (const part of renderable) {
      let raw: Template;
      try {
        // One part at a time, so a failing part does not hide another part's problem.
        raw = renderRaw({ subject: ' ', text: ' ', [part]: template[part] }, scope);
      } catch (error) {
        problems.push(...(error instanceof TemplateError ? error.problems : [describeError(part, error)]));
        renderable.delete(part);
        continue;
      }
      if (part === 'text') problems.push(...markupProblem(unmark(raw.text)));
      if (index > 0) continue;
      if (part === 'subject' && cleanSubject(raw.subject) === '') problems.push('Subject: renders empty');
      if (part === 'text' && cleanText(raw.text) === '') problems.push('Body: renders empty');
    }
  }
  const distinct = [...new Set(problems)];
  return distinct.length === 0 ? { ok: true } : { ok: false, problems: distinct };
}
