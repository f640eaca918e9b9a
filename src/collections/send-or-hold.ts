import {
  type ContactTaskKind,
  contactTaskKinds,
  type ReminderVia,
  type Tone,
  toneRank,
} from '../domain/policy.js';
import { keyFor } from './action-keys.js';
import { contactTask } from './contact-task.js';
import type { DueEmail } from './due-email.js';
import { type PlannedTask, personTask, stepKeyOfAddressTask, stepKeyOfOptOutTask } from './person-tasks.js';
import { atStep, type Decision, type PlanContext, type Planned } from './plan-context.js';
import { reminderVia } from './reminder-via.js';
import { momentIn, windowClosed } from './sending-window.js';
import type { DebtorSnapshot, SnapshotContact, SnapshotInvoice } from './snapshot.js';

export type PlannedEmail = Planned & {
  kind: 'email';
  /** The journey's rung it is (0 = the first rung after the due date); null off the ladder (heads-up, arrangements). */
  rung: number | null;
  /** By email, by text (`to` kept only to fall back to), or both at once: one contact either way. */
  via: ReminderVia;
  /** The debtor's statement of account goes with the email. */
  attachStatement: boolean;
  tone: Tone;
  template: string;
  to: SnapshotContact[];
  cc: SnapshotContact[];
  requiresApproval: boolean;
  lateFeeNotice: boolean;
  brokenPromise: { promisedDate: string } | null;
};

const dayMs = 86_400_000;

/**
 * The due email, or why it is held: a message still waiting, the contact cap, an opt-out (a task to
 * reach the debtor another way), the sending window, or no address (a task to find one).
 */
export function sendOrHold(context: PlanContext, email: DueEmail): Decision<PlannedEmail | PlannedTask> {
  const { snapshot, policy, now, options, soFar, today } = context;
  const { step, covered } = email;
  const { lastSent } = soFar;
  const capEnds = lastSent ? Date.parse(lastSent) + policy.minDaysBetweenContacts * dayMs : 0;
  const closed = windowClosed(snapshot, policy, now, options);
  const recipients = recipientsFor(snapshot, covered);
  const held = (note: string) => ({ actions: [], notes: [note] });
  if (soFar.waiting)
    // Sent together later (an approval days on), two rungs would reach the debtor at once.
    return held(
      soFar.waitingTask === 'call'
        ? 'a call is still to be made: nothing more until a person records how it went'
        : soFar.waitingTask === 'letter'
          ? 'a letter is still to be posted: nothing more until a person marks it posted'
          : 'an earlier message is still waiting to be approved or sent: nothing more until it goes',
    );
  if (!options.unguarded && now.getTime() < capEnds)
    return {
      ...held(
        `contact cap: last message ${lastSent.slice(0, 16).replace('T', ' ')} UTC; the next may go from ${new Date(capEnds).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      ),
      nextContactOn: momentIn(new Date(capEnds), snapshot.orgTimeZone).date,
    };
  // A call or a letter is made by a person, in their day: an opt-out of emails and the sending
  // window do not hold it, the cap and a waiting contact do.
  if (contactTaskKinds.has(step.action))
    return { actions: [contactTask(context, email, step.action as ContactTaskKind)], notes: [] };
  const how = reminderVia(step, snapshot, recipients.length);
  if (!how && snapshot.history.optedOut)
    return {
      actions:
        email.rung !== null && !soFar.openTasks.has(stepKeyOfOptOutTask)
          ? [
              personTask(snapshot, {
                stepKey: stepKeyOfOptOutTask,
                task: 'The customer opted out of emails: reach them another way (a call or a letter)',
                why: 'a message is due but the customer asked for no more emails',
                invoices: covered,
                once: today,
              }),
            ]
          : [],
      notes: ['the debtor opted out of emails: no automatic message'],
    };
  if (closed) return { ...held(closed), heldByWindow: true };
  if (!how) {
    if (soFar.openTasks.has(stepKeyOfAddressTask))
      return held('no deliverable email address: waiting for a person to find one');
    return {
      actions: [
        personTask(snapshot, {
          stepKey: stepKeyOfAddressTask,
          task: 'No deliverable email address: find a working address or call the customer',
          why: 'a message is due but every address bounced or none is known',
          invoices: covered,
          once: today,
        }),
      ],
      notes: [],
    };
  }
  const valuable = snapshot.history.lifetimePaidMinor >= policy.highValueCustomerMinor;
  const gated = email.rung !== null && valuable && toneRank[step.tone] >= toneRank[policy.approvalFromTone];
  return {
    actions: [
      {
        kind: 'email',
        stepKey: step.key,
        tone: step.tone,
        template: step.template,
        invoiceSteps: atStep(covered, step.key),
        rung: email.rung,
        via: how.via,
        attachStatement: step.attachStatement === true,
        to: how.emailable ? recipients : [],
        cc:
          how.emailable && step.copyEscalationContacts
            ? snapshot.contacts.filter((contact) => contact.role === 'escalation' && !contact.bounced)
            : [],
        requiresApproval: step.requiresApproval || gated,
        lateFeeNotice: step.lateFeeNotice,
        brokenPromise: email.brokenPromise,
        idempotencyKey: keyFor(
          snapshot,
          step.key,
          email.again ? `${context.journey}:again` : context.journey,
          covered.map((invoice) => invoice.id),
        ),
        why: `${email.why}${how.why ? `; ${how.why}` : ''}${gated ? '; a high-value customer, so a person approves it' : ''}`,
      },
    ],
    notes: [],
  };
}

/**
 * Where to send: the addresses a person chose for this customer, else the invoices' own bill-to
 * addresses, else the customer's billing contacts; never one that bounced.
 */
function recipientsFor(snapshot: DebtorSnapshot, covered: SnapshotInvoice[]): SnapshotContact[] {
  const bounced = new Set(
    snapshot.contacts.filter((contact) => contact.bounced).map((contact) => contact.email),
  );
  const chosen = snapshot.overrides.recipients ?? [];
  if (chosen.length > 0)
    return chosen
      .filter((email) => !bounced.has(email))
      .map((email) => {
        const known = snapshot.contacts.find((contact) => contact.email === email);
        return { email, name: known?.name ?? null, role: 'billing' as const, bounced: false };
      });
  const billTo: SnapshotContact[] = [];
  for (const invoice of covered) {
    const email = invoice.billEmail;
    if (!email || bounced.has(email) || billTo.some((contact) => contact.email === email)) continue;
    const known = snapshot.contacts.find((contact) => contact.email === email);
    billTo.push({ email, name: known?.name ?? null, role: 'billing', bounced: false });
  }
  if (billTo.length > 0) return billTo;
  return snapshot.contacts.filter((contact) => contact.role === 'billing' && !contact.bounced);
}
