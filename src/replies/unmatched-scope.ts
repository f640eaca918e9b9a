import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { customerPhones, customers, inboundEmails, inboundSms, smsMessages } from '../db/schema/index.js';

/**
 * The unmatched emails an organisation may see: those kept `unmatched` with its id, which the
 * matching gives only when the organisation could be told (the reply named its message, or its
 * customers alone hold the sender's address). An email whose organisation could not be told has no
 * id and is shown to nobody: no organisation can be told it is theirs without showing it to others.
 */
export function unmatchedEmailsOf(orgId: string): SQL | undefined {
  return and(eq(inboundEmails.orgId, orgId), eq(inboundEmails.status, 'unmatched'));
}

/**
 * The incoming texts an organisation may see as unmatched: free text (no keyword), acted on already,
 * from a number this organisation had texted when it came (so the sender was answering it), which no
 * live customer of this organisation holds now.
 */
export function unmatchedTextsOf(orgId: string): SQL | undefined {
  return and(
    eq(inboundSms.orgId, orgId),
    isNull(inboundSms.keyword),
    eq(inboundSms.status, 'processed'),
    sql`exists (select 1 from ${smsMessages} where ${smsMessages.orgId} = ${orgId}
      and ${smsMessages.toPhone} = ${inboundSms.fromPhone} and ${smsMessages.status} <> 'refused'
      and ${smsMessages.createdAt} <= ${inboundSms.receivedAt})`,
    sql`not exists (select 1 from ${customerPhones} join ${customers}
      on ${customers.id} = ${customerPhones.customerId} and ${customers.deletedAt} is null
      where ${customerPhones.orgId} = ${orgId} and ${customerPhones.phone} = ${inboundSms.fromPhone})`,
  );
}
