import { cleanEmailHtml } from '../templates/sanitize.js';
import type { OutgoingEmail } from './types.js';

/**
 * The email as a transport hands it over: its HTML through the email allow-list
 * (`templates/sanitize.ts`), whoever built it. Reminders were sanitised when rendered; the weekly
 * summary and the notices to the organisation (disputes) are built in code, and anything stored in
 * the outbox could have been written by an older version: every transport calls this first, so no
 * HTML reaches a provider, or the local transport's record, without passing the allow-list.
 */
export function outgoing(email: OutgoingEmail): OutgoingEmail {
  return { ...email, html: cleanEmailHtml(email.html) };
}
