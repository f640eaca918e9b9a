/** How services ask for background work without knowing the job queue. */
export interface SyncRequests {
  /** Queues a sync of one connection (after `delaySeconds`); a sync already waiting for it absorbs the request. */
  sync(connectionId: string, mode: 'full' | 'incremental', delaySeconds?: number): Promise<void>;
  /** Queues routing of newly received webhook events. */
  routeWebhooks(): Promise<void>;
}
