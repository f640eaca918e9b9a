import { formatPlainMoney } from '../domain/money.js';
import { daysOverdue } from '../domain/plural.js';
import { flagKindsText } from '../words/labels.js';
import type {
  TimelineArrangement,
  TimelineEntry,
  TimelineFlag,
  TimelineMessageStatus,
} from './timeline-entry.js';
import { arrangementKeys, type Linked, namedId } from './timeline-linked.js';
import type {
  ActivityRow,
  FlagFields,
  FlagRow,
  MessageRow,
  TaskRow,
  WriteBackRow,
} from './timeline-sources.js';

/* How each row read becomes a timeline entry: its kind, its summary in plain words, its reason. */

const union = (...lists: Array<readonly unknown[] | null | undefined>) =>
  [
    ...new Set(lists.flatMap((list) => (list ?? []).filter((id): id is string => typeof id === 'string'))),
  ].sort();

export function activityEntry(row: ActivityRow, linked: Linked): TimelineEntry {
  const details = row.details;
  const arrangement =
    arrangementKeys
      .map((key) => linked.arrangements.get(namedId(details, key) ?? ''))
      .find((found) => found !== undefined) ?? null;
  const flagId = namedId(details, 'flagId');
  const flag = flagId ? linked.flags.get(flagId) : undefined;
  const messageId = namedId(details, 'messageId');
  const named = details['invoiceIds'];
  return {
    type: 'activity',
    id: `activity:${row.id}`,
    at: row.at,
    kind: row.kind,
    actor: row.actor,
    summary: row.summary,
    reason: activityReason(row.kind, details, arrangement?.value ?? null),
    invoiceIds: union(
      Array.isArray(named) ? named : null,
      [row.invoiceId],
      arrangement?.invoiceIds,
      messageId ? linked.messageInvoices.get(messageId) : null,
    ),
    messageId,
    arrangement: arrangement?.value ?? null,
    flag: flag ? timelineFlag(flag) : null,
  };
}

/** The dispute's reason or resolution, why a plan needs approval, or the reason the line states. */
function activityReason(
  kind: string,
  details: Record<string, unknown>,
  arrangement: TimelineArrangement | null,
): string | null {
  if (arrangement?.type === 'dispute')
    return kind === 'dispute.resolved' ? arrangement.resolution : arrangement.reason;
  if (arrangement?.type === 'plan' && kind === 'plan.requested') return arrangement.approvalReason;
  const stated = details['reason'];
  return typeof stated === 'string' && stated.length > 0 ? stated : null;
}

function messageSummary(row: MessageRow, status: TimelineMessageStatus): string {
  const recipients = [...row.to.map((a) => a.email), ...row.cc.map((a) => `cc ${a.email}`)].join(', ');
  const what = row.subject !== null ? `"${row.subject}"` : `a ${row.purpose}`;
  const lead = `${what.charAt(0).toUpperCase()}${what.slice(1)} to ${recipients}`;
  switch (status) {
    case 'sent':
      return `Sent ${what} to ${recipients}`;
    case 'sending':
      return `Sending ${what} to ${recipients}`;
    case 'queued':
      return `${lead} is queued${row.subject === null ? '; it is written when it goes' : ''}`;
    case 'awaiting_approval':
      return `${lead} is waiting for a person's approval`;
    case 'uncertain':
      return `${lead} may or may not have gone; a person decides`;
    case 'failed':
      return `${lead} could not be sent`;
    case 'cancelled':
      return `${lead} was not sent`;
  }
}

export function messageEntry(row: MessageRow): TimelineEntry {
  const status: TimelineMessageStatus = row.status === 'pending' ? 'queued' : row.status;
  return {
    type: 'message',
    id: `message:${row.id}`,
    at: row.sentAt ?? row.createdAt,
    kind: `message.${status}`,
    actor: 'system',
    summary: messageSummary(row, status),
    reason: row.why,
    invoiceIds: union(row.invoiceIds),
    message: {
      id: row.id,
      purpose: row.purpose,
      status,
      template: row.template,
      stepKey: row.renderInputs?.stepKey ?? null,
      tone: row.renderInputs?.tone ?? null,
      to: row.to,
      cc: row.cc,
      rendered: row.subject !== null,
      subject: row.subject,
      text: row.text,
      html: row.html,
      queuedAt: row.createdAt,
      sentAt: row.sentAt,
      deliveredAt: row.deliveredAt,
      openedAt: row.openedAt,
      problem: row.deliveryProblem,
      error: row.lastError,
      attempts: row.attempts,
    },
  };
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);

export function writeBackEntry(row: WriteBackRow): TimelineEntry {
  const { payload, result } = row;
  let summary: string;
  let reason: string | null = null;
  if (row.kind === 'note') summary = `Ledger note: ${text(payload['text']) ?? ''}`;
  else if (row.kind === 'due_date') {
    summary = `Due date moved to ${text(payload['dueDate']) ?? '?'} in the ledger`;
    reason = text(payload['reason']);
  } else {
    const amountMinor = payload['amountMinor'];
    const currency = text(payload['currency']);
    const target = payload['target'] as { description?: unknown } | undefined;
    const amount =
      typeof amountMinor === 'number' && currency ? formatPlainMoney({ amountMinor, currency }) : 'an amount';
    summary = `Credit of ${amount} to ${text(target?.description) ?? 'the chosen account'} in the ledger`;
    reason = text(payload['memo']);
  }
  const outcome =
    result?.['applied'] === false
      ? `the due date was left as it is: ${text(result['reason']) ?? 'the ledger refused it'}`
      : text(result?.['skipped']);
  return {
    type: 'write_back',
    id: `write_back:${row.id}`,
    at: row.doneAt ?? row.createdAt,
    kind: `write_back.${row.kind}`,
    actor: 'system',
    summary,
    reason,
    invoiceIds: union(row.invoiceIds),
    ledgerWrite: {
      id: row.id,
      kind: row.kind,
      status: row.status,
      attempts: row.attempts,
      error: row.lastError,
      doneAt: row.doneAt,
      outcome,
    },
  };
}

/** A flag as the timeline shows it, from its own entry or a log line about it. */
function timelineFlag(row: FlagFields): TimelineFlag {
  return {
    id: row.id,
    kinds: row.kinds,
    daysOverdue: row.daysOverdue,
    recommended: text(row.recommendation['recommended']),
    status: row.status,
    decision: row.decision,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
  };
}

export function flagEntry(row: FlagRow): TimelineEntry {
  return {
    type: 'flag',
    id: `flag:${row.id}`,
    at: row.createdAt,
    kind: 'flag.raised',
    actor: 'system',
    summary: `Flagged for ${flagKindsText(row.kinds, ' / ')} (${daysOverdue(row.daysOverdue)})`,
    reason: row.why,
    invoiceIds: union(row.invoiceIds),
    flag: timelineFlag(row),
  };
}

const taskHeading: Record<TaskRow['kind'], string> = {
  task: 'Task for a person',
  call: 'A call for a person to make',
  letter: 'A letter for a person to post',
};

export function taskEntry(row: TaskRow): TimelineEntry {
  return {
    type: 'task',
    id: `task:${row.id}`,
    at: row.createdAt,
    kind: row.kind === 'task' ? 'task.created' : `${row.kind}.planned`,
    actor: 'system',
    summary: `${taskHeading[row.kind]}: ${row.description}`,
    reason: row.why,
    invoiceIds: union(row.invoiceIds),
    task: {
      id: row.id,
      description: row.description,
      status: row.status,
      closedAt: row.closedAt,
      closedBy: row.closedBy,
    },
  };
}
