import type pg from 'pg';
import { z } from 'zod';
import { withAdvisoryLock } from '../../db/advisory-lock.js';
import type { Database } from '../../db/client.js';
import { dueStatementOrganisations, sendMonthlyStatements } from '../../statements/monthly-statements.js';
import { defineAppJob } from '../deps.js';
import { evaluateOrganisationJob } from './collections.js';

/**
 * The advisory lock an organisation's evaluation runs under (the queue's `job:<name>:<key>`): a
 * statement run takes it too, so it and the planner never both decide a contact for the same debtor
 * at once (each sees the other's message waiting, and holds).
 */
const evaluationLock = (orgId: string) =>
  `job:${evaluateOrganisationJob.name}:${evaluateOrganisationJob.serialiseBy?.({ orgId }) ?? orgId}`;

/**
 * Every hour: each organisation that sends monthly statements and whose day has come this month (in
 * its time zone) queues the statements that may go now (`sendMonthlyStatements`): one per debtor per
 * month, whatever runs again; one held by the contact cap or the sending window goes on a later run
 * that month. An organisation that fails is logged and tried again next hour; the others go meanwhile.
 */
export const monthlyStatementsJob = defineAppJob({
  name: 'statements.monthly',
  payload: z.object({}),
  retry: { limit: 2, delaySeconds: 300, backoff: true },
  expireInSeconds: 1_800,
  schedule: { cron: '37 * * * *', timeZone: 'UTC', payload: {} },
  async handle(_payload, { deps, logger }) {
    const now = new Date();
    // The pool the database was made from (`connectDatabase`): the lock is a session's, held across the run.
    const pool = (deps.db as Database & { $client: pg.Pool }).$client;
    const due = await dueStatementOrganisations(deps.db, now);
    for (const orgId of due) {
      try {
        const outcome = await withAdvisoryLock(pool, evaluationLock(orgId), () =>
          sendMonthlyStatements({ db: deps.db, deliverDue: deps.requests.deliverDue, logger }, orgId, now),
        );
        logger.info({ orgId, ...outcome }, 'monthly statements');
      } catch (error) {
        logger.error({ orgId, err: error }, 'could not queue the monthly statements');
      }
    }
  },
});
