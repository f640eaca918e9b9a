import twilio from 'twilio';

/** The TwiML answer to an incoming text: one <Message> with `reply`, or an empty <Response/> (no answer). */
export function twimlReply(reply: string | null): string {
  const response = new twilio.twiml.MessagingResponse();
  if (reply !== null) response.message(reply);
  return response.toString();
}
