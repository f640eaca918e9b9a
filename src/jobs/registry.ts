import { pruneWebhookInboxJob } from './definitions/prune-webhook-inbox.js';
import { jobRegistryOf } from './job.js';

/** Every job the worker runs, by queue name. Add a job by adding its definition here. */
export const jobRegistry = jobRegistryOf(pruneWebhookInboxJob);

export type AppJobRegistry = typeof jobRegistry;
