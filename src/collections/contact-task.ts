import { formatPlainMoney } from '../domain/money.js';
import { countOf, daysOverdue } from '../domain/plural.js';
import type { ContactTaskKind, Segment } from '../domain/policy.js';
import { keyFor } from './action-keys.js';
import type { DueEmail } from './due-email.js';
import { totalsByCurrency } from './journey.js';
import type { PlannedTask } from './person-tasks.js';
import { atStep, type PlanContext } from './plan-context.js';

/** What a caller leans on, by what the debtor's history says of them. */
const callAdvice: Record<Segment, string> = {
  new: 'Introduce yourself, check they received the invoice, and ask when it will be paid.',
  reliable: 'They usually pay: remind them politely and ask when it will be paid.',
  forgetful: 'They tend to forget: remind them politely and ask them to pay today if they can.',
  strained: 'Money may be tight: ask what they can pay and offer a payment plan they can keep.',
  chronic: 'They pay late as a habit: ask for a firm date and note it.',
  unresponsive: 'They have not answered so far: check you have the right person and number.',
  disputing: 'They have disputed before: ask whether anything about these invoices is wrong.',
};

/**
 * A rung of the journey carried out by a person: a call to make (with a script drawn from the
 * debtor's situation) or a letter to post. It is a contact like an email: it counts toward the same
 * cap from when it is done, and nothing else goes to the debtor while it waits.
 */
export function contactTask(context: PlanContext, due: DueEmail, channel: ContactTaskKind): PlannedTask {
  const { snapshot, leadDays } = context;
  const { step, covered } = due;
  const owed = [...totalsByCurrency(covered)]
    .map(([currency, amountMinor]) => formatPlainMoney({ currency, amountMinor }))
    .join(' + ');
  const what = `${countOf(covered.length, 'overdue invoice')}, ${owed}, the oldest ${daysOverdue(leadDays)}`;
  const broken = due.brokenPromise
    ? ` They promised to pay by ${due.brokenPromise.promisedDate} and did not: ask what changed.`
    : '';
  const task =
    channel === 'call'
      ? `Call ${snapshot.customerName} (${what}). ${callAdvice[context.segment]}${broken} Record how the call went.`
      : `Post the ${step.name ?? 'letter'} to ${snapshot.customerName} (${what}): print it from here, post it (certified if you can), then mark it as posted.`;
  return {
    kind: 'task',
    channel,
    task,
    stepKey: step.key,
    invoiceSteps: atStep(covered, step.key),
    idempotencyKey: keyFor(
      snapshot,
      step.key,
      context.journey,
      covered.map((invoice) => invoice.id),
    ),
    why: due.why,
  };
}
