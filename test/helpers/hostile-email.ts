import { type ChildNode, type Element, isTag, isText } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import type { SummaryEmailLinks } from '../../src/messaging/render/weekly-summary-email.js';
import type { WeeklySummary } from '../../src/reports/weekly-summary.js';

/**
 * Markup a ledger, an organisation or a debtor could put in a name, a number or a message, each of
 * which would act in a mail client if it reached the HTML as markup. Each fits an invoice number
 * (60 characters), and all of them after a name fit a name (300).
 */
export const hostileMarkup = {
  script: '<script>alert(1)</script>',
  imageHandler: '<img src=x onerror=alert(2)>',
  svgHandler: '<svg/onload=alert(3)>',
  metaRefresh: '<meta http-equiv=refresh content="0;url=//evil.example">',
  form: '<form action=https://evil.example><button>Go</button></form>',
  javascriptLink: '<a href="javascript:alert(4)">Pay</a>',
} as const;

/** Every hostile fragment, one after another, after some ordinary text. */
export const hostile = (text: string) => `${text} ${Object.values(hostileMarkup).join(' ')}`;

/**
 * What in some HTML would act in a mail client, as a browser parses it: elements that run, embed,
 * submit or redirect, event handler attributes, links and sources that are not http(s), mailto or
 * tel, and style sheets or inline styles that load or run something. Empty when nothing would.
 */
export function activeMarkup(html: string): string[] {
  const found: string[] = [];
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (!isTag(node)) continue;
      found.push(...activeIn(node));
      visit(node.children);
    }
  };
  visit(parseDocument(html, { decodeEntities: true }).children);
  return found;
}

const activeElements = new Set([
  'script',
  'svg',
  'math',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'iframe',
  'frame',
  'object',
  'embed',
  'applet',
  'base',
  'link',
  'template',
]);

function activeIn(element: Element): string[] {
  const found: string[] = [];
  const name = element.name.toLowerCase();
  if (activeElements.has(name)) found.push(`<${name}>`);
  if (name === 'meta' && element.attribs['http-equiv'] !== undefined) found.push('<meta http-equiv>');
  if (name === 'style') {
    const sheet = element.children.map((child) => (isText(child) ? child.data : '')).join('');
    if (/url\s*\(|@import|expression\s*\(|javascript:|\\/i.test(sheet)) found.push('<style> that loads');
  }
  for (const [attribute, value] of Object.entries(element.attribs)) {
    const lower = attribute.toLowerCase();
    if (lower.startsWith('on')) found.push(`${lower} on <${name}>`);
    if (['href', 'src', 'action', 'formaction', 'xlink:href', 'background'].includes(lower)) {
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value.replace(/[\p{Cc}\s]+/gu, ''))?.[1]?.toLowerCase();
      if (scheme !== undefined && !['http', 'https', 'mailto', 'tel'].includes(scheme))
        found.push(`${lower}="${value}" on <${name}>`);
    }
    if (lower === 'style' && /url\s*\(|expression\s*\(|javascript:/i.test(value))
      found.push(`style that loads on <${name}>`);
  }
  return found;
}

/** The text a reader sees (scripts and style sheets aside), with its whitespace collapsed. */
export function textOf(html: string): string {
  const parts: string[] = [];
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (isText(node)) parts.push(node.data);
      else if (isTag(node) && !['script', 'style', 'title'].includes(node.name)) visit(node.children);
    }
  };
  visit(parseDocument(html, { decodeEntities: true }).children);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

/** Every link's target and text, in order. */
export function linksOf(html: string): Array<{ href: string; text: string }> {
  const links: Array<{ href: string; text: string }> = [];
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (!isTag(node)) continue;
      if (node.name === 'a')
        links.push({ href: node.attribs['href'] ?? '', text: textOf(node.children.map(outer).join('')) });
      visit(node.children);
    }
  };
  visit(parseDocument(html, { decodeEntities: true }).children);
  return links;
}

function outer(node: ChildNode): string {
  if (isText(node)) return node.data.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  if (isTag(node)) return `<${node.name}>${node.children.map(outer).join('')}</${node.name}>`;
  return '';
}

/** How many of each element some HTML has: the layout a sanitiser must leave alone. */
export function elementCounts(html: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (!isTag(node)) continue;
      counts[node.name] = (counts[node.name] ?? 0) + 1;
      visit(node.children);
    }
  };
  visit(parseDocument(html, { decodeEntities: true }).children);
  return counts;
}

