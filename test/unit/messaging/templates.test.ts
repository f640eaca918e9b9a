import { describe, expect, it } from 'vitest';
import {
  defaultTemplate,
  formatIsoDate,
  formatMoney,
  mergeFieldHelp,
  previewEmail,
  sampleContext,
  type Template,
  type TemplateContext,
  TemplateError,
  type Tone,
} from '../../../src/messaging/templates/index.js';
// The rules of rendering, on this thread; `pool.test.ts` covers the worker API around them.
import { renderEmailSync, validateTemplateSync } from '../../../src/messaging/templates/render.js';
import { activeMarkup, linksOf, textOf } from '../../helpers/hostile-email.js';

const tones: Tone[] = ['friendly', 'neutral', 'firm', 'formal', 'final'];

/** As Dunwell's frame writes a value in the HTML email (the body's links write `&amp;`). */
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The body as it opens the text email, before Dunwell's frame (the invoices, the account page). */
const bodyOf = (text: string) => text.split('\n\nInvoices for ')[0] ?? '';

function context(overrides: Partial<TemplateContext> = {}): TemplateContext {
  return { ...structuredClone(sampleContext), ...overrides };
}

const singleInvoice = context({
  invoices: [
    {
      number: '7001',
      dueDate: '2026-11-03',
      daysOverdue: 9,
      balance: { amountMinor: 48_000, currency: 'GBP' },
      total: { amountMinor: 48_000, currency: 'GBP' },
      payUrl: 'https://pay.example.com/i/7001?x=1&y=2',
    },
  ],
  totals: [{ amountMinor: 48_000, currency: 'GBP' }],
  maxDaysOverdue: 9,
});

const multiCurrency = context({
  invoices: [
    {
      number: 'A-1',
      dueDate: '2026-10-01',
      daysOverdue: 40,
      balance: { amountMinor: 123_456, currency: 'GBP' },
      total: { amountMinor: 150_000, currency: 'GBP' },
      payUrl: 'https://pay.example.com/i/a1?ref=A&b=c',
    },
    {
      number: 'A-2',
      dueDate: '2026-10-15',
      daysOverdue: 26,
      balance: { amountMinor: 99_900, currency: 'EUR' },
      total: { amountMinor: 99_900, currency: 'EUR' },
      payUrl: 'https://pay.example.com/i/a2',
    },
    {
      number: 'A-3',
      dueDate: '2026-11-01',
      daysOverdue: 10,
      balance: { amountMinor: 1_000, currency: 'GBP' },
      total: { amountMinor: 1_000, currency: 'GBP' },
      payUrl: 'https://pay.example.com/i/a3',
    },
  ],
  totals: [
    { amountMinor: 124_456, currency: 'GBP' },
    { amountMinor: 99_900, currency: 'EUR' },
  ],
  maxDaysOverdue: 40,
});

/** A small valid template around the given parts. */
function template(parts: Partial<Template>): Template {
  return {
    subject: 'Hello {{ debtor.name }}',
    text: '{{ debtor.name }} {{ portalUrl }}',
    ...parts,
  };
}

function problemsOf(parts: Partial<Template>): string[] {
  const result = validateTemplateSync(template(parts));
  return result.ok ? [] : result.problems;
}

