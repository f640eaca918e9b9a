import type { Installment, MessageAddress, RenderInputs } from '../db/schema/index.js';

/** What a timeline entry comes from; also the tie-break order between entries of the same instant. */
export type TimelineSource = 'activity' | 'flag' | 'message' | 'task' | 'write_back';

interface EntryBase {
  /** `<source>:<row id>`, unique in the timeline. */
  id: string;
  at: Date;
  /** Dotted verb: the log's own kind, or `message.<status>`, `write_back.<kind>`, `flag.raised`, `task.created`. */
  kind: string;
  /** Who did it, as `actorKey` (src/domain/actor.ts) stores an `Actor`: `user:<id>`, `debtor`, `system`… */
  actor: string;
  summary: string;
  /** Why it happened or was decided, when the record says more than the summary. */
  reason: string | null;
  /** The invoices it concerns (a contact may cover several); empty when it is about the debtor as a whole. */
  invoiceIds: string[];
}

/** A message's state: `queued` is waiting to go (reminders are rendered only then). */
export type TimelineMessageStatus =
  | 'awaiting_approval'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'uncertain'
  | 'failed'
  | 'cancelled';

export interface TimelineMessage {
  id: string;
  purpose: 'reminder' | 'notice';
  status: TimelineMessageStatus;
  template: string;
  stepKey: string | null;
  tone: RenderInputs['tone'] | null;
  to: MessageAddress[];
  cc: MessageAddress[];
  /** False until it is rendered (at send time); subject, text and html are null until then. */
  rendered: boolean;
  subject: string | null;
  text: string | null;
  html: string | null;
  queuedAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  openedAt: Date | null;
  /** Why it did not arrive (bounce, drop, block), from the provider's events. */
  problem: string | null;
  /** Why it was not sent or is in doubt (cancelled, failed, uncertain), or the last transient error. */
  error: string | null;
  attempts: number;
}

export interface TimelineWriteBack {
  id: string;
  kind: 'note' | 'due_date' | 'credit';
  status: 'pending' | 'in_progress' | 'done' | 'failed';
  attempts: number;
  /** The vendor's refusal (failed) or the last transient error (pending, retried). */
  error: string | null;
  doneAt: Date | null;
  /** What the ledger made of it when it did not simply apply (a due date left as it was, a credit skipped). */
  outcome: string | null;
}

export interface TimelineFlag {
  id: string;
  kinds: string[];
  daysOverdue: number;
  recommended: string | null;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  decision: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

export interface TimelineTask {
  id: string;
  description: string;
  status: 'open' | 'done' | 'dismissed';
  closedAt: Date | null;
  closedBy: string | null;
}

/** The promise, plan, dispute or settlement a log line is about, as it stands now. */
export type TimelineArrangement =
  | { type: 'promise'; id: string; status: 'open' | 'kept' | 'broken'; promisedDate: string }
  | {
      type: 'plan';
      id: string;
      status: 'awaiting_approval' | 'active' | 'completed' | 'broken' | 'rejected';
      currency: string;
      installments: Installment[];
      approvalReason: string | null;
    }
  | {
      type: 'dispute';
      id: string;
      status: 'open' | 'resolved';
      reason: string;
      message: string;
      resolution: string | null;
      resolvedBy: string | null;
    }
  | {
      type: 'settlement';
      id: string;
      status: 'offered' | 'accepted' | 'paid' | 'expired';
      currency: string;
      offerMinor: number;
      startBalanceMinor: number;
      payBy: string;
    };

export type TimelineEntry =
  | (EntryBase & {
      type: 'activity';
      /** The message a delivery event or a cancellation is about (its entry is in the timeline too). */
      messageId: string | null;
      arrangement: TimelineArrangement | null;
      flag: TimelineFlag | null;
    })
  | (EntryBase & { type: 'message'; message: TimelineMessage })
  | (EntryBase & { type: 'write_back'; ledgerWrite: TimelineWriteBack })
  | (EntryBase & { type: 'flag'; flag: TimelineFlag })
  | (EntryBase & { type: 'task'; task: TimelineTask });

export interface TimelinePage {
  entries: TimelineEntry[];
  /** Pass as `before` for the next (older) page; null on the last one. */
  nextCursor: string | null;
}
