import type { Database } from '../../db/client.js';
import type { SmsDeps } from './send.js';
import { createTwilioTransport, type TwilioSettings } from './twilio-transport.js';

/** Where the provider posts a sent text's status changes, under the public URL. */
export const smsStatusCallbackPath = '/webhooks/twilio/status';
/** Where the sending number's incoming texts are to be posted (set in the provider's console). */
export const smsInboundPath = '/webhooks/twilio/inbound';

/** What sending texts needs, from the settings: Twilio's transport and the status callback URL under `publicUrl`. */
export function smsDeps(db: Database, settings: TwilioSettings, publicUrl: string): SmsDeps {
  return {
    db,
    transport: createTwilioTransport(settings),
    statusCallbackUrl: `${publicUrl}${smsStatusCallbackPath}`,
  };
}
