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
