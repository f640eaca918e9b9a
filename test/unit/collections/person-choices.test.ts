import { describe, expect, it } from 'vitest';
import { nextStep } from '../../../src/collections/next-step.js';
import { plan } from '../../../src/collections/plan.js';
import { defaultPolicy } from '../../../src/domain/policy.js';
import { day, debtor, tuesdayMorning } from './debtor.js';

const now = tuesdayMorning;
/** 10:00 in London, `days` from Tuesday 2026-11-24 (a weekday for the days used here). */
const at = (days: number) => new Date(now.getTime() + days * 86_400_000);

describe('a pause a person sets until a date', () => {
  // Eight days overdue: the firm reminder is due today.
  const paused = debtor([{ dueDate: day(-8) }], {}, { overrides: { pausedUntil: day(3) } });

  it('plans nothing before its day, and says when chasing resumes and with what', () => {
    const today = plan(paused, defaultPolicy, now);
    expect(today.actions).toEqual([]);
    expect(today.notes).toEqual([`a person paused automatic chasing of this customer until ${day(3)}`]);
    expect(plan(paused, defaultPolicy, at(2)).actions).toEqual([]);

    const next = nextStep(paused, defaultPolicy, now);
    expect(next).toMatchObject({
      status: 'scheduled',
      on: day(3),
      guard: { kind: 'paused_by_you', until: day(2) },
      text: `Firm reminder on ${day(3)} (paused by you until ${day(3)})`,
    });
  });

  it('resumes on its day where the journey stood, not from the start', () => {
    const resumed = plan(paused, defaultPolicy, at(3));
    expect(resumed.actions).toHaveLength(1);
    expect(resumed.actions[0]).toMatchObject({ kind: 'email', stepKey: 'firm' });
    // A pause already over changes nothing.
    const over = debtor([{ dueDate: day(-8) }], {}, { overrides: { pausedUntil: day(-1) } });
    expect(plan(over, defaultPolicy, now).actions).toHaveLength(1);
  });
});

describe('the addresses a person chose for reminders', () => {
  it('are where reminders go, instead of the bill-to or billing addresses, never one that bounced', () => {
    const chosen = debtor(
      [{ dueDate: day(-8), billEmail: 'invoices@coolcars.example' }],
      {},
      {
        overrides: { recipients: ['cfo@coolcars.example', 'gone@coolcars.example'] },
        contacts: [
          { email: 'ap@coolcars.example', name: 'Grace', role: 'billing', bounced: false },
          { email: 'gone@coolcars.example', name: null, role: 'billing', bounced: true },
        ],
      },
    );
    const [email] = plan(chosen, defaultPolicy, now).actions;
    expect(email?.kind === 'email' ? email.to.map((contact) => contact.email) : null).toEqual([
      'cfo@coolcars.example',
    ]);
    // Without a choice, the invoice's own bill-to address as before.
    const [usual] = plan({ ...chosen, overrides: {} }, defaultPolicy, now).actions;
    expect(usual?.kind === 'email' ? usual.to.map((contact) => contact.email) : null).toEqual([
      'invoices@coolcars.example',
    ]);
  });
});