function renderError(run: () => unknown): TemplateError {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

describe('default templates', () => {
  it.each(tones)('%s is valid', (tone) => {
    expect(validateTemplateSync(defaultTemplate(tone))).toEqual({ ok: true });
  });

  it.each(['installment', 'settlement'] as const)('%s is valid', (name) => {
    expect(validateTemplateSync(defaultTemplate(name))).toEqual({ ok: true });
  });

  it('reminds of a payment plan installment with its number, amount and date', () => {
    const email = renderEmailSync(defaultTemplate('installment'), {
      ...singleInvoice,
      installment: {
        number: 2,
        of: 4,
        amount: { amountMinor: 12_050, currency: 'GBP' },
        dueDate: '2026-12-01',
      },
      step: { key: 'installment-2', tone: 'friendly' },
    });
    expect(email.subject).toContain('installment 2 of 4 is due on 1 December 2026');
    for (const part of [email.html, email.text]) expect(part).toContain('£120.50');
  });

  it('offers a settlement with the amount and the date to pay by', () => {
    const email = renderEmailSync(defaultTemplate('settlement'), {
      ...singleInvoice,
      settlement: { amount: { amountMinor: 36_000, currency: 'GBP' }, payBy: '2026-12-07' },
      step: { key: 'settlement-1', tone: 'neutral' },
    });
    expect(email.subject).toMatch(/An offer to settle your balance/);
    for (const part of [email.html, email.text])
      expect(part).toContain('If you pay £360.00 by 7 December 2026');
    expect(email.text).toContain(sampleContext.portalUrl);
    expect(email.html).toContain(escapeHtml(sampleContext.portalUrl));
  });

  it.each(tones)('%s lists the single invoice, its pay link, the total and the alternatives', (tone) => {
    const email = renderEmailSync(defaultTemplate(tone), { ...singleInvoice, step: { key: tone, tone } });
    for (const part of [email.html, email.text]) {
      expect(part).toContain('7001');
      expect(part).toContain('£480.00');
      expect(part).toContain('Priya Shah');
      expect(part).toMatch(/in full or in part/);
      expect(part).toMatch(/the date you will pay/);
      expect(part).toMatch(/payment plan/);
      expect(part).toMatch(/something on an invoice looks wrong/);
    }
    expect(email.html).toContain(`href="${escapeHtml('https://pay.example.com/i/7001?x=1&y=2')}"`);
    expect(email.html).toContain(`href="${escapeHtml(sampleContext.portalUrl)}"`);
    expect(email.html).toMatch(/<table[\s\S]*<\/table>/);
    expect(email.text).toContain('https://pay.example.com/i/7001?x=1&y=2');
    expect(email.text).toContain(sampleContext.portalUrl);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.subject).toContain(sampleContext.organisation.name);
  });

  it.each(tones)('%s lists every invoice of a multi-currency debtor with one total per currency', (tone) => {
    const email = renderEmailSync(defaultTemplate(tone), { ...multiCurrency, step: { key: tone, tone } });
    for (const invoice of multiCurrency.invoices) {
      const payUrl = invoice.payUrl ?? '';
      expect(email.html).toContain(invoice.number ?? '');
      expect(email.text).toContain(invoice.number ?? '');
      expect(email.html).toContain(`href="${escapeHtml(payUrl)}"`);
      expect(email.text).toContain(payUrl);
    }
    for (const part of [email.html, email.text]) {
      expect(part).toContain('£1,244.56');
      expect(part).toContain('€999.00');
      expect(part).toContain('of £1,500.00');
    }
    expect(email.text).toContain('Total outstanding: £1,244.56 and €999.00');
    expect(email.html).toContain(escapeHtml(multiCurrency.portalUrl));
    expect(email.text).toContain(multiCurrency.portalUrl);
  });

  it('falls back to the portal link for an invoice without a pay link, and drops a non-http one', () => {
    const [invoice] = singleInvoice.invoices;
    if (!invoice) throw new Error('fixture');
    for (const payUrl of [null, 'javascript:alert(1)']) {
      const email = renderEmailSync(defaultTemplate('neutral'), {
        ...singleInvoice,
        invoices: [{ ...invoice, payUrl }],
      });
      expect(email.html).not.toContain('javascript:');
      expect(email.text).toContain(`Pay: ${singleInvoice.portalUrl}`);
    }
  });

  it('says what happens next only in the final notice, only when the step says so, in neutral words', () => {
    const withAgency = {
      ...multiCurrency,
      step: { key: 'final', tone: 'final' as const, nextAction: 'agency_referral' as const },
    };
    const final = renderEmailSync(defaultTemplate('final'), withAgency);
    expect(final.text).toContain('we may pass the account to a collection agency');
    expect(final.html).toContain('we may pass the account to a collection agency');

    const withoutNextAction = renderEmailSync(defaultTemplate('final'), {
      ...multiCurrency,
      step: { key: 'final', tone: 'final' },
    });
    expect(withoutNextAction.text).not.toMatch(/agency|court/i);

    const court = renderEmailSync(defaultTemplate('final'), {
      ...multiCurrency,
      step: { key: 'final', tone: 'final', nextAction: 'small_claims' },
    });
    expect(court.text).toContain('we may make a claim through the small claims court');

    for (const tone of tones.filter((t) => t !== 'final')) {
      const email = renderEmailSync(defaultTemplate(tone), withAgency);
      expect(email.text).not.toMatch(/agency|court/i);
    }
  });

  it.each(tones)('%s never threatens', (tone) => {
    const email = renderEmailSync(defaultTemplate(tone), {
      ...multiCurrency,
      lateFee: { explanation: 'Our terms allow a late fee.', total: { amountMinor: 2_500, currency: 'GBP' } },
      brokenPromise: { promisedDate: '2026-11-10' },
      step: { key: tone, tone, nextAction: 'agency_referral' },
    });
    expect(email.text).not.toMatch(
      /legal action|lawyer|solicitor|bailiff|credit (rating|score)|immediately|or else|consequences/i,
    );
    expect(email.text).toContain('10 November 2026');
    expect(email.text).toContain('£25.00');
  });

  it('renders deterministically', () => {
    const first = renderEmailSync(defaultTemplate('firm'), multiCurrency);
    expect(renderEmailSync(defaultTemplate('firm'), multiCurrency)).toEqual(first);
  });

  it('hands out copies, so editing one does not change the default', () => {
    const edited = defaultTemplate('friendly');
    edited.subject = 'changed';
    expect(defaultTemplate('friendly').subject).not.toBe('changed');
  });
});

