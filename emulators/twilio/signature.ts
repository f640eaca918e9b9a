import { createHmac } from 'node:crypto';

/** The header Twilio signs its requests to an application with. */
export const twilioSignatureHeader = 'x-twilio-signature';

/**
 * X-Twilio-Signature as Twilio computes it for a form-encoded POST (Twilio's "Webhooks security"
 * guide): the full URL Twilio requests (scheme, host, any port, path and query as configured), then
 * each POST parameter sorted by name, its name followed by its value with no delimiters (a name sent
 * several times: each of its values, sorted), signed with HMAC-SHA1 under the account's auth token,
 * base64. Written here from that description, not taken from twilio-node, so that the app's
 * verification (which uses twilio-node) is checked against an independent signer.
 */
export function twilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string | string[]>,
): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    const values = Array.isArray(value) ? [...new Set(value)].sort() : [value ?? ''];
    for (const one of values) data += name + one;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}
