/**
 * Twilio's REST errors in its own shape: `{ code, message, more_info, status }` with the HTTP status
 * (twilio-node's RestException reads `code`, `message`, `more_info`). The codes and wordings are
 * those of Twilio's error dictionary (https://www.twilio.com/docs/api/errors/<code>).
 */
export interface TwilioError {
  status: number;
  code: number;
  message: string;
}

export const twilioErrors = {
  authenticate: (): TwilioError => ({ status: 401, code: 20003, message: 'Authenticate' }),
  notFound: (path: string): TwilioError => ({
    status: 404,
    code: 20404,
    message: `The requested resource ${path} was not found`,
  }),
  bodyRequired: (): TwilioError => ({ status: 400, code: 21602, message: 'Message body is required.' }),
  fromRequired: (): TwilioError => ({
    status: 400,
    code: 21603,
    message: "A 'From' phone number is required.",
  }),
  toRequired: (): TwilioError => ({ status: 400, code: 21604, message: "A 'To' phone number is required." }),
  invalidTo: (to: string): TwilioError => ({
    status: 400,
    code: 21211,
    message: `Invalid 'To' Phone Number: ${to}`,
  }),
  invalidFrom: (from: string): TwilioError => ({
    status: 400,
    code: 21606,
    message: `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
  }),
  unsubscribed: (): TwilioError => ({
    status: 400,
    code: 21610,
    message: 'Attempt to send to unsubscribed recipient',
  }),
  tooLong: (): TwilioError => ({
    status: 400,
    code: 21617,
    message: 'The concatenated message body exceeds the 1600 character limit.',
  }),
  tooManyRequests: (): TwilioError => ({ status: 429, code: 20429, message: 'Too Many Requests' }),
  internal: (): TwilioError => ({ status: 500, code: 20500, message: 'Internal Server Error' }),
};

export function errorBody(error: TwilioError): string {
  return JSON.stringify({
    code: error.code,
    message: error.message,
    more_info: `https://www.twilio.com/docs/errors/${error.code}`,
    status: error.status,
  });
}
