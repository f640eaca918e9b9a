import { and, asc, count, desc, eq, ilike, inArray, isNull, sql } from 'drizzle-orm';
import { customerContacts, customers, inboundEmails, inboundSms, smsMessages } from '../db/schema/index.js';
import type { ServiceContext } from '../services/context.js';
import { ownWords } from './reply-text.js';
import { senderAddress } from './sender-match.js';
import { unmatchedEmailsOf, unmatchedTextsOf } from './unmatched-scope.js';

/** A message nobody could tie to a customer, as the Unmatched messages page shows it. */
export interface UnmatchedMessage {
  kind: 'email' | 'text';
  id: string;
  receivedAt: Date;
  /** The sender's address, or the phone number. */
  from: string;
  /** An email's subject; empty for a text. */
  subject: string;
  /** The first lines of what they wrote (quoted history and signature left out), as plain text. */
  excerpt: string;
  /** Customers it is likely from: those holding the sender's address, or last texted at the number. */
  likely: { id: string; name: string }[];
}

/** Most messages listed at once, newest first; the rest show as the ones above are dealt with. */
const pageSize = 50;
const excerptLines = 8;
const excerptLength = 600;
/** Most customers offered in a chooser; a search narrows them. */
const choiceLimit = 300;

/** The first lines of what they wrote: an email's own words (quoted history and signature left out), a text whole. */
function excerptOf(text: string, kind: 'email' | 'text'): string {
  const words = (kind === 'email' && ownWords(text)) || text.trim();
  const lines = words.split('\n').slice(0, excerptLines).join('\n');
  const cut = lines.length > excerptLength ? lines.slice(0, excerptLength) : lines;
  return cut.length < words.length ? `${cut.trimEnd()}…` : cut;
}

/** The organisation's unmatched emails and texts, newest first. Only its own: see `unmatched-scope.ts`. */
export async function unmatchedMessages(ctx: ServiceContext): Promise<UnmatchedMessage[]> {
  const [emails, texts] = await Promise.all([
    ctx.db
      .select({
        id: inboundEmails.id,
        receivedAt: inboundEmails.receivedAt,
        from: inboundEmails.fromAddress,
        subject: inboundEmails.subject,
        text: inboundEmails.text,
      })
      .from(inboundEmails)
      .where(unmatchedEmailsOf(ctx.orgId))
      .orderBy(desc(inboundEmails.receivedAt))
      .limit(pageSize),
    ctx.db
      .select({
        id: inboundSms.id,
        receivedAt: inboundSms.receivedAt,
        from: inboundSms.fromPhone,
        text: inboundSms.body,
      })
      .from(inboundSms)
      .where(unmatchedTextsOf(ctx.orgId))
      .orderBy(desc(inboundSms.receivedAt))
      .limit(pageSize),
  ]);
  const byAddress = await holdersOf(
    ctx,
    emails.flatMap((email) => senderAddress(email.from) ?? []),
  );
  const byPhone = await lastTextedAt(
    ctx,
    texts.map((text) => text.from),
  );
  return [
    ...emails.map((email) => ({
      kind: 'email' as const,
      id: email.id,
      receivedAt: email.receivedAt,
      from: email.from,
      subject: email.subject,
      excerpt: excerptOf(email.text, 'email'),
      likely: byAddress.get(senderAddress(email.from) ?? '') ?? [],
    })),
    ...texts.map((text) => ({
      kind: 'text' as const,
      id: text.id,
      receivedAt: text.receivedAt,
      from: text.from,
      subject: '',
      excerpt: excerptOf(text.text, 'text'),
      likely: byPhone.get(text.from) ?? [],
    })),
  ]
    .sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime())
    .slice(0, pageSize);
}

/** How many unmatched messages wait for the organisation (the review queue links to them when any). */
export async function unmatchedCount(ctx: ServiceContext): Promise<number> {
  const [[emails], [texts]] = await Promise.all([
    ctx.db.select({ n: count() }).from(inboundEmails).where(unmatchedEmailsOf(ctx.orgId)),
    ctx.db.select({ n: count() }).from(inboundSms).where(unmatchedTextsOf(ctx.orgId)),
  ]);
  return (emails?.n ?? 0) + (texts?.n ?? 0);
}

/** The organisation's live customers to choose from, by name, those whose name or address matches `search`. */
export async function customerChoices(
  ctx: ServiceContext,
  search: string,
): Promise<{ customers: { id: string; name: string }[]; more: boolean }> {
  const words = search.trim().slice(0, 100);
  const pattern = `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await ctx.db
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .where(
      and(
        eq(customers.orgId, ctx.orgId),
        isNull(customers.deletedAt),
        words
          ? sql`(${ilike(customers.name, pattern)} or exists (select 1 from ${customerContacts}
              where ${customerContacts.customerId} = ${customers.id} and ${ilike(customerContacts.email, pattern)}))`
          : undefined,
      ),
    )
    .orderBy(asc(customers.name), asc(customers.id))
    .limit(choiceLimit + 1);
  return { customers: rows.slice(0, choiceLimit), more: rows.length > choiceLimit };
}

/** The organisation's live customers holding each address (an email whose sender several of them share). */
async function holdersOf(ctx: ServiceContext, addresses: string[]) {
  const found = new Map<string, { id: string; name: string }[]>();
  if (addresses.length === 0) return found;
  const rows = await ctx.db
    .selectDistinct({
      address: sql<string>`lower(${customerContacts.email})`,
      id: customers.id,
      name: customers.name,
    })
    .from(customerContacts)
    .innerJoin(customers, and(eq(customers.id, customerContacts.customerId), eq(customers.orgId, ctx.orgId)))
    .where(
      and(
        eq(customerContacts.orgId, ctx.orgId),
        isNull(customers.deletedAt),
        inArray(sql`lower(${customerContacts.email})`, [...new Set(addresses)]),
      ),
    )
    .orderBy(asc(customers.name));
  for (const row of rows) found.set(row.address, [...(found.get(row.address) ?? []), row]);
  return found;
}

/** The live customer this organisation last texted at each number. */
async function lastTextedAt(ctx: ServiceContext, phones: string[]) {
  const found = new Map<string, { id: string; name: string }[]>();
  if (phones.length === 0) return found;
  const rows = await ctx.db
    .selectDistinctOn([smsMessages.toPhone], {
      phone: smsMessages.toPhone,
      id: customers.id,
      name: customers.name,
    })
    .from(smsMessages)
    .innerJoin(customers, and(eq(customers.id, smsMessages.customerId), eq(customers.orgId, ctx.orgId)))
    .where(
      and(
        eq(smsMessages.orgId, ctx.orgId),
        isNull(customers.deletedAt),
        inArray(smsMessages.toPhone, [...new Set(phones)]),
      ),
    )
    .orderBy(smsMessages.toPhone, desc(smsMessages.createdAt));
  for (const row of rows) found.set(row.phone, [{ id: row.id, name: row.name }]);
  return found;
}
