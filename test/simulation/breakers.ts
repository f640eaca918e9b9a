/**
 * Deliberately broken engines, each made by wrapping `plan` or what it is given (never by editing
 * src/): the guard tests prove each invariant catches its own kind of breakage.
 */
import { type PlannedAction, type PlanResult, plan } from '../../src/collections/plan.js';
import type { DebtorSnapshot } from '../../src/collections/snapshot.js';
import type { Policy } from '../../src/domain/policy.js';
import type { RunOptions } from './simulate.js';
import { ladderOfPolicy } from './world.js';

const dayMs = 86_400_000;

export const breakers: Record<string, { invariant: 1 | 2 | 3 | 4 | 5; options: RunOptions }> = {
  /** The engine is told a cap of 1 day; the invariant holds it to the company's 7–10. */
  'cap of one day': {
    invariant: 1,
    options: { enginePolicy: (policy) => ({ ...policy, minDaysBetweenContacts: 1 }) },
  },
  /** The engine is told it may send at any hour of any day. */
  'any hour, any day': {
    invariant: 1,
    options: {
      enginePolicy: (policy) => ({
        ...policy,
        sendingWindow: { weekdays: [1, 2, 3, 4, 5, 6, 7], startHour: 0, endHour: 24 },
      }),
    },
  },
  /** The engine does not know the countries or the closed days: no holiday stops it. */
  'no holidays': {
    invariant: 1,
    options: {
      enginePolicy: (policy) => ({ ...policy, closedDays: [] }),
      view: (snapshot) => ({ ...snapshot, orgCountry: null, debtorCountry: null }),
    },
  },
  /** The engine is told every debtor has a number it may text: consent on record is not checked. */
  'texts without consent': {
    invariant: 1,
    options: { view: (snapshot) => ({ ...snapshot, textable: true }) },
  },
  /** Calls made and letters posted pass their rung but are not counted as contacts: the cap is per channel. */
  'calls and letters outside the cap': {
    invariant: 1,
    options: {
      view: (snapshot) => ({
        ...snapshot,
        history: {
          ...snapshot.history,
          contacts: snapshot.history.contacts.map((contact) =>
            (contact.kind === 'call' || contact.kind === 'letter') && !contact.open
              ? { ...contact, dismissed: true }
              : contact,
          ),
        },
      }),
    },
  },
  /** A rung message leaves out one of the overdue invoices it should list. */
  'one invoice dropped': {
    invariant: 2,
    options: { render: (listed) => (listed.length > 1 ? listed.slice(1) : listed) },
  },
  /** Every rung after the first is relabelled as the one after it: a rung is skipped. */
  'rung skipped': {
    invariant: 3,
    options: {
      engine: (snapshot, policy, now) => {
        const result = plan(snapshot, policy, now);
        const ladder = ladderOfPolicy(policy);
        return {
          ...result,
          actions: result.actions.map((action): PlannedAction => {
            if (action.kind !== 'email' || action.rung === null || action.rung === 0) return action;
            const skipped = ladder[action.rung + 1];
            if (!skipped) return action;
            return {
              ...action,
              rung: action.rung + 1,
              stepKey: skipped.key,
              tone: skipped.tone,
              template: skipped.template,
              invoiceSteps: action.invoiceSteps.map((entry) => ({ ...entry, stepKey: skipped.key })),
            };
          }),
        };
      },
    },
  },
  /** The first contact may be as harsh as the final notice. */
  'harsh first contact': {
    invariant: 3,
    options: { enginePolicy: (policy) => ({ ...policy, firstContactMaxTone: 'final' }) },
  },
  /** A flag is raised as soon as the final notice has gone, without its grace. */
  'flag right after the final notice': { invariant: 4, options: { engine: flagAfterFinal } },
  /** The engine does not see that a "find an address" task is still open. */
  'address tasks piled up': {
    invariant: 4,
    options: {
      view: (snapshot) => ({
        ...snapshot,
        history: {
          ...snapshot.history,
          contacts: snapshot.history.contacts.map((contact) =>
            contact.kind === 'task' ? { ...contact, open: false } : contact,
          ),
        },
      }),
    },
  },
  /** Promises are ignored (by the engine and by what the message lists). */
  'promises ignored': {
    invariant: 5,
    options: { view: (snapshot) => ({ ...snapshot, history: { ...snapshot.history, promises: [] } }) },
  },
  /** Unapplied credits are ignored: a debtor in net credit is chased. */
  'credits ignored': { invariant: 5, options: { view: (snapshot) => ({ ...snapshot, credits: [] }) } },
};

function flagAfterFinal(snapshot: DebtorSnapshot, policy: Policy, now: Date): PlanResult {
  const result = plan(snapshot, policy, now);
  const final = ladderOfPolicy(policy).at(-1)?.key;
  const sentFinal = snapshot.history.contacts.find(
    (contact) =>
      contact.kind === 'email' &&
      !contact.unsent &&
      now.getTime() - Date.parse(contact.at) < dayMs &&
      contact.steps.some((entry) => entry.stepKey === final),
  );
  if (!sentFinal || result.actions.some((action) => action.kind === 'flag')) return result;
  const invoiceSteps = snapshot.invoices.map((invoice) => ({ invoiceId: invoice.id, stepKey: 'agency' }));
  return {
    ...result,
    actions: [
      ...result.actions,
      {
        kind: 'flag',
        flags: ['agency_referral'],
        daysOverdue: 0,
        requiresApproval: true,
        stepKey: 'agency',
        invoiceSteps,
        idempotencyKey: `${snapshot.customerId}:early-flag:${sentFinal.at}`,
        why: 'broken on purpose',
      },
    ],
  };
}
