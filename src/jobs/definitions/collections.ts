import { and, eq, inArray, lte } from 'drizzle-orm';
import { z } from 'zod';
import { evaluateOrganisation } from '../../collections/evaluate.js';
import { advisoryLockHeld } from '../../db/advisory-lock.js';
import type { Database } from '../../db/client.js';
import { ledgerConnections, ledgerWrites, outboundMessages } from '../../db/schema/index.js';
import { deliverLedgerWrite } from '../../ledger-writes/deliver-ledger-write.js';
import { deliverMessage } from '../../messaging/delivery/deliver-message.js';
import { DeliveryRunError, deliverDue } from '../../messaging/delivery/delivery-run.js';
import type { DeliveryDeps } from '../../messaging/delivery/deps.js';
import { defineAppJob, type JobDeps } from '../deps.js';

const dayMs = 86_400_000;

/** Every hour, an evaluation of each organisation with a working connection. */
export const evaluateAllJob = defineAppJob({
  name: 'collections.evaluate-all',
  payload: z.object({}),
  retry: { limit: 2, delaySeconds: 120, backoff: true },
  schedule: { cron: '7 * * * *', timeZone: 'UTC', payload: {} },
  async handle(_payload, { deps, logger }) {
    const organisations = await deps.db
      .selectDistinct({ orgId: ledgerConnections.orgId })
      .from(ledgerConnections)
      .where(eq(ledgerConnections.status, 'active'));
    for (const { orgId } of organisations) await deps.requests.evaluate(orgId);
    logger.info({ organisations: organisations.length }, 'queued the hourly evaluations');
  },
});

/** Plans what is due for one organisation's debtors, then queues what it produced. */
export const evaluateOrganisationJob = defineAppJob({
  name: 'collections.evaluate',
  payload: z.object({ orgId: z.uuid() }),
  retry: { limit: 3, delaySeconds: 60, backoff: true },
  expireInSeconds: 1_800,
  serialiseBy: ({ orgId }) => orgId,
  dedupeBy: ({ orgId }) => orgId,
  async handle({ orgId }, { deps, logger }) {
    const now = new Date();
    const result = await evaluateOrganisation(deps.db, orgId, { now });
    const queued = await queueOutbox(deps, orgId);
    logger.info({ orgId, ...result, ...queued }, 'evaluated');
  },
});

/** Queues delivery of what waits in the outboxes (new, or left by a crash); duplicates are absorbed. */
async function queueOutbox(deps: JobDeps, orgId: string | null) {
  // One delivery run per organisation with something due: balances are re-read in batches.
  const organisations = await organisationsWithDueMessages(deps.db, orgId);
  for (const organisation of organisations) await deps.requests.deliverDue(organisation.orgId);
  const writes = await deps.db
    .select({ id: ledgerWrites.id })
    .from(ledgerWrites)
    .where(
      orgId
        ? and(eq(ledgerWrites.status, 'pending'), eq(ledgerWrites.orgId, orgId))
        : eq(ledgerWrites.status, 'pending'),
    )
    .limit(5_000);
  for (const write of writes) await deps.requests.writeLedger(write.id);
  return { runsQueued: organisations.length, writesQueued: writes.length };
}

const dueMessages = () =>
  and(inArray(outboundMessages.status, ['pending', 'sending']), lte(outboundMessages.sendAfter, new Date()));

function organisationsWithDueMessages(db: Database, orgId: string | null) {
  return db
    .selectDistinct({ orgId: outboundMessages.orgId })
    .from(outboundMessages)
    .where(orgId ? and(dueMessages(), eq(outboundMessages.orgId, orgId)) : dueMessages());
}

/** Every five minutes: whatever portal actions, approvals or a crash left waiting is queued. */
export const sweepOutboxJob = defineAppJob({
  name: 'collections.sweep-outbox',
  payload: z.object({}),
  retry: { limit: 1, delaySeconds: 60, backoff: false },
  schedule: { cron: '*/5 * * * *', timeZone: 'UTC', payload: {} },
  async handle(_payload, { deps, logger }) {
    const queued = await queueOutbox(deps, null);
    if (queued.runsQueued + queued.writesQueued > 0) logger.info(queued, 'queued waiting deliveries');
  },
});

