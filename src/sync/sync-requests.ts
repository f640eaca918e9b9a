/** How services ask for background work without knowing the job queue. */
export interface SyncRequests {
  /** Queues a sync of one connection (after `delaySeconds`); a sync already waiting for it absorbs the request. */
  sync(connectionId: string, mode: 'full' | 'incremental', delaySeconds?: number): Promise<void>;
  /** Queues routing of newly received webhook events. */
  routeWebhooks(): Promise<void>;
}

/** How jobs and routes ask for collections work: an evaluation, a delivery, a write-back. */
export interface CollectionRequests {
  /** Queues an evaluation of one organisation; one already waiting absorbs the request. */
  evaluate(orgId: string): Promise<void>;
  /** Queues delivery of one outbox message. */
  deliverMessage(messageId: string): Promise<void>;
  /** Queues one ledger write-back. */
  writeLedger(writeId: string): Promise<void>;
  /** Queues the weekly summary of one organisation (a job of its own; once per week whatever happens). */
  weeklySummary(orgId: string): Promise<void>;
  /** Queues the processing of stored inbound emails (debtors' replies); a minutely job catches up otherwise. */
  processReplies?(): Promise<void>;
}
