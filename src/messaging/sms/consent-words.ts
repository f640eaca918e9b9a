/**
 * What a debtor agrees to by ticking "text me" on their page: shown beside the box, and recorded word
 * for word with the consent.
 */
export function textConsentWords(organisationName: string): string {
  return `I agree to get text messages from ${organisationName} at this number reminding me about the invoices on this page. I can reply STOP to any text to stop them, or HELP for help.`;
}

/** How the consent was given, in words, for the record: where, when (UTC) and what was agreed. */
export function portalConsentMethod(organisationName: string, at: Date): string {
  const when = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `Ticked the "text me" box on their payment page at ${when}, agreeing to: "${textConsentWords(organisationName)}"`;
}

/** A number as the debtor's page shows it: its last four digits only. */
export function lastFourDigits(phone: string): string {
  return `•••• ${phone.replace(/\D/g, '').slice(-4)}`;
}
