import { and, eq } from 'drizzle-orm';
import {
  loadOrganisationContext,
  loadSnapshots,
  type OrganisationContext,
} from '../../collections/load-snapshots.js';
import { policyOf } from '../../collections/policy-versions.js';
import type { DebtorSnapshot } from '../../collections/snapshot.js';
import type { Database } from '../../db/client.js';
import { collectionSteps, outboundMessages } from '../../db/schema/index.js';
import { dayNumber, localMoment } from '../../domain/local-time.js';
import type { Policy } from '../../domain/policy.js';
import type { PortalLinks } from '../../domain/portal-links.js';
import { monthlyStatementTemplate } from '../../statements/monthly-keys.js';
import type { RenderedEmail } from '../templates/index.js';
import type { EmailAttachment } from '../transport/types.js';
import { coverAtSending, isRung } from './cover-at-sending.js';
import { organisationRenderer } from './organisation-renderer.js';
import type { RenderReminder } from './reminder.js';
import { statementAttachment } from './statement-attachment.js';
import { renderStatementEmail } from './statement-email.js';

/** What a queued message sends: its subject and parts, and any files that go with it. */
export type QueuedContent = RenderedEmail & { attachments?: EmailAttachment[] };

type Message = typeof outboundMessages.$inferSelect;

interface OrganisationSetup {
  org: OrganisationContext | null;
  render: RenderReminder | null;
  policy: Policy;
}

const setups = new Map<string, Promise<OrganisationSetup>>();

/**
 * The organisation's context and renderer, shared by the messages it sends in the same minute: a
 * burst of reminders reads its settings and policy once, and a change is picked up a minute later.
 */
function organisationSetup(db: Database, orgId: string, options: { now: Date; links: PortalLinks }) {
  const key = `${orgId}|${Math.floor(options.now.getTime() / 60_000)}`;
  let setup = setups.get(key);
  if (!setup) {
    if (setups.size > 1_000) setups.clear();
    setup = Promise.all([
      loadOrganisationContext(db, orgId),
      organisationRenderer(db, orgId, options),
      policyOf(db, orgId),
    ]).then(([org, render, policy]) => ({ org, render, policy }));
    setup.catch(() => setups.delete(key));
    setups.set(key, setup);
  }
  return setup;
}

/**
 * The snapshots of a batch of one organisation's debtors as the mirror has them now, read together
 * (a handful of queries for the batch, not per message): what a delivery run renders its messages from.
 */
export async function snapshotsOfDebtors(
  db: Database,
  orgId: string,
  customerIds: string[],
  options: { now: Date; links: PortalLinks },
): Promise<Map<string, DebtorSnapshot>> {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return new Map();
  const { org } = await organisationSetup(db, orgId, options);
  if (!org) return new Map();
  const snapshots = await loadSnapshots(db, org, { customerIds: ids, now: options.now });
  return new Map(snapshots.map((snapshot) => [snapshot.customerId, snapshot]));
}

/**
 * A queued reminder's subject and parts. Reminders are rendered when they go (not when planned), so
 * the amounts are the ones just confirmed with the ledger and the portal link starts its life then.
 * They render from what the planner decided (the message's render inputs) and the debtor's snapshot
 * as it is now, over what `coverAtSending` says the message lists; the planner is not run again. The
 * result is stored on the message, which keeps exactly what was sent. Null when nothing it would
 * list is still owed (delivery then cancels the message) or when it has no render inputs. With
 * `attachStatement`, the debtor's statement of account as of this moment goes with it as a PDF.
 */
export async function renderQueuedMessage(
  db: Database,
  message: Message,
  options: {
    now: Date;
    links: PortalLinks;
    /** The debtors' snapshots read for a whole delivery batch (`snapshotsOfDebtors`), when there are. */
    snapshots?: Map<string, DebtorSnapshot>;
  },
): Promise<QueuedContent | null> {
  const content = await contentOf(db, message, options);
  if (!content || !message.renderInputs?.attachStatement || !message.customerId) return content;
  const statement = await statementAttachment(
    db,
    { orgId: message.orgId, customerId: message.customerId },
    options.now,
  );
  return statement ? { ...content, attachments: [statement] } : content;
}

/** The message's subject and parts: as stored, else rendered now (and stored). */
async function contentOf(
  db: Database,
  message: Message,
  options: Parameters<typeof renderQueuedMessage>[2],
): Promise<RenderedEmail | null> {
  if (message.subject !== null && message.bodyHtml !== null && message.bodyText !== null)
    return { subject: message.subject, html: message.bodyHtml, text: message.bodyText };
  const inputs = message.renderInputs;
  if (!inputs || !message.customerId) return null;
  const { org, render, policy } = await organisationSetup(db, message.orgId, options);
  if (!org || !render) return null;
  const snapshot =
    options.snapshots?.get(message.customerId) ??
    (await loadSnapshots(db, org, { customerIds: [message.customerId], now: options.now }))[0];
  if (!snapshot) return null;
  if (message.template === monthlyStatementTemplate) {
    const rendered = await renderStatementEmail(db, snapshot, { ...options, to: message.to });
    if (rendered) await store(db, message, rendered);
    return rendered;
  }
  const today = dayNumber(localMoment(options.now, snapshot.orgTimeZone).date);
  const named = isRung(inputs) ? [] : await invoicesNamed(db, message, message.customerId);
  const covered = coverAtSending(inputs, snapshot, policy, today, named);
  if (covered.length === 0) return null;
  const rendered = await render(
    { ...inputs, invoiceSteps: covered.map((invoiceId) => ({ invoiceId })), to: message.to },
    snapshot,
  );
  await store(db, message, rendered);
  return rendered;
}

/** Keeps what is sent on the message (the attachment is made again from the books if it is resent). */
async function store(db: Database, message: Message, rendered: RenderedEmail) {
  await db
    .update(outboundMessages)
    .set({ subject: rendered.subject, bodyHtml: rendered.html, bodyText: rendered.text })
    .where(eq(outboundMessages.id, message.id));
}

/** The invoices a message's steps name (what the planner chose it to be about). */
async function invoicesNamed(db: Database, message: Message, customerId: string): Promise<string[]> {
  const steps = await db
    .select({ invoiceId: collectionSteps.invoiceId })
    .from(collectionSteps)
    .where(
      and(
        eq(collectionSteps.customerId, customerId),
        eq(collectionSteps.orgId, message.orgId),
        eq(collectionSteps.effectKey, message.idempotencyKey),
      ),
    );
  return steps.map((step) => step.invoiceId);
}