/** A week with everything the summary can show: a failing connection, flags, aging, largest debtors. */
export function fullSummary(text: (plain: string) => string = (plain) => plain): WeeklySummary {
  const bucket = (key: 'current' | '1-30' | '31-60' | '61-90' | '90+', balanceMinor: number) => ({
    key,
    fromDays: null,
    toDays: null,
    balanceMinor,
    invoices: balanceMinor > 0 ? 2 : 0,
  });
  return {
    organisation: {
      id: '0195a0a4-0000-7000-8000-000000000001',
      name: text('Acme Plumbing Ltd'),
      timeZone: 'Europe/London',
      currency: 'GBP',
      locale: 'en-GB',
      brandColour: '#1a5fb4',
    },
    generatedAt: new Date('2026-03-09T08:00:00Z'),
    today: '2026-03-09',
    isoWeek: '2026-W11',
    week: { from: '2026-03-02', to: '2026-03-08' },
    previousWeek: { from: '2026-02-23', to: '2026-03-01' },
    connectionProblems: [
      {
        vendor: 'xero',
        companyName: text('Acme Trading (Xero)'),
        kind: 'sync_failing',
        detail: text('Invoice INV-77 could not be read'),
      },
    ],
    collected: {
      thisWeek: [
        { currency: 'GBP', amountMinor: 1_200_00, payments: 3 },
        { currency: 'EUR', amountMinor: 300_00, payments: 1 },
      ],
      lastWeek: [{ currency: 'GBP', amountMinor: 1_000_00, payments: 2 }],
    },
    overdue: {
      weekAgo: '2026-03-02',
      currencies: [
        { currency: 'GBP', nowMinor: 5_000_00, nowInvoices: 4, weekAgoMinor: 4_500_00, weekAgoInvoices: 3 },
      ],
    },
    aging: [
      {
        currency: 'GBP',
        openMinor: 8_000_00,
        openInvoices: 8,
        overdueMinor: 5_000_00,
        overdueInvoices: 4,
        heldMinor: 0,
        heldInvoices: 0,
        buckets: [
          bucket('current', 3_000_00),
          bucket('1-30', 2_000_00),
          bucket('31-60', 0),
          bucket('61-90', 1_000_00),
          bucket('90+', 2_000_00),
        ],
      },
      {
        currency: 'EUR',
        openMinor: 900_00,
        openInvoices: 1,
        overdueMinor: 900_00,
        overdueInvoices: 1,
        heldMinor: 0,
        heldInvoices: 0,
        buckets: [],
      },
    ],
    dso: {
      currency: 'GBP',
      windowDays: 90,
      windowFrom: '2025-12-10',
      windowTo: '2026-03-09',
      receivablesMinor: 8_000_00,
      invoicedMinor: 17_000_00,
      days: 42.4,
    },
    activity: {
      from: new Date('2026-03-02T00:00:00Z'),
      to: new Date('2026-03-09T00:00:00Z'),
      remindersSent: 3,
      debtorsReminded: 2,
      remindersUndelivered: 0,
      promisesMade: 1,
      promisesKept: 1,
      promisesBroken: 0,
      plansStarted: 1,
      plansCompleted: 0,
      plansBroken: 0,
      disputesOpened: 1,
      disputesResolved: 0,
      flagsRaised: 2,
    },
    flags: {
      total: 7,
      shown: [
        {
          id: 'flag-1',
          customerName: text('Brightside Cafe'),
          kinds: ['agency_referral', 'write_off'],
          daysOverdue: 95,
          balance: { currency: 'GBP', amountMinor: 2_400_00 },
          recommended: 'agency_referral',
          summary: text('Refer to an agency: about £1,440.00 back, against £0.00 from chasing INV-1042'),
        },
        {
          id: 'flag-2',
          customerName: text('Corner Shop'),
          kinds: ['settlement_offer'],
          daysOverdue: 64,
          balance: null,
          recommended: 'settlement_offer',
          summary: null,
        },
      ],
    },
    waiting: { plans: 1, messages: 2 },
    largest: [
      {
        customerId: 'c-1',
        name: text('Brightside Cafe'),
        overdueMinor: 2_400_00,
        overdueInvoices: 2,
        oldestDaysOverdue: 95,
        heldMinor: 0,
        nextStep: text('Final notice for INV-1042 on 2026-03-12'),
      },
      {
        customerId: 'c-2',
        name: text('Corner Shop'),
        overdueMinor: 1_100_00,
        overdueInvoices: 1,
        oldestDaysOverdue: 64,
        heldMinor: 0,
        nextStep: 'Nothing planned',
      },
    ],
    nothingOverdue: false,
  };
}

/** The links of a recipient's copy, with query strings (escaped `&` must survive sanitising). */
export const summaryLinksFixture: SummaryEmailLinks = {
  reviewUrl: 'https://app.dunwell.example/r/0195a0a4?expires=1780000000&sig=abc_-123',
  unsubscribeUrl: 'https://app.dunwell.example/u/0195a0a4?who=owner%40acme.example&sig=def',
  dashboardUrl: 'https://app.dunwell.example/app/0195a0a4',
  connectionUrl: 'https://app.dunwell.example/app/0195a0a4/connection',
  customersUrl: 'https://app.dunwell.example/app/0195a0a4/customers',
  settingsUrl: 'https://app.dunwell.example/app/0195a0a4/weekly-summary',
};
