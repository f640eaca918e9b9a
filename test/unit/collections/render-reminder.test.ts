import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/collections/plan.js';
import { defaultPolicy } from '../../../src/collections/policy.js';
import { reminderRenderer } from '../../../src/collections/render-reminder.js';
import { day, debtor, reliableHistory, tuesdayMorning } from './debtor.js';

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
    portalUrl: (customerId) => `https://dunwell.example/p/${customerId}`,
  });

  it('lists the covered invoices with their pay links, a total per currency, and the portal', () => {
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
    const rendered = render(email, snapshot);
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

  it('names the agency only in the final notice, because the next step is an agency flag', () => {
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
    expect(render(finalEmail, final).text).toMatch(/collection agency/);

    const firm = debtor([{ dueDate: day(-9) }], contacted('reminder'));
    const firmEmail = plan(firm, defaultPolicy, tuesdayMorning).actions.find(
      (action) => action.kind === 'email',
    );
    if (firmEmail?.kind !== 'email') throw new Error('expected an email');
    expect(render(firmEmail, firm).text).not.toMatch(/collection agency/);
  });
});
