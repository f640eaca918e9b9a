import { gsmSafe } from './short-text.js';

/**
 * The words an incoming text may be, as the provider's default opt-out handling reads them on long
 * codes: the whole text, any case, spaces around it ignored (Twilio: "Twilio support for opt-out
 * keywords" and the Advanced Opt-Out guide: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE,
 * OPTOUT opt out; START, YES, UNSTOP opt back in; HELP, INFO ask for help). Anything else is free text.
 */
export type SmsKeyword = 'stop' | 'start' | 'help';

const words: Record<string, SmsKeyword> = {
  STOP: 'stop',
  STOPALL: 'stop',
  UNSUBSCRIBE: 'stop',
  CANCEL: 'stop',
  END: 'stop',
  QUIT: 'stop',
  REVOKE: 'stop',
  OPTOUT: 'stop',
  START: 'start',
  YES: 'start',
  UNSTOP: 'start',
  HELP: 'help',
  INFO: 'help',
};

export function smsKeyword(body: string): SmsKeyword | null {
  return words[body.trim().toUpperCase()] ?? null;
}

/** Who answers HELP: the organisation that last texted the number, as its profile names it. */
export interface HelpSender {
  name: string;
  contactPhone: string | null;
  contactEmail: string | null;
}

/**
 * The HELP answer: who is texting, how to reach a person there, and how to stop. Without a sender (no
 * organisation ever texted the number) a generic answer that names nobody.
 */
export function helpAnswer(sender: HelpSender | null): string {
  if (!sender) return 'Payment reminders. Reply STOP to opt out, START to opt back in.';
  const reach = [sender.contactPhone, sender.contactEmail].filter((part): part is string => Boolean(part));
  const contact = reach.length > 0 ? ` Questions: ${reach.join(' or ')}.` : '';
  return gsmSafe(`${sender.name}: payment reminders.${contact} Reply STOP to opt out.`);
}
