/**
 * The Twilio emulator: Programmable Messaging's Messages resource, status callbacks and incoming
 * texts, signed as Twilio signs them. See README.md.
 */
import { TwilioEmulator, type TwilioEmulatorOptions } from './emulator.js';

export {
  type InboundResult,
  type PostedRequest,
  TwilioEmulator,
  type TwilioEmulatorOptions,
  twimlMessages,
} from './emulator.js';
export type { TwilioError } from './errors.js';
export { twilioErrors } from './errors.js';
export { twilioSignature, twilioSignatureHeader } from './signature.js';
export type { EmulatedMessage, OutboundStatus } from './wire.js';

/** Starts an emulator listening on 127.0.0.1 (port 0: any free port). */
export async function startTwilioEmulator(options: TwilioEmulatorOptions, port = 0): Promise<TwilioEmulator> {
  const emulator = new TwilioEmulator(options);
  await emulator.listen(port);
  return emulator;
}