/** How the jobs deliver messages: the worker's transport and links. */
function deliveryDeps(deps: JobDeps, lockKey?: string): DeliveryDeps {
  return {
    db: deps.db,
    ledger: deps.ledger,
    transport: deps.collections.transport,
    ...(deps.sms ? { sms: deps.sms } : {}),
    links: deps.collections.links,
    from: deps.collections.from,
    ...(deps.collections.replyAddresses ? { replyAddresses: deps.collections.replyAddresses } : {}),
    // A debtor opts out of reminders on their portal; the organisation's own people unsubscribe
    // from the weekly summary (a notice with no customer); a notice about a debtor to the
    // organisation (a dispute) has no unsubscribe: it must never opt the debtor out; nor has a test
    // email a person asked for themselves.
    unsubscribeUrl: (message) =>
      message.purpose === 'reminder' && message.customerId
        ? `${deps.collections.links.urlFor({ orgId: message.orgId, customerId: message.customerId }, new Date(Date.now() + 60 * dayMs))}/opt-out`
        : message.customerId === null && message.template !== 'test-reminder'
          ? deps.weeklySummary.links.unsubscribeUrl(message.orgId, message.to[0]?.email ?? '')
          : null,
    now: () => new Date(),
    ...(lockKey ? { claimant: { key: lockKey, isHeld: (key) => advisoryLockHeld(deps.db, key) } } : {}),
  };
}

/**
 * A delivery run of one organisation (see deliverDue): its due messages in batches, each batch's
 * balances re-read from the ledger in as few calls as the vendor allows. One at a time per
 * organisation, on every worker; a request while one runs queues one more run, which picks up what
 * arrived meanwhile. What a run leaves undelivered is retried with backoff.
 */
export const deliverDueJob = defineAppJob({
  name: 'collections.deliver-due',
  payload: z.object({ orgId: z.uuid() }),
  retry: { limit: 6, delaySeconds: 60, backoff: true, maxDelaySeconds: 3_600 },
  expireInSeconds: 1_800,
  serialiseBy: ({ orgId }) => orgId,
  dedupeBy: ({ orgId }) => orgId,
  async handle({ orgId }, { deps, logger, signal, lockKey }) {
    try {
      const result = await deliverDue(deliveryDeps(deps, lockKey), orgId, {
        ...(deps.collections.deliveryBatch ? { batchSize: deps.collections.deliveryBatch } : {}),
        signal,
      });
      logger.info({ orgId, ...result }, 'delivery run');
    } catch (error) {
      if (error instanceof DeliveryRunError)
        logger.warn({ orgId, ...error.result }, 'delivery run left some');
      throw error;
    }
  },
});

/**
 * Sends one outbox message exactly once (see deliverMessage): notices queued on their own (the
 * weekly summary), and a retry of one message. Reminders normally go in delivery runs.
 */
export const deliverMessageJob = defineAppJob({
  name: 'collections.deliver-message',
  payload: z.object({ messageId: z.uuid() }),
  retry: { limit: 6, delaySeconds: 60, backoff: true, maxDelaySeconds: 3_600 },
  serialiseBy: ({ messageId }) => messageId,
  dedupeBy: ({ messageId }) => messageId,
  async handle({ messageId }, { deps, logger, lockKey }) {
    const outcome = await deliverMessage(deliveryDeps(deps, lockKey), messageId);
    logger.info({ messageId, outcome }, 'message delivery');
  },
});

/** Applies one write-back to the ledger, retried with backoff through outages (idempotent). */
export const deliverLedgerWriteJob = defineAppJob({
  name: 'collections.write-ledger',
  payload: z.object({ writeId: z.uuid() }),
  retry: { limit: 8, delaySeconds: 60, backoff: true, maxDelaySeconds: 7_200 },
  serialiseBy: ({ writeId }) => writeId,
  dedupeBy: ({ writeId }) => writeId,
  async handle({ writeId }, { deps, logger }) {
    const outcome = await deliverLedgerWrite(deps.ledger, writeId);
    logger.info({ writeId, outcome }, 'ledger write-back');
  },
});
