import type { Database } from '../../db/client.js';
import { statementFileName, statementPdf } from '../../documents/statement-pdf.js';
import { loadStatement } from '../../statements/statement-of.js';
import type { EmailAttachment } from '../transport/types.js';

/**
 * The debtor's statement of account as a PDF attachment, as of `now` in the organisation's zone
 * (what the books say at the moment the email goes). Null when the customer is gone.
 */
export async function statementAttachment(
  db: Database,
  scope: { orgId: string; customerId: string },
  now: Date,
): Promise<EmailAttachment | null> {
  const statement = await loadStatement(db, scope, { now });
  if (typeof statement === 'string') return null;
  const pdf = await statementPdf(statement);
  return {
    filename: statementFileName(statement),
    contentType: 'application/pdf',
    contentBase64: pdf.toString('base64'),
  };
}
