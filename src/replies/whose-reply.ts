import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { customers, organisations, outboundMessages } from '../db/schema/index.js';
import type { ReplyAddresses } from '../domain/reply-address.js';
import { matchSender } from './sender-match.js';

/**
 * Whose an inbound email is: a debtor's reply, matched by the reply address's token (the reminder it
 * answers) or else by its sender's address; or unmatched, with the organisation it belongs to when
 * one can be told (its Unmatched messages page shows it), null when none can (nobody is shown it).
 */
export type ReplyOwner =
  | {
      kind: 'customer';
      orgId: string;
      customerId: string;
      customerName: string;
      timeZone: string;
      messageId: string | null;
      matchedBy: 'token' | 'sender';
    }
  | { kind: 'unmatched'; orgId: string | null };

/**
 * The reply token is the message id and its HMAC, with no organisation in it: a token whose HMAC
 * holds names the message, and through it the organisation; one whose HMAC fails names nothing that
 * can be believed, not even the organisation.
 */
export async function whoseReply(
  db: Database,
  addresses: ReplyAddresses | undefined,
  email: { toAddress: string; fromAddress: string; senderVerified: boolean },
): Promise<ReplyOwner> {
  const named = addresses?.messageIdIn(email.toAddress);
  if (named && !named.ok && named.reason === 'forged') {
    // A reply address of ours whose HMAC fails was tampered with or mangled: its From is not trusted
    // to name the debtor either (a person decides), but the one organisation holding it may see it.
    const sender = await matchSender(db, email.fromAddress);
    return { kind: 'unmatched', orgId: sender.kind === 'unknown' ? null : sender.orgId };
  }
  const message = named?.ok ? await messageNamed(db, named.messageId) : undefined;
  if (message?.customerId && message.customerName !== null)
    return {
      kind: 'customer',
      orgId: message.orgId,
      customerId: message.customerId,
      customerName: message.customerName,
      timeZone: message.timeZone,
      messageId: message.id,
      matchedBy: 'token',
    };
  // No token of ours, a message that is gone, or one to no debtor (the owner's own notices): the
  // sender's address, held by one customer only, within the message's organisation when it named one.
  const sender = await matchSender(db, email.fromAddress, message?.orgId);
  // A sender's address anyone could have written is not enough: an unverified one waits for a person,
  // on the page of the organisation whose customer holds it.
  if (sender.kind === 'customer' && email.senderVerified)
    return { ...sender, messageId: null, matchedBy: 'sender' };
  return {
    kind: 'unmatched',
    orgId: message?.orgId ?? (sender.kind === 'unknown' ? null : sender.orgId),
  };
}

async function messageNamed(db: Database, messageId: string) {
  const [message] = await db
    .select({
      id: outboundMessages.id,
      orgId: outboundMessages.orgId,
      customerId: outboundMessages.customerId,
      customerName: customers.name,
      timeZone: organisations.timeZone,
    })
    .from(outboundMessages)
    .innerJoin(organisations, eq(organisations.id, outboundMessages.orgId))
    .leftJoin(
      customers,
      and(eq(customers.id, outboundMessages.customerId), eq(customers.orgId, outboundMessages.orgId)),
    )
    .where(eq(outboundMessages.id, messageId));
  return message;
}
