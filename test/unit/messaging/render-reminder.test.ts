import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/collections/plan.js';
import { defaultPolicy, type Policy } from '../../../src/domain/policy.js';
import { reminderRenderer } from '../../../src/messaging/render/reminder.js';
import { day, debtor, reliableHistory, tuesdayMorning } from '../collections/debtor.js';

const organisation = {
  name: 'Larkspur <Landscaping>',
  email: 'accounts@larkspur.example',
  phone: null,
  country: 'GB',
  paymentInstructions: null,
};

describe('rendering a planned reminder', () => {
  const render = reminderRenderer({
    organisation,
    policy: defaultPolicy,
    now: tuesdayMorning,
    portalUrl: ({ customerId }) => `https://dunwell.example/p/${customerId}`,
  });

  it('mentions the credit the debtor holds in the invoices’ currencies, and only then', async () => {
    const withCredit = debtor([{ dueDate: day(-9), balanceMinor: 12_050 }], reliableHistory, {
      credits: [
        { currency: 'GBP', amountMinor: 2_500 },
        { currency: 'USD', amountMinor: 9_999 },
      ],
    });
    const email = plan(withCredit, defaultPolicy, tuesdayMorning).actions.find(
      (action) => action.kind === 'email',
    );
    if (email?.kind !== 'email') throw new Error('expected an email');
    const rendered = await render(email, withCredit);
    for (const part of [rendered.html, rendered.text]) {
      expect(part).toMatch(/£25\.00.*of credit with us/s);
      expect(part).not.toContain('99.99');
    }
    const without = await render(email, { ...withCredit, credits: [] });
    expect(without.text).not.toContain('of credit with us');
  });

  it('lists the covered invoices with their pay links, a total per currency, and the portal', async () => {
    const snapshot = debtor(
      [
        { dueDate: day(-9), number: 'INV-7', balanceMinor: 12_050, paymentUrl: 'https://pay.example/inv-7' },
        { dueDate: day(-2), number: 'INV-8', balanceMinor: 4_000, currency: 'EUR' },
      ],
      reliableHistory,
    );
    const email = plan(snapshot, defaultPolicy, tuesdayMorning).actions.find(
      (action) => action.kind === 'email',
    );
    if (email?.kind !== 'email') throw new Error('expected an email');
    const rendered = await render(email, snapshot);
    for (const part of [rendered.html, rendered.text]) {
      expect(part).toContain('INV-7');
      expect(part).toContain('INV-8');
      expect(part).toContain('https://pay.example/inv-7');
      expect(part).toContain('https://dunwell.example/p/cust-1');
      expect(part).toContain('£120.50');
      expect(part).toContain('€40.00');
    }
    expect(rendered.html).not.toContain('<Landscaping>');
    expect(rendered.html).toContain('&lt;Landscaping&gt;');
    expect(rendered.subject).not.toMatch(/[<>]/);
  });

  it('names the agency only in the final notice, because the next step is an agency flag', async () => {
    const contacted = (stepKey: string) => ({
      ...reliableHistory,
      contacts: [
        { at: `${day(-8)}T10:00:00Z`, kind: 'email' as const, steps: [{ invoiceId: 'inv-1', stepKey }] },
      ],
    });
    const final = debtor([{ dueDate: day(-50) }], contacted('demand'));
    const finalEmail = plan(final, defaultPolicy, tuesdayMorning).actions.find(
      (action) => action.kind === 'email',
    );
    if (finalEmail?.kind !== 'email') throw new Error('expected an email');
    expect(finalEmail.stepKey).toBe('final');
    expect((await render(finalEmail, final)).text).toMatch(/collection agency/);

    const firm = debtor([{ dueDate: day(-9) }], contacted('reminder'));
    const firmEmail = plan(firm, defaultPolicy, tuesdayMorning).actions.find(
      (action) => action.kind === 'email',
    );
    if (firmEmail?.kind !== 'email') throw new Error('expected an email');
    expect((await render(firmEmail, firm)).text).not.toMatch(/collection agency/);
  });

  describe('late-fee notices', () => {
    const contacted = (stepKey: string) => ({
      ...reliableHistory,
      contacts: [
        { at: `${day(-8)}T10:00:00Z`, kind: 'email' as const, steps: [{ invoiceId: 'inv-1', stepKey }] },
      ],
    });
    const withFees = (lateFees: Policy['lateFees']): Policy => ({ ...defaultPolicy, lateFees });
    const renderUnder = async (policy: Policy, invoices: Parameters<typeof debtor>[0], stepKey: string) => {
      const snapshot = debtor(invoices, contacted(stepKey));
      const email = plan(snapshot, policy, tuesdayMorning).actions.find((action) => action.kind === 'email');
      if (email?.kind !== 'email') throw new Error('expected an email');
      const rendered = await reminderRenderer({
        organisation,
        policy,
        now: tuesdayMorning,
        portalUrl: () => 'https://dunwell.example/p',
      })(email, snapshot);
      return { stepKey: email.stepKey, text: rendered.text, html: rendered.html };
    };

    it('quotes the charges, summed over the invoices, in the steps marked for it', async () => {
      const policy = withFees({
        rule: { kind: 'flat', amountMinor: 2_500, graceDays: 0 },
        debtorsAreBusinesses: true,
      });
      const notice = await renderUnder(
        policy,
        [{ dueDate: day(-16) }, { dueDate: day(-15), number: 'INV-2' }],
        'firm',
      );
      expect(notice.stepKey).toBe('firm-fees');
      expect(notice.text).toContain('Late-payment charges: £50.00');
      expect(notice.text).toContain('late-payment charges apply to 2 of these invoices');
      expect(notice.html).toMatch(/Late-payment charges: <strong>£50\.00<\/strong>/);

      const earlier = await renderUnder(policy, [{ dueDate: day(-9) }], 'reminder');
      expect(earlier.stepKey).toBe('firm');
      expect(earlier.text).not.toContain('Late-payment charges');
    });

    it('quotes UK statutory interest and compensation for a business debtor, and nothing for a consumer', async () => {
      const rule = { kind: 'uk-late-payment' as const, referenceRatePercent: 4 };
      const business = await renderUnder(
        withFees({ rule, debtorsAreBusinesses: true }),
        [{ dueDate: day(-15), balanceMinor: 50_000 }],
        'firm',
      );
      // £500 at 12% a year for 15 days is £2.47 (2.4657 rounded half up), plus £40 compensation.
      expect(business.text).toContain('Late-payment charges: £42.47');
      const consumer = await renderUnder(
        withFees({ rule, debtorsAreBusinesses: false }),
        [{ dueDate: day(-15), balanceMinor: 50_000 }],
        'firm',
      );
      expect(consumer.text).not.toContain('Late-payment charges');
    });

    it('leaves the charges out rather than add two currencies together', async () => {
      const policy = withFees({
        rule: { kind: 'flat', amountMinor: 2_500, graceDays: 0 },
        debtorsAreBusinesses: true,
      });
      const mixed = await renderUnder(
        policy,
        [{ dueDate: day(-16) }, { dueDate: day(-15), currency: 'EUR', number: 'INV-2' }],
        'firm',
      );
      expect(mixed.stepKey).toBe('firm-fees');
      expect(mixed.text).not.toContain('Late-payment charges');
    });
  });
});
