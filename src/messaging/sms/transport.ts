/** A text as a transport hands it to the provider. */
export interface OutgoingText {
  /** E.164. */
  to: string;
  body: string;
  /** Where the provider posts the text's status changes (absent: none). */
  statusCallback?: string | undefined;
}

/**
 * What the provider said:
 * - accepted: it took the text (its SID and first status, 'queued' or 'accepted');
 * - rejected: it refused this text for good (`code` is the provider's error code); `optedOut` when
 *   the number had texted STOP to the sender, `invalidNumber` when the number cannot take texts.
 */
export type TextSendResult =
  | { status: 'accepted'; sid: string; providerStatus: string }
  | { status: 'rejected'; code: number | null; reason: string; optedOut: boolean; invalidNumber: boolean };

/**
 * The provider could not be reached or answered with a failure that may pass (429, 5xx, a timeout).
 * `mayHaveBeenAccepted` says the text might have been taken all the same (a timeout after sending):
 * such a text is never sent again.
 */
export class TextUnavailableError extends Error {
  readonly mayHaveBeenAccepted: boolean;

  constructor(message: string, options: { mayHaveBeenAccepted: boolean }) {
    super(message);
    this.name = 'TextUnavailableError';
    this.mayHaveBeenAccepted = options.mayHaveBeenAccepted;
  }
}

export interface SmsTransport {
  readonly name: string;
  send(text: OutgoingText): Promise<TextSendResult>;
}
