// Reliability suite, crash safety (#17): `tsx test/reliability/crash.ts` (RELIABILITY_SHORT=1 for CI).
//
// For 1 and then 2 real worker processes (`src/main.ts --role worker`, the local email transport,
// heartbeat 1 s / timeout 10 s), each trial puts a new QuickBooks emulator company with CRASH_DEBTORS
// overdue debtors (one due reminder each) into Dunwell, queues its delivery run, SIGKILLs a worker at a
// random moment of that work (seeded: CRASH_SEED), and starts a new worker at once. The script stands
// in for the web process and the clock: it queues the delivery run, and every 2 s the outbox sweep (the
// 5-minute `collections.sweep-outbox` cron, compressed), which also queues the collection notes. At
// the end (after a deadline of CRASH_SETTLE_S), it counts, per worker count:
// - duplicates: emails handed to the transport more than once for one message (a trigger logs every
//   write of `local_email_sends`, which records each send before `send` returns, so a re-send that its
//   upsert absorbs is still seen), plus notes written twice in the emulator company (several
//   Attachables for one debtor's reminder);
// - lost: reminders not sent, sent but never handed to the transport, or without their note (its
//   `ledger_writes` row not done, or no Attachable for it in the company);
// - resume_s_max: the longest time from starting the new worker until every job that was active when
//   the worker died was taken up again (running again with a new start, or finished);
// - mid_send_resume_s_max: for messages the kill caught mid-send (claimed "sending", never reported
//   back), the longest time from the restart until each was sent: the claim names the job's lock,
//   which died with the worker, so the next delivery looks it up at once (goal: within 60 s).
// Prints one JSON line per worker count; exits 1 when anything was duplicated or lost.

import { randomBytes } from 'node:crypto';
import { prng } from '../../emulators/kit/prng.js';
import { createQuickBooksEmulator, type QuickBooksEmulator } from '../../emulators/quickbooks/index.js';
import { connectDatabase } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import type { JobDeps } from '../../src/jobs/deps.js';
import { createJobQueue } from '../../src/jobs/queue.js';
import { type AppJobRegistry, jobRegistry } from '../../src/jobs/registry.js';
import { createLogger } from '../../src/logger.js';
import { createScratchDatabase } from '../helpers/databases.js';
import { emulatorLedger } from '../helpers/emulator-ledger.js';
import { openTestServer } from '../helpers/test-server.js';
import { type CrashCompany, crashCompany } from './crash-company.js';
import { type CrashWorker, CrashWorkers } from './crash-workers.js';

const short = process.env['RELIABILITY_SHORT'] === '1';
const trialsPerGroup = Number(process.env['CRASH_TRIALS'] ?? (short ? 3 : 20));
const debtorsPerTrial = Number(process.env['CRASH_DEBTORS'] ?? 25);
const seed = Number(process.env['CRASH_SEED'] ?? 17);
/** The kill lands uniformly within this long after the delivery run is queued. */
const windowMs = Number(process.env['CRASH_WINDOW_MS'] ?? 2_500);
const settleSeconds = Number(process.env['CRASH_SETTLE_S'] ?? 90);
const groups = (process.env['CRASH_WORKERS'] ?? '1,2').split(',').map(Number);
const heartbeatSeconds = 1;
const timeoutSeconds = 10;
const resumeDeadlineMs = 60_000;

const app = {
  clientId: 'crash-client',
  clientSecret: 'crash-secret',
  webhookVerifierToken: 'crash-verifier',
};
const tokenKeys = `crash:${randomBytes(32).toString('base64')}`;
const sessionSecret = randomBytes(24).toString('hex');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface GroupResult {
  line: Record<string, unknown>;
  details: string[];
}

