import twilio from 'twilio';

/** The header Twilio signs its webhook requests with (Node lower-cases header names). */
export const twilioSignatureHeader = 'x-twilio-signature';

/**
 * Whether a webhook request is Twilio's: X-Twilio-Signature checked with twilio-node's
 * `validateRequest` (HMAC-SHA1 under the auth token of the public URL Twilio requested, query
 * included, followed by the POST parameters sorted by name). `url` must be the URL as Twilio was
 * given it: the public URL, not the address behind a proxy.
 */
export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string | string[]>,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}
