import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderWeeklySummary } from '../../../src/messaging/render/weekly-summary-email.js';
import { defaultTemplate, renderEmail, sampleContext } from '../../../src/messaging/templates/index.js';
import { validateTemplateSync } from '../../../src/messaging/templates/render.js';
import {
  cleanEmailHtml,
  isAllowedStyleSheet,
  rememberSanitized,
  sanitizeEmailHtml,
} from '../../../src/messaging/templates/sanitize.js';
import { createLocalTransport } from '../../../src/messaging/transport/local.js';
import { createSendGridTransport } from '../../../src/messaging/transport/sendgrid.js';
import type { EmailTransport, OutgoingEmail } from '../../../src/messaging/transport/types.js';
import type { WeeklySummary } from '../../../src/reports/weekly-summary.js';
import {
  activeMarkup,
  elementCounts,
  fullSummary,
  hostile,
  hostileMarkup,
  linksOf,
  summaryLinksFixture,
  textOf,
} from '../../helpers/hostile-email.js';
import { hostileContext } from './fixtures/contexts.js';

const appLinks = Object.values(summaryLinksFixture).filter((link): link is string => link !== null);

/** The summary in each of its shapes: full, the cheerful one, a preview, one with only problems. */
function summaryShapes(text?: (plain: string) => string): Array<[string, string]> {
  const full = fullSummary(text);
  const cheerful: WeeklySummary = { ...full, nothingOverdue: true, connectionProblems: [] };
  const quiet: WeeklySummary = {
    ...full,
    flags: { total: 0, shown: [] },
    waiting: { plans: 0, messages: 0 },
    largest: [],
    connectionProblems: [
      { vendor: 'quickbooks', companyName: null, kind: 'needs_reconnect', detail: null },
      { vendor: 'xero', companyName: full.organisation.name, kind: 'disconnected', detail: null },
    ],
  };
  return [
    ['the full summary', renderWeeklySummary(full, summaryLinksFixture).html],
    ['the cheerful summary', renderWeeklySummary(cheerful, summaryLinksFixture).html],
    [
      'a preview (no unsubscribe link)',
      renderWeeklySummary(full, { ...summaryLinksFixture, unsubscribeUrl: null }).html,
    ],
    ['a summary of connection problems', renderWeeklySummary(quiet, summaryLinksFixture).html],
  ];
}

describe('the weekly summary through the email allow-list', () => {
  it.each(summaryShapes())(
    'leaves %s exactly as built: layout, style sheet, links and text',
    (_name, html) => {
      const sanitized = sanitizeEmailHtml(html);
      // Nothing visible changes…
      expect(textOf(sanitized)).toBe(textOf(html));
      expect(linksOf(sanitized)).toEqual(linksOf(html));
      expect(elementCounts(sanitized)).toEqual(elementCounts(html));
      // …and in fact nothing at all: the phone style sheet, inline styles and entities included.
      expect(sanitized).toBe(html);
      expect(sanitized).toContain('@media (max-width: 480px)');
      expect(sanitizeEmailHtml(sanitized)).toBe(sanitized);
    },
  );

  it('keeps the summary its tables and every link to the app', () => {
    const html = sanitizeEmailHtml(renderWeeklySummary(fullSummary(), summaryLinksFixture).html);
    expect(elementCounts(html)['table']).toBeGreaterThanOrEqual(10);
    expect(linksOf(html).map((link) => link.href)).toEqual(expect.arrayContaining(appLinks));
    expect(new Set(linksOf(html).map((link) => link.href))).toEqual(new Set(appLinks));
  });

  it.each(summaryShapes(hostile))(
    'shows markup in ledger and organisation data in %s as text only',
    (_name, html) => {
      const sanitized = sanitizeEmailHtml(html);
      expect(activeMarkup(html)).toEqual([]);
      expect(activeMarkup(sanitized)).toEqual([]);
      expect(sanitized).toBe(html);
      expect(textOf(sanitized)).toContain(`Acme Plumbing Ltd ${Object.values(hostileMarkup).join(' ')}`);
      expect(new Set(linksOf(sanitized).map((link) => link.href))).toEqual(
        new Set(appLinks.filter((link) => html.includes(link.replaceAll('&', '&#38;')))),
      );
    },
  );
});

const api = 'http://sendgrid.test';
const apiKey = 'SG.test-key-never-real';

const email = (html: string): OutgoingEmail => ({
  messageId: '0195a0a4-0000-7000-8000-0000000000aa',
  orgId: '0195a0a4-0000-7000-8000-000000000001',
  from: { email: 'reminders@mail.dunwell.test', name: 'Acme Plumbing Ltd' },
  replyTo: null,
  to: [{ email: 'owner@acme.example' }],
  cc: [],
  subject: 'Weekly summary',
  html,
  text: 'Weekly summary',
  categories: ['dunwell', 'notice', 'template:weekly-summary'],
  unsubscribeUrl: null,
});

/** What the provider got from each transport: the local one's record, SendGrid's request body. */
const transports: Record<string, (sent: OutgoingEmail) => Promise<string>> = {
  local: async (sent) => {
    const transport = createLocalTransport();
    expect(await transport.send(sent)).toMatchObject({ status: 'sent' });
    return transport.sent()[0]?.html ?? '';
  },
  sendgrid: async (sent) => {
    let body: { content?: Array<{ type: string; value: string }> } = {};
    nock(api)
      .post('/v3/mail/send', (received) => {
        body = received;
        return true;
      })
      .reply(202, '', { 'X-Message-Id': 'provider-id' });
    const transport: EmailTransport = createSendGridTransport({ apiKey, apiBaseUrl: api, timeoutMs: 2_000 });
    expect(await transport.send(sent)).toMatchObject({ status: 'sent' });
    return body.content?.find((part) => part.type === 'text/html')?.value ?? '';
  },
};