describe('one body', () => {
  it('makes both the HTML and the text email: editing the body changes both', () => {
    const before = renderEmailSync(defaultTemplate('neutral'), singleInvoice);
    const edited = defaultTemplate('neutral');
    edited.text = edited.text.replace(
      'It may simply have slipped through',
      'Our new accounts system may have missed it',
    );
    const after = renderEmailSync(edited, singleInvoice);
    for (const email of [before, after]) expect(email.subject).toBe(before.subject);
    expect(textOf(before.html)).toContain('It may simply have slipped through');
    expect(before.text).toContain('It may simply have slipped through');
    expect(textOf(after.html)).toContain('Our new accounts system may have missed it');
    expect(after.text).toContain('Our new accounts system may have missed it');
    expect(textOf(after.html)).not.toContain('slipped through');
    expect(after.text).not.toContain('slipped through');
  });

  it('is the text email as written, with the invoices, the account page and other ways to pay after it', () => {
    const email = renderEmailSync(
      template({ text: 'Dear {{ contact.name }},\n\nPlease pay.\n\n- Online\n- By bank transfer\n\nThanks' }),
      singleInvoice,
    );
    expect(email.text).toBe(
      [
        'Dear Priya Shah,',
        '',
        'Please pay.',
        '',
        '- Online',
        '- By bank transfer',
        '',
        'Thanks',
        '',
        'Invoices for Kestrel Café Co.:',
        '- Invoice 7001, due 3 November 2026: £480.00 outstanding (9 days overdue)',
        '  Pay: https://pay.example.com/i/7001?x=1&y=2',
        'Total outstanding: £480.00',
        '',
        `Your account page (pay, choose a date or a plan, or tell us of a problem): ${sampleContext.portalUrl}`,
        '',
        'Other ways to pay:',
        'Bank transfer to Harbour Lane Joinery Ltd',
        'Sort code 04-00-04, account 12345678',
        '',
      ].join('\n'),
    );
  });

  it('makes paragraphs, line breaks, lists and links in the HTML email, inside the frame', () => {
    const email = renderEmailSync(
      template({
        text: 'Dear {{ contact.name }},\n\nPlease pay by Friday.\nThank you.\n\n- Online: {{ portalUrl }}\n- Or see https://example.com/help?a=1&b=2\n\nWrite to {{ organisation.email }}.',
      }),
      singleInvoice,
    );
    expect(email.html).toContain(
      '<p>Dear Priya Shah,</p>\n<p>Please pay by Friday.<br>\nThank you.</p>\n<ul>',
    );
    expect(email.html).toContain('<li>Or see <a href="https://example.com/help?a=1&amp;b=2">');
    expect(linksOf(email.html).map((link) => link.href)).toEqual([
      sampleContext.portalUrl,
      'https://example.com/help?a=1&b=2',
      `mailto:${sampleContext.organisation.email}`,
      'https://pay.example.com/i/7001?x=1&y=2',
      sampleContext.portalUrl,
    ]);
    // The frame: the business's name, the invoice table with its pay link, the account-page button.
    expect(email.html).toMatch(/^<!DOCTYPE html>\n<html lang="en-GB">/);
    expect(email.html).toContain('<strong style="font-size:18px;">Harbour Lane Joinery Ltd</strong>');
    expect(email.html).toMatch(/<table[\s\S]*7001[\s\S]*Pay now[\s\S]*<\/table>/);
    expect(email.html).toContain('Open your account page</a>');
  });

  it('shows a merged value from the ledger as text: a web address or a list in a name is no link and no list', () => {
    const hostile = 'Evil https://evil.example/pay\n- Click here <b>now</b>';
    const email = renderEmailSync(template({ text: 'Dear {{ contact.name }},\n\nPay at {{ portalUrl }}' }), {
      ...singleInvoice,
      contact: { ...singleInvoice.contact, name: hostile },
    });
    expect(linksOf(email.html).map((link) => link.href)).not.toContain('https://evil.example/pay');
    expect(email.html).toContain(
      'Dear Evil https://evil.example/pay<br>\n- Click here &lt;b&gt;now&lt;/b&gt;,',
    );
    expect(email.html).not.toMatch(/<li>Click here/);
    // A merged value that is a whole address is still a link; the text email says it all as written.
    expect(linksOf(email.html).map((link) => link.href)).toContain(sampleContext.portalUrl);
    expect(email.text).toContain(`Dear ${hostile},`);
  });

  it("takes the frame's colour and logo from the organisation, and only a plain colour and an https image", () => {
    const branded = renderEmailSync(template({}), {
      ...singleInvoice,
      organisation: {
        ...singleInvoice.organisation,
        brandColour: '#0b6e4f',
        logoUrl: 'https://cdn.example.com/logo.png',
      },
    });
    expect(branded.html).toContain('border-bottom:3px solid #0b6e4f');
    expect(branded.html).toContain('background:#0b6e4f');
    expect(branded.html).toContain(
      '<img src="https://cdn.example.com/logo.png" alt="Harbour Lane Joinery Ltd"',
    );
    const odd = renderEmailSync(template({}), {
      ...singleInvoice,
      organisation: {
        ...singleInvoice.organisation,
        brandColour: 'red;background:url(https://evil.example/x)',
        logoUrl: 'javascript:alert(1)',
      },
    });
    expect(odd.html).toContain('border-bottom:3px solid #1a5fb4');
    expect(odd.html).not.toMatch(/evil|javascript|<img/);
  });

  it('never lets markup in the body reach the HTML, however it is written', () => {
    const body = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(2)>',
      '<scr{{ "" }}ipt>alert(3)</scr{{ "" }}ipt>',
      '<a href="javascript:alert(4)">Pay</a> [Pay](javascript:alert(5)) javascript:alert(6)',
      '{{ "<svg/onload=alert(7)>" }} <iframe src=//evil.example></iframe> //evil.example',
      '<meta http-equiv=refresh content="0;url=https://evil.example"> <style>p{background:url(x)}</style>',
      '- <b onclick="x()">item</b>',
      '{{ debtor.name }}',
    ].join('\n\n');
    const email = renderEmailSync(template({ text: body }), {
      ...singleInvoice,
      debtor: { name: '[Pay](https://evil.example) <img src=x onerror=alert(8)>' },
    });
    expect(activeMarkup(email.html)).toEqual([]);
    expect(email.html).not.toMatch(/<(script|img|svg|iframe|meta http|style|b )/i);
    expect(email.html).not.toMatch(/<[^>]*\son[a-z]+=/i);
    // Only addresses written in full become links (a name's is a plain https link, like any other).
    expect(linksOf(email.html).every((link) => /^(https:|mailto:)/.test(link.href))).toBe(true);
    // Shown as the words they are, in both emails.
    expect(textOf(email.html)).toContain('<script>alert(1)</script>');
    expect(textOf(email.html)).toContain('<script>alert(3)</script>');
    expect(email.text).toContain('<script>alert(3)</script>');
  });
});