async function runGroup(
  adminUrl: string,
  emulator: QuickBooksEmulator,
  workerCount: number,
): Promise<GroupResult> {
  const started = Date.now();
  const random = prng(seed * 1_000 + workerCount);
  const database = await createScratchDatabase(adminUrl, `crash${workerCount}`);
  const logger = createLogger('warn');
  const handle = connectDatabase(database.url, { poolMax: 4, logger });
  const details: string[] = [];
  const workers = new CrashWorkers(`${workerCount}w`, {
    DATABASE_URL: database.url,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    TOKEN_KEYS: tokenKeys,
    SESSION_SECRET: sessionSecret,
    QUICKBOOKS_CLIENT_ID: app.clientId,
    QUICKBOOKS_CLIENT_SECRET: app.clientSecret,
    QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN: app.webhookVerifierToken,
    QUICKBOOKS_EMULATOR_URL: emulator.url,
    QUICKBOOKS_ENVIRONMENT: 'sandbox',
    JOB_HEARTBEAT_SECONDS: String(heartbeatSeconds),
    JOB_HEARTBEAT_TIMEOUT_SECONDS: String(timeoutSeconds),
  });
  let sweeper: NodeJS.Timeout | undefined;
  const producer = createJobQueue<JobDeps, AppJobRegistry>({
    connectionString: database.url,
    registry: jobRegistry,
    logger: createLogger('silent'),
    role: 'producer',
    concurrency: 1,
  });
  try {
    await runMigrations(database.url);
    // Every write of local_email_sends (a send the transport recorded), even one its upsert absorbs.
    await handle.pool.query(`
      create table crash_send_log (id bigserial primary key, message_id text not null, at timestamptz not null default clock_timestamp());
      create function crash_log_send() returns trigger language plpgsql as $$
        begin insert into crash_send_log (message_id) values (new.message_id); return new; end $$;
      create trigger crash_log_send before insert on local_email_sends for each row execute function crash_log_send();`);
    const ledger = emulatorLedger({ handle, tokenKeys, app, emulatorUrl: emulator.url, logger });

    // The workers set up the queues (with their heartbeat) before anything is queued.
    const first = await Promise.all(Array.from({ length: workerCount }, () => workers.spawn()));
    await Promise.all(first.map((worker) => workers.ready(worker)));
    await producer.start();
    sweeper = setInterval(() => {
      producer.send('collections.sweep-outbox', {}).catch(() => undefined);
    }, 2_000);

    const companies: CrashCompany[] = [];
    const queuedAt = new Map<string, Date>();
    let resumeMax = 0;
    let killsMidJob = 0;
    const midSend = new Map<string, number>();
    for (let trial = 0; trial < trialsPerGroup; trial++) {
      const company = await crashCompany(emulator, ledger, handle.pool, {
        label: `${workerCount}w-${trial}`,
        debtors: debtorsPerTrial,
      });
      companies.push(company);
      // A trial starts with every worker taking jobs (the one started after the last kill too).
      await Promise.all(workers.live.map((worker) => workers.ready(worker)));
      queuedAt.set(company.orgId, new Date());
      await handle.pool.query('update outbound_messages set send_after = now() where org_id = $1', [
        company.orgId,
      ]);
      await producer.send('collections.deliver-due', { orgId: company.orgId });
      const killAfter = random() * windowMs;
      await sleep(killAfter);
      const victim = workers.live[Math.floor(random() * workers.live.length)] as CrashWorker;
      const active = (
        await handle.pool.query<{ id: string; name: string; started_on: Date }>(
          "select id, name, started_on from pgboss.job where state = 'active'",
        )
      ).rows;
      await workers.kill(victim);
      if (active.length > 0) killsMidJob += 1;
      const restarted = await workers.spawn();
      // Caught mid-send: claimed and never reported back. How long until each is sent is measured.
      for (const { id } of (
        await handle.pool.query<{ id: string }>(
          "select id from outbound_messages where org_id = $1 and status = 'sending' and last_error is null",
          [company.orgId],
        )
      ).rows) {
        midSend.set(id, restarted.startedAt);
      }
      // Taken up again: running with a new start, or finished (by a live worker, or its retry).
      let waiting = active;
      while (waiting.length > 0) {
        if (Date.now() - restarted.startedAt > resumeDeadlineMs) {
          details.push(
            `trial ${trial}: jobs still not taken up ${resumeDeadlineMs / 1000} s after the restart: ${JSON.stringify(waiting)}`,
          );
          break;
        }
        const now = (
          await handle.pool.query<{ id: string; state: string; started_on: Date | null }>(
            'select id, state, started_on from pgboss.job where id = any($1::uuid[])',
            [waiting.map((job) => job.id)],
          )
        ).rows;
        const byId = new Map(now.map((row) => [row.id, row]));
        waiting = waiting.filter((job) => {
          const row = byId.get(job.id);
          if (!row) return false;
          if (['completed', 'failed', 'cancelled'].includes(row.state)) return false;
          return !(row.state === 'active' && row.started_on && row.started_on > job.started_on);
        });
        if (waiting.length > 0) await sleep(100);
      }
      const resume = active.length > 0 ? (Date.now() - restarted.startedAt) / 1000 : 0;
      resumeMax = Math.max(resumeMax, resume);
      details.push(
        `trial ${trial}: killed ${victim.name} ${Math.round(killAfter)} ms after queuing, with ${active.length} active job(s) (${[...new Set(active.map((job) => job.name))].join(', ') || 'none'}); taken up ${resume.toFixed(1)} s after ${restarted.name} was started`,
      );
    }

    // After recovery, with a deadline: everything sent, every note written.
    const settledBy = Date.now() + settleSeconds * 1_000;
    const outstanding = async () =>
      (
        await handle.pool.query<{ messages: number; writes: number }>(
          `select (select count(*)::int from outbound_messages where status <> 'sent') as messages,
                  (select count(*)::int from ledger_writes where status <> 'done') as writes`,
        )
      ).rows[0] ?? { messages: -1, writes: -1 };
    let left = await outstanding();
    while ((left.messages > 0 || left.writes > 0) && Date.now() < settledBy) {
      await sleep(1_000);
      left = await outstanding();
    }
    clearInterval(sweeper);
    sweeper = undefined;
    await Promise.all(workers.live.map((worker) => workers.ready(worker)));
    await sleep(1_000); // a late duplicate would still be counted
    const exits = await workers.stopAll();
    if (exits.some((code) => code !== 0)) details.push(`workers exited with ${JSON.stringify(exits)}`);

    // Emails: handed to the transport more than once, or never though recorded sent, or not sent at all.
    const emails = (
      await handle.pool.query<{
        status: string;
        sends: number;
        customer: string;
        org_id: string;
        id: string;
        sent_at: Date | null;
      }>(
        `select m.id, m.org_id, m.status, m.sent_at, c.external_id as customer,
                (select count(*)::int from crash_send_log l where l.message_id = m.id::text) as sends
           from outbound_messages m join customers c on c.id = m.customer_id`,
      )
    ).rows;
    let duplicateEmails = 0;
    let lostEmails = 0;
    for (const email of emails) {
      if (email.sends > 1) {
        duplicateEmails += email.sends - 1;
        details.push(`DUPLICATE email: message ${email.id} handed to the transport ${email.sends} times`);
      }
      if (email.status !== 'sent' || email.sends === 0) {
        lostEmails += 1;
        details.push(
          `LOST email: message ${email.id} is ${email.status}, handed to the transport ${email.sends} time(s)`,
        );
      }
    }
    // Notes: the write-back outbox, and what landed in each emulator company.
    const writes = (
      await handle.pool.query<{ status: string; idempotency_key: string; last_error: string | null }>(
        'select status, idempotency_key, last_error from ledger_writes',
      )
    ).rows;
    let lostNotes = 0;
    for (const write of writes.filter((row) => row.status !== 'done')) {
      lostNotes += 1;
      details.push(
        `LOST note: ledger write ${write.idempotency_key} is ${write.status} (${write.last_error})`,
      );
    }
    let duplicateNotes = 0;
    let notesWritten = 0;
    const sentBy = new Map<string, Set<string>>();
    for (const email of emails.filter((row) => row.status === 'sent')) {
      sentBy.set(email.org_id, (sentBy.get(email.org_id) ?? new Set()).add(email.customer));
    }
    for (const company of companies) {
      const notes = new Map<string, number>();
      for (const attachable of emulator.company(company.realmId).attachables) {
        const refs = (attachable['AttachableRef'] as Array<{ EntityRef: { value: string } }>)
          .map((ref) => ref.EntityRef.value)
          .sort()
          .join(',');
        notes.set(refs, (notes.get(refs) ?? 0) + 1);
        notesWritten += 1;
      }
      for (const [refs, count] of notes) {
        if (count > 1) {
          duplicateNotes += count - 1;
          details.push(`DUPLICATE note: realm ${company.realmId}, invoices ${refs}: ${count} Attachables`);
        }
      }
      for (const debtor of sentBy.get(company.orgId) ?? []) {
        const refs = (company.invoicesOf.get(debtor) ?? []).join(',');
        if (!notes.has(refs)) {
          lostNotes += 1;
          details.push(
            `LOST note: realm ${company.realmId}, debtor ${debtor} (invoices ${refs}) has no Attachable`,
          );
        }
      }
    }
    // How long each trial's work took (for the kill window): queued → last email, → last note.
    const spans = (
      await handle.pool.query<{ org_id: string; last_sent: Date; last_note: Date }>(
        `select m.org_id, max(m.sent_at) as last_sent,
                (select max(w.done_at) from ledger_writes w where w.org_id = m.org_id) as last_note
           from outbound_messages m group by m.org_id`,
      )
    ).rows;
    let lastEmailMax = 0;
    for (const span of spans) {
      const queued = queuedAt.get(span.org_id)?.getTime() ?? 0;
      if (span.last_sent) lastEmailMax = Math.max(lastEmailMax, (span.last_sent.getTime() - queued) / 1000);
      details.push(
        `org ${span.org_id}: last email ${((span.last_sent?.getTime() - queued) / 1000).toFixed(1)} s, last note ${((span.last_note?.getTime() - queued) / 1000).toFixed(1)} s after its run was queued`,
      );
    }
    // Messages caught mid-send: from the restart until sent (their claim's job lock is free at once).
    let midSendResumeMax = 0;
    for (const [id, restartedAt] of midSend) {
      const sentAt = emails.find((email) => email.id === id)?.sent_at?.getTime();
      const resumed = sentAt === undefined ? Number.POSITIVE_INFINITY : (sentAt - restartedAt) / 1000;
      midSendResumeMax = Math.max(midSendResumeMax, resumed);
      if (resumed > resumeDeadlineMs / 1000)
        details.push(`SLOW mid-send message ${id}: sent ${resumed.toFixed(1)} s after the restart`);
    }
    const messages = companies.reduce((sum, company) => sum + company.messages, 0);
    if (emails.length !== messages) details.push(`expected ${messages} messages, found ${emails.length}`);
    for (const line of workers.grep(/retrying it now|"level":[456]0/)) details.push(line);
    return {
      line: {
        bench: 'crash',
        trials: trialsPerGroup,
        workers: workerCount,
        messages,
        ledger_writes: notesWritten,
        duplicates: duplicateEmails + duplicateNotes,
        lost: lostEmails + lostNotes + Math.abs(messages - emails.length),
        resume_s_max: Math.round(resumeMax * 10) / 10,
        kills_mid_job: killsMidJob,
        mid_send: midSend.size,
        mid_send_resume_s_max: Math.round(midSendResumeMax * 10) / 10,
        last_email_s_max: Math.round(lastEmailMax),
        duplicate_emails: duplicateEmails,
        duplicate_notes: duplicateNotes,
        lost_emails: lostEmails,
        lost_notes: lostNotes,
        run_s: Math.round((Date.now() - started) / 1000),
      },
      details,
    };
  } finally {
    if (sweeper) clearInterval(sweeper);
    await workers.stopAll().catch(() => undefined);
    await producer.stop(500).catch(() => undefined);
    await handle.pool.end();
    await database.drop();
  }
}

const server = await openTestServer(process.env);
const emulator = createQuickBooksEmulator(app);
await emulator.listen(0);
let failed = false;
try {
  // The worker counts run side by side (each on its own database), sharing the emulator.
  const results = await Promise.all(
    groups.map((workerCount) => runGroup(server.adminUrl, emulator, workerCount)),
  );
  for (const result of results) {
    const slow = Number(result.line['mid_send_resume_s_max']) > resumeDeadlineMs / 1000;
    const broken = result.line['duplicates'] !== 0 || result.line['lost'] !== 0 || slow;
    if (process.env['CRASH_VERBOSE'] === '1' || broken)
      for (const detail of result.details) process.stderr.write(`${detail}\n`);
    process.stdout.write(`${JSON.stringify(result.line)}\n`);
    if (broken) failed = true;
  }
} finally {
  await emulator.close();
  await server.stop();
}
process.exit(failed ? 1 : 0);
