import { randomUUID } from 'node:crypto';
import {
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
  /** The emails taken so far, oldest first (copies); a message sent twice appears twice. */
  sent(): OutgoingEmail[];
  /** Forgets the emails kept so far (and any planned outcomes). */
  clear(): void;
  /** Plans the outcome of the next `send` calls, one per call, in order. */
  failNext(...outcomes: LocalSendOutcome[]): void;
}

export interface LocalTransportOptions {
  /** How many emails `sent()` keeps (default 1000); older ones are dropped, their ids remembered. */
  keep?: number;
}

/**
 * Keeps emails in memory instead of sending them: the transport of zero-setup mode and of tests.
 * Its records are complete at once, so `lookup` answers `sent` or `not_sent`, never `unknown`.
 */
export function createLocalTransport(options: LocalTransportOptions = {}): LocalTransport {
  const keep = Math.max(1, options.keep ?? 1000);
  let emails: OutgoingEmail[] = [];
  /** Every message id taken since the last clear(), with its provider id, even once dropped from `emails`. */
  let taken = new Map<string, string>();
  let planned: LocalSendOutcome[] = [];

  function take(email: OutgoingEmail): string {
    const providerMessageId = taken.get(email.messageId) ?? `local-${randomUUID()}`;
    taken.set(email.messageId, providerMessageId);
    emails.push(structuredClone(email));
    if (emails.length > keep) emails = emails.slice(emails.length - keep);
    return providerMessageId;
  }

  return {
    name: 'local',

    async send(email: OutgoingEmail): Promise<SendResult> {
      const outcome = planned.shift();
      if (outcome === 'unavailable') {
        throw new TransportUnavailableError('local transport: simulated outage', {
          mayHaveBeenAccepted: false,
        });
      }
      if (outcome === 'unavailable-after-accept') {
        take(email);
        throw new TransportUnavailableError('local transport: simulated lost answer', {
          mayHaveBeenAccepted: true,
        });
      }
      if (outcome !== undefined) return { ...outcome };
      return { status: 'sent', providerMessageId: take(email) };
    },

    async lookup(messageId: string, _sentAfter: Date): Promise<LookupResult> {
      const providerMessageId = taken.get(messageId);
      return providerMessageId === undefined ? { status: 'not_sent' } : { status: 'sent', providerMessageId };
    },

    sent(): OutgoingEmail[] {
      return emails.map((email) => structuredClone(email));
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