describe('escaping', () => {
  const hostile = context({
    organisation: { ...sampleContext.organisation, name: '{{ 7*7 }} & {% raw %}' },
    debtor: { name: '<script>alert(1)</script>' },
    contact: { name: '"><img src=x onerror=alert(1)>', email: 'x@example.com' },
  });

  it('leaves hostile names inert in the HTML part', () => {
    for (const tone of tones) {
      const { html } = renderEmailSync(defaultTemplate(tone), {
        ...hostile,
        contact: { name: null, email: 'x@example.com' },
      });
      expect(html).not.toContain('<script>');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('{{ 7*7 }} &amp; {% raw %}');
    }
    const { html } = renderEmailSync(defaultTemplate('neutral'), hostile);
    expect(html).not.toContain('<img');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('keeps the text part as plain, unescaped text', () => {
    const { text } = renderEmailSync(defaultTemplate('neutral'), hostile);
    expect(text).toContain('"><img src=x onerror=alert(1)>');
    expect(text).toContain('{{ 7*7 }} & {% raw %}');
    expect(text).not.toContain('&amp;');
  });

  it('escapes values even after | raw, and exactly once after | escape or through capture', () => {
    const email = renderEmailSync(
      template({
        text: '{{ debtor.name | raw }}\n\n{{ debtor.name | escape }}\n\n{% capture who %}Dear {{ debtor.name }}{% endcapture %}{{ who }}\n\n{% echo debtor.name %}',
      }),
      hostile,
    );
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('&amp;lt;');
    // Four times in the body (the frame's "Invoices for …" escapes it too, as `&#60;script&#62;`).
    expect(email.html.split('&lt;script&gt;alert(1)&lt;/script&gt;')).toHaveLength(5);
    expect(email.html).toContain('Invoices for &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(bodyOf(email.text).split('<script>alert(1)</script>')).toHaveLength(5);
  });

  it('makes the subject one line of plain text of at most 200 characters', () => {
    const email = renderEmailSync(
      template({ subject: '<b>Overdue</b>: {{ debtor.name }} – {{ contact.name }}' }),
      {
        ...hostile,
        debtor: { name: 'Acme\r\nBcc: victim@example.com\u2028<i>x</i>' },
      },
    );
    expect(email.subject).toBe('Overdue: Acme Bcc: victim@example.com x – ">');
    const long = renderEmailSync(
      template({ subject: '{{ debtor.name }} {{ debtor.name }}' }),
      context({ debtor: { name: 'ß'.repeat(150) } }),
    );
    expect(Array.from(long.subject)).toHaveLength(200);
    expect(long.subject.endsWith('…')).toBe(true);
  });
});

describe('validateTemplate', () => {
  it('reports an unknown merge field with where it is', () => {
    const problems = problemsOf({ text: 'Hi {{ debtr.name }} {{ portalUrl }}' });
    expect(problems).toEqual(['Body, line 1, column 7: unknown merge field "debtr.name"']);
  });

  it('reports a misspelt field in a branch that no sample reaches', () => {
    const problems = problemsOf({
      text: '{% if step.tone == "never" %}{{ debtor.nme }}{% endif %} {{ portalUrl }}',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Body, line 1, column \d+: unknown merge field "debtor\.nme"$/);
  });

  it('reports a misspelt field of a loop variable', () => {
    const problems = problemsOf({
      text: '{% for invoice in invoices %}{{ invoice.numbr }}{% endfor %} {{ portalUrl }}',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Body, line 1, column \d+: unknown merge field "invoice\.numbr"$/);
  });

  it('reports an unknown filter', () => {
    expect(problemsOf({ subject: 'Hi {{ debtor.name | shout }}' })).toEqual([
      'Subject, line 1, column 4: unknown filter "shout"',
    ]);
  });

  it('refuses prototype access', () => {
    const problems = problemsOf({
      text: '{{ debtor.name.constructor }} {{ debtor.__proto__ }} {{ portalUrl }}',
    });
    expect(problems.join('\n')).toContain('unknown merge field "debtor.name.constructor"');
    expect(problems.join('\n')).toContain('unknown merge field "debtor.__proto__"');
  });

  it('reports syntax errors', () => {
    expect(problemsOf({ text: '{% if debtor.name %}{{ portalUrl }}' })[0]).toMatch(
      /^Body, line 1, column 1: tag .* not closed/,
    );
    expect(problemsOf({ text: '{{ portalUrl }}\n{{ debtor.name' })[0]).toMatch(
      /^Body, line 2, column 1: output .* not closed/,
    );
  });

  it('refuses tags that read other templates', () => {
    expect(problemsOf({ text: '{% include "secrets" %} {{ portalUrl }}' })).toEqual([
      'Body, line 1, column 1: the "include" tag is not available in email templates',
    ]);
    expect(problemsOf({ text: "{% render '/etc/passwd' %} {{ portalUrl }}" })[0]).toContain(
      '"render" tag is not available',
    );
  });

  it('requires a single-line, plain-text subject', () => {
    expect(problemsOf({ subject: 'Hello\n{{ debtor.name }}' })).toContain('Subject: must be a single line');
    expect(problemsOf({ subject: '<b>Hello</b>' })).toContain('Subject: is plain text; remove the HTML tags');
  });

  it('limits each part to 20 kB', () => {
    const problems = problemsOf({ text: `{{ portalUrl }}${'x'.repeat(21 * 1024)}` });
    expect(problems).toEqual(['Body: 21.0 kB is longer than the limit of 20 kB']);
  });

  it('needs no link to the debtor page in the body: every email has it after the body', () => {
    expect(problemsOf({ text: 'Pay us, please.' })).toEqual([]);
    const email = renderEmailSync(template({ text: 'Pay us, please.' }), sampleContext);
    expect(email.text).toContain(sampleContext.portalUrl);
    expect(email.html).toContain(`href="${escapeHtml(sampleContext.portalUrl)}"`);
  });

  it('points out HTML in the body, as written or as Liquid puts it together, since it shows as written', () => {
    const written = problemsOf({ text: '<p onclick="x()">Pay</p> <script>x()</script> {{ portalUrl }}' });
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^Body: is plain text, so <p>, <script> would be shown as written/);
    const assembled = problemsOf({ text: '<scr{{ "" }}ipt>x()</script> {{ portalUrl }}' });
    expect(assembled.some((problem) => problem.includes('<script>'))).toBe(true);
    // Angle brackets that are not HTML are fine.
    expect(problemsOf({ text: 'Write to <accounts@example.com> if 2 < 3 > 1.' })).toEqual([]);
  });

  it('checks branches that only some debtors reach', () => {
    // The sample has no broken promise; the other validation debtors do.
    const problems = problemsOf({
      text: '{% if brokenPromise %}{{ brokenPromise.promisedDate | money }}{% endif %} {{ portalUrl }}',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('the money filter formats an amount');
  });

  it('fails fast on a loop of 10^7', () => {
    const started = performance.now();
    const problems = problemsOf({ text: '{% for i in (1..10000000) %}x{% endfor %} {{ portalUrl }}' });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(problems[0]).toMatch(/^Body, line 1, column 1: the template does too much work/);
    expect(() =>
      renderEmailSync(template({ text: '{% for i in (1..10000000) %}{{ i }}{% endfor %}' }), sampleContext),
    ).toThrow(TemplateError);
  });

  it('stops a render that runs too long', () => {
    const started = performance.now();
    const error = renderError(() =>
      renderEmailSync(
        template({
          text: '{% for a in (1..1500) %}{% for b in (1..1500) %}{{ a | times: b }}{% endfor %}{% endfor %}',
        }),
        sampleContext,
      ),
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(error.problems[0]).toMatch(
      /^Body, line 1, column \d+: the template (takes too long|does too much work)/,
    );
  });
});

describe('renderEmail', () => {
  it('reports an unusable context with the field that is wrong', () => {
    const error = renderError(() =>
      renderEmailSync(
        template({}),
        context({ totals: [{ amountMinor: 1.5, currency: 'GBP' }], portalUrl: 'ftp://x' }),
      ),
    );
    expect(error.problems).toContain('context.portalUrl: an http(s) address');
    expect(error.problems.some((problem) => problem.startsWith('context.totals.0.amountMinor'))).toBe(true);
  });

  it('ignores fields that are not part of the context', () => {
    const leaky = { ...context(), secret: 'token' } as TemplateContext;
    const error = renderError(() => renderEmailSync(template({ text: '{{ secret }}' }), leaky));
    expect(error.problems).toEqual(['Body, line 1, column 4: unknown merge field "secret"']);
  });
});

describe('filters', () => {
  const show = (source: string, locale: string, overrides: Partial<TemplateContext> = {}) =>
    renderEmailSync(
      template({ text: source }),
      context({ ...overrides, organisation: { ...sampleContext.organisation, locale } }),
    ).text.split('\n\nInvoices for ')[0];
  const amounts = (currency: string, amountMinor: number): Partial<TemplateContext> => ({
    totals: [{ amountMinor, currency }],
  });

  it('formats money in the organisation locale', () => {
    expect(show('{{ totals | money }}', 'en-GB', amounts('GBP', 123_456))).toBe('£1,234.56');
    expect(show('{{ totals | money }}', 'en-US', amounts('USD', 123_456))).toBe('$1,234.56');
    expect(show('{{ totals.first | money }}', 'en-US', amounts('GBP', -500))).toBe('-£5.00');
    expect(show('{{ totals | money }}', 'de-DE', amounts('EUR', 123_456))).toBe('1.234,56\u00a0€');
  });

  it('formats a zero-decimal currency without decimals', () => {
    const gb = show('{{ totals | money }}', 'en-GB', amounts('JPY', 1_235));
    const us = show('{{ totals | money }}', 'en-US', amounts('JPY', 1_235));
    expect(gb).toMatch(/^(JP)?¥1,235$/);
    expect(us).toBe('¥1,235');
    expect(formatMoney({ amountMinor: 1_235, currency: 'JPY' }, 'en-GB')).toBe(gb);
    expect(formatMoney({ amountMinor: 1_234_567, currency: 'BHD' }, 'en-US')).toMatch(/1,234\.567$/);
  });

  it('joins several totals as a list', () => {
    expect(
      show('{{ totals | money }}', 'en-GB', {
        totals: [
          { amountMinor: 100, currency: 'GBP' },
          { amountMinor: 200, currency: 'EUR' },
        ],
      }),
    ).toBe('£1.00 and €2.00');
  });

  it('formats ISO dates in the organisation locale, as written', () => {
    const promise = { brokenPromise: { promisedDate: '2026-11-03' } };
    expect(show('{{ brokenPromise.promisedDate | date }}', 'en-GB', promise)).toBe('3 November 2026');
    expect(show('{{ brokenPromise.promisedDate | date }}', 'en-US', promise)).toBe('November 3, 2026');
    expect(show("{{ brokenPromise.promisedDate | date: 'short' }}", 'en-GB', promise)).toBe('3 Nov 2026');
    expect(show("{{ brokenPromise.promisedDate | date: 'numeric' }}", 'en-GB', promise)).toBe('03/11/2026');
    expect(
      show('{{ brokenPromise.promisedDate | date }}', 'en-GB', {
        brokenPromise: { promisedDate: '2026-01-01T00:30:00+05:00' },
      }),
    ).toBe('1 January 2026');
    expect(show('[{{ brokenPromise.promisedDate | date }}]', 'en-GB', { brokenPromise: null })).toBe('[]');
    expect(formatIsoDate('2026-02-30', 'en-GB')).toBeNull();
  });

  it('refuses what is not a date or an amount', () => {
    expect(problemsOf({ text: '{{ debtor.name | date }} {{ portalUrl }}' })[0]).toContain(
      'the date filter formats a date such as invoice.dueDate',
    );
    expect(problemsOf({ text: '{{ debtor.name | money }} {{ portalUrl }}' })[0]).toContain(
      'the money filter formats an amount',
    );
    expect(problemsOf({ text: "{{ portalUrl }} {{ invoices.first.dueDate | date: 'weird' }}" })[0]).toContain(
      "the date filter takes 'long', 'short' or 'numeric'",
    );
  });

  it('picks the plural word by the locale rules', () => {
    const source = "{{ invoices.size }} {{ invoices.size | plural: 'invoice', 'invoices' }}";
    expect(show(source, 'en-GB')).toBe('2 invoices');
    expect(show(source, 'en-GB', { invoices: singleInvoice.invoices })).toBe('1 invoice');
    expect(show("{{ maxDaysOverdue | plural: 'day' }}", 'en-GB')).toBe('days');
  });

  it('falls back to English for an unknown locale rather than failing', () => {
    expect(show('{{ totals | money }}', 'not a locale', amounts('USD', 100))).toBe('$1.00');
  });

  it('has no clock or random source', () => {
    expect(problemsOf({ text: "{{ 'now' | date_to_string }} {{ portalUrl }}" })[0]).toContain(
      'unknown filter "date_to_string"',
    );
    expect(problemsOf({ text: '{{ invoices | sample }} {{ portalUrl }}' })[0]).toContain(
      'unknown filter "sample"',
    );
  });
});

describe('previewEmail', () => {
  it('renders the sample debtor', async () => {
    const email = await previewEmail(defaultTemplate('neutral'));
    expect(email.text).toContain('Hello Priya Shah,');
    expect(email.text).toContain('INV-1042');
    expect(email.text).toContain('£1,625.50');
  });

  it('merges the given parts over the sample, following given invoices with totals', async () => {
    const email = await previewEmail(defaultTemplate('firm'), {
      organisation: { ...sampleContext.organisation, name: 'Pendle Print Ltd', locale: 'en-US' },
      invoices: multiCurrency.invoices,
    });
    expect(email.subject).toBe('Payment overdue: £1,244.56 and €999.00 – Pendle Print Ltd');
    expect(email.text).toContain(sampleContext.contact.name ?? '');
    expect(email.text).toContain('October 1, 2026');
    expect(email.text).toContain('the oldest now 40 days overdue');
  });
});

describe('mergeFieldHelp', () => {
  it('documents every field with an example from the sample', () => {
    expect(mergeFieldHelp.length).toBeGreaterThan(20);
    for (const entry of mergeFieldHelp) {
      expect(entry.description).not.toBe('');
      if (entry.field.startsWith('{{')) expect(entry.example, entry.field).not.toBe('');
    }
    expect(mergeFieldHelp.find((entry) => entry.field === '{{ invoice.balance | money }}')?.example).toBe(
      '£1,245.50',
    );
  });
});
