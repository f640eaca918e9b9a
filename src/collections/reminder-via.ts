import type { ReminderVia, Step } from '../domain/policy.js';
import type { DebtorSnapshot } from './snapshot.js';

export interface ChosenVia {
  via: ReminderVia;
  /** Whether the reminder's email addresses stay on it: to send by, or to fall back to when a text cannot go. */
  emailable: boolean;
  /** Why it goes otherwise than the step asks, when it does. */
  why?: string;
}

/**
 * How a due reminder reaches the debtor: as the step asks (by email, by text, or both, one contact)
 * where the debtor can receive it, otherwise by the channel they can. A text needs a number with
 * consent on record and no SMS opt-out; an email needs an address that did not bounce and no email
 * opt-out. Null when neither reaches them: the caller says why and raises a task for a person.
 */
export function reminderVia(step: Step, snapshot: DebtorSnapshot, addresses: number): ChosenVia | null {
  const asked = step.action === 'email' ? (step.via ?? 'email') : 'email';
  const emailable = !snapshot.history.optedOut && addresses > 0;
  const textable = asked !== 'email' && snapshot.textable === true;
  if (textable && emailable) return { via: asked, emailable };
  if (textable)
    return {
      via: 'text',
      emailable,
      why: snapshot.history.optedOut
        ? 'by text: the customer opted out of emails'
        : 'by text: no deliverable email address',
    };
  if (!emailable) return null;
  return asked === 'email'
    ? { via: 'email', emailable }
    : { via: 'email', emailable, why: 'by email: no mobile number with consent to texts on record' };
}
