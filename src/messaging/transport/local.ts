import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { localEmailSends } from '../../db/schema/index.js';
import { outgoing } from './outgoing.js';
import {
  attachmentBytes,
  attachmentsProblem,
  type EmailTransport,
  type LookupResult,
  type OutgoingEmail,
  type SendResult,
  TransportUnavailableError,
} from './types.js';

/**
 * What the next `send` does instead of succeeding, for tests of the outbox:
 * - 'unavailable': the provider was not reached (nothing kept);
 * - 'unavailable-after-accept': the provider took the message but the answer was lost (kept, then
 *   throws), the crash window that `lookup` exists for;
 * - a rejection: the provider refused the message (nothing kept).
 */
export type LocalSendOutcome =
  | 'unavailable'
  | 'unavailable-after-accept'
  | { status: 'rejected'; reason: string; permanent: boolean };

export interface LocalTransport extends EmailTransport {
  readonly name: 'local';
  /**
   * The emails taken so far, oldest first (copies), as they would have gone: HTML sanitised (see
   * `outgoing.ts`), attachments whole; a message sent twice appears twice.
   */
  sent(): OutgoingEmail[];
  /** The files sent with the emails taken so far (by message id), by name, type and size in bytes. */
  attachments(): Array<{ messageId: string; filename: string; contentType: string; bytes: number }>;
  /** Forgets the emails kept in memory (and any planned outcomes); the database record stays. */
  clear(): void;
  /** Plans the outcome of the next `send` calls, one per call, in order. */
  failNext(...outcomes: LocalSendOutcome[]): void;
}

export interface LocalTransportOptions {
  /** How many emails `sent()` keeps (default 1000); older ones are dropped, their ids remembered. */
  keep?: number;
  /**
   * Where the transport records each message it takes, before `send` returns (committed, so it
   * survives a crash): the local_email_sends table of this database. With it, `lookup` in another
   * process (after a crash, a restart, or on another worker) finds what was taken, as SendGrid's
   * Email Activity does. Without it (unit tests), the record lives in memory only.
   */
  db?: Database;
}

/**
 * Keeps emails in memory instead of sending them: the transport of zero-setup mode and of tests.
 * Its records are complete at once, so `lookup` answers `sent` or `not_sent`, and `unknown` only
 * when its database cannot be read.
 */
export function createLocalTransport(options: LocalTransportOptions = {}): LocalTransport {
  const keep = Math.max(1, options.keep ?? 1000);
  let emails: OutgoingEmail[] = [];
  /** Every message id taken since the last clear(), with its provider id, even once dropped from `emails`. */
  let taken = new Map<string, string>();
  let planned: LocalSendOutcome[] = [];

  const db = options.db;

  /** Records the send durably (the same provider id again for a message taken before), then keeps it. */
  async function take(email: OutgoingEmail): Promise<string> {
    let providerMessageId = taken.get(email.messageId) ?? `local-${randomUUID()}`;
    if (db) {
      const [row] = await db
        .insert(localEmailSends)
        .values({ messageId: email.messageId, orgId: email.orgId, providerMessageId })
        .onConflictDoUpdate({
          target: localEmailSends.messageId,
          set: { providerMessageId: sql`${localEmailSends.providerMessageId}` },
        })
        .returning({ providerMessageId: localEmailSends.providerMessageId });
      if (row) providerMessageId = row.providerMessageId;
    }
    taken.set(email.messageId, providerMessageId);
    emails.push(structuredClone(email));
    if (emails.length > keep) emails = emails.slice(emails.length - keep);
    return providerMessageId;
  }

  return {
    name: 'local',

    async send(given: OutgoingEmail): Promise<SendResult> {
      // What would go: the HTML through the email allow-list, as the SendGrid transport sends it.
      const email = outgoing(given);
      const tooLarge = attachmentsProblem(email.attachments);
      if (tooLarge)
        return { status: 'rejected', reason: `Not a valid message: ${tooLarge}`, permanent: true };
      const outcome = planned.shift();
      if (outcome === 'unavailable') {
        throw new TransportUnavailableError('local transport: simulated outage', {
          mayHaveBeenAccepted: false,
        });
      }
      if (outcome === 'unavailable-after-accept') {
        await take(email);
        throw new TransportUnavailableError('local transport: simulated lost answer', {
          mayHaveBeenAccepted: true,
        });
      }
      if (outcome !== undefined) return { ...outcome };
      try {
        return { status: 'sent', providerMessageId: await take(email) };
      } catch (error) {
        // Not recorded, so not taken: nothing went, and sending it again is safe.
        throw new TransportUnavailableError('local transport: could not record the send', {
          mayHaveBeenAccepted: false,
          cause: error,
        });
      }
    },

    async lookup(messageId: string, _sentAfter: Date): Promise<LookupResult> {
      let providerMessageId = taken.get(messageId);
      if (providerMessageId === undefined && db) {
        try {
          const [row] = await db
            .select({ providerMessageId: localEmailSends.providerMessageId })
            .from(localEmailSends)
            .where(eq(localEmailSends.messageId, messageId));
          providerMessageId = row?.providerMessageId;
        } catch {
          return { status: 'unknown', detail: 'the local transport could not read its record of sends' };
        }
      }
      return providerMessageId === undefined ? { status: 'not_sent' } : { status: 'sent', providerMessageId };
    },

    sent(): OutgoingEmail[] {
      return emails.map((email) => structuredClone(email));
    },

    attachments() {
      return emails.flatMap((email) =>
        (email.attachments ?? []).map((attachment) => ({
          messageId: email.messageId,
          filename: attachment.filename,
          contentType: attachment.contentType,
          bytes: attachmentBytes(attachment),
        })),
      );
    },

    clear(): void {
      emails = [];
      taken = new Map();
      planned = [];
    },

    failNext(...outcomes: LocalSendOutcome[]): void {
      planned.push(...outcomes);
    },
  };
}