describe('every transport sends HTML through the allow-list, whoever built it', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  const cases = Object.entries(transports).flatMap(([transport, deliver]) =>
    Object.entries(hostileMarkup).map(([payload, markup]) => ({ transport, deliver, payload, markup })),
  );

  it.each(cases)('$transport: removes $payload from an email built outside the renderer', async (entry) => {
    const html = `<p>Hello</p>${entry.markup}<p><a href="https://app.dunwell.example/app/1">Open Dunwell</a></p>`;
    expect(activeMarkup(html)).not.toEqual([]);
    const sent = await entry.deliver(email(html));
    expect(activeMarkup(sent)).toEqual([]);
    expect(sent).toContain('<p>Hello</p>');
    expect(linksOf(sent)).toContainEqual({ href: 'https://app.dunwell.example/app/1', text: 'Open Dunwell' });
  });

  it.each(Object.entries(transports))('%s: sends a summary exactly as built', async (_name, deliver) => {
    const html = renderWeeklySummary(fullSummary(hostile), summaryLinksFixture).html;
    expect(await deliver(email(html))).toBe(html);
  });

  it.each(Object.entries(transports))(
    '%s: sends a rendered reminder exactly as rendered',
    async (_name, deliver) => {
      for (const context of [sampleContext, hostileContext]) {
        const rendered = await renderEmail(defaultTemplate('firm'), context);
        const sent = await deliver(email(rendered.html));
        expect(sent).toBe(rendered.html);
        expect(activeMarkup(sent)).toEqual([]);
      }
    },
  );

  it('sanitises HTML it was not told is the allow-list output, even next to HTML it was', () => {
    const clean = sanitizeEmailHtml('<p>Clean</p>');
    rememberSanitized(clean);
    expect(cleanEmailHtml(clean)).toBe(clean);
    const dirty = `${clean}${hostileMarkup.script}`;
    expect(cleanEmailHtml(dirty)).toBe(clean);
    // Its own output needs no second pass, and gets none.
    const once = cleanEmailHtml(`<p>Once</p>${hostileMarkup.imageHandler}`);
    expect(once).toBe('<p>Once</p><img src="x">');
    expect(cleanEmailHtml(once)).toBe(once);
  });
});

describe('style sheets: only the narrow form the summary uses', () => {
  const summarySheet = `/* comment */
@media (max-width: 480px) {
  .px { padding-left: 18px !important; padding-right: 18px !important; }
  .outer { padding: 12px 6px !important; }
}
td.cell, .a .b { font-size: 14px; line-height: 1.4; display: block; }`;

  it('keeps rules on classes setting spacing and sizes, at the top level or inside @media', () => {
    expect(isAllowedStyleSheet(summarySheet)).toBe(true);
    const html = `<style>${summarySheet}</style><p class="px">Hi</p>`;
    expect(sanitizeEmailHtml(html)).toBe(html);
  });

  const refused: Record<string, string> = {
    'a tracking image': '.px { background: url(https://track.example/p) }',
    'an import': '@import "https://evil.example/x.css"; .px { padding: 0 }',
    'a font download': '@font-face { font-family: x; src: url(https://track.example/f) }',
    'an IE expression': '.px { width: expression(alert(1)) }',
    'an escape hiding url(': '.px { background: \\75rl(https://track.example/p) }',
    'an attribute selector reading the page': 'a[href^="https://bank"] { display: none }',
    'a selector on every element': '* { display: none }',
    'a tag selector': 'body { display: none }',
    'a property not on the list': '.px { position: fixed; top: 0 }',
    'a colour property': '.px { color: red }',
    'an unclosed comment': '.px { padding: 0 } /* ',
    'an unclosed block': '@media (max-width: 480px) { .px { padding: 0 }',
    'nested @media': '@media screen { @media (max-width: 1px) { .px { padding: 0 } } }',
    'another at-rule': '@supports (display: grid) { .px { display: grid } }',
    'a value with quotes': '.px { font-size: "x" }',
    'more than 10,000 characters': '.px { padding: 0 }\n'.repeat(600),
    'comments left open, many times over': '/* x'.repeat(2_400),
  };

  it.each(Object.entries(refused))('removes a sheet with %s, whole', (_name, sheet) => {
    const html = sanitizeEmailHtml(`<style>${sheet}</style><p class="px">Hi</p>`);
    expect(html).not.toMatch(/<style|<script|url|expression|@import|@font-face|display/i);
    expect(html).toContain('<p class="px">Hi</p>');
    expect(activeMarkup(html)).toEqual([]);
  });

  it('ends a sheet where the markup closes it: what follows is markup, and goes through the allow-list', () => {
    const html = sanitizeEmailHtml(
      '<style>.px { padding: 0 }</style><script>alert(1)</script><style>.px { color: red }</style><p>Hi</p>',
    );
    expect(html).toBe('<style>.px { padding: 0 }</style><p>Hi</p>');
  });

  it('a template body is plain text: a sheet in it is pointed out on save, and would show as written', () => {
    const refusedSheet = validateTemplateSync({ subject: 'Hi', text: `<style>${summarySheet}</style> Hi` });
    expect(refusedSheet.ok).toBe(false);
    if (!refusedSheet.ok)
      expect(refusedSheet.problems).toEqual([
        expect.stringMatching(/^Body: is plain text, so <style> would be shown as written/),
      ]);
  });
});
