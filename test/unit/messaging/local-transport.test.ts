import { describe, expect, it } from 'vitest';
import { createLocalTransport } from '../../../src/messaging/transport/local.js';
import { type OutgoingEmail, TransportUnavailableError } from '../../../src/messaging/transport/types.js';

function email(messageId: string): OutgoingEmail {
  return {
    messageId,
    orgId: 'org-1',
    from: { email: 'reminders@mail.dunwell.test', name: 'Acme Plumbing Ltd' },
    replyTo: { email: 'accounts@acme-plumbing.test' },
    to: [{ email: 'pay@customer.test' }],
    cc: [],
    subject: 'Invoice INV-1042 is overdue',
    html: '<p>Hello</p>',
    text: 'Hello',
    categories: ['dunwell', 'reminder'],
    unsubscribeUrl: 'https://app.dunwell.test/u/abc',
  };
}

const longAgo = new Date('2020-01-01T00:00:00Z');

describe('local transport', () => {
  it('keeps what it sends, as copies, and answers lookups from memory', async () => {
    const transport = createLocalTransport();
    const message = email('m-1');

    const result = await transport.send(message);
    message.subject = 'changed afterwards';

    expect(transport.name).toBe('local');
    expect(result).toMatchObject({ status: 'sent', providerMessageId: expect.stringMatching(/^local-/) });
    expect(transport.sent()).toEqual([email('m-1')]);
    const providerMessageId = result.status === 'sent' ? result.providerMessageId : null;
    expect(await transport.lookup('m-1', longAgo)).toEqual({ status: 'sent', providerMessageId });
    expect(await transport.lookup('m-2', new Date())).toEqual({ status: 'not_sent' });
  });

  it('shows a message sent twice twice, so tests can catch doubles', async () => {
    const transport = createLocalTransport();
    await transport.send(email('m-1'));
    await transport.send(email('m-1'));
    expect(transport.sent().map((sent) => sent.messageId)).toEqual(['m-1', 'm-1']);
  });

  it('clear() forgets everything', async () => {
    const transport = createLocalTransport();
    await transport.send(email('m-1'));
    transport.clear();
    expect(transport.sent()).toEqual([]);
    expect(await transport.lookup('m-1', longAgo)).toEqual({ status: 'not_sent' });
  });

  it('plays planned failures in order: outage, lost answer, rejection', async () => {
    const transport = createLocalTransport();
    transport.failNext('unavailable', 'unavailable-after-accept', {
      status: 'rejected',
      reason: 'bad address',
      permanent: true,
    });

    const outage = await transport.send(email('m-1')).catch((error: unknown) => error);
    expect(outage).toBeInstanceOf(TransportUnavailableError);
    expect((outage as TransportUnavailableError).mayHaveBeenAccepted).toBe(false);
    expect(await transport.lookup('m-1', longAgo)).toEqual({ status: 'not_sent' });

    const lost = await transport.send(email('m-2')).catch((error: unknown) => error);
    expect((lost as TransportUnavailableError).mayHaveBeenAccepted).toBe(true);
    expect((await transport.lookup('m-2', longAgo)).status).toBe('sent');

    expect(await transport.send(email('m-3'))).toEqual({
      status: 'rejected',
      reason: 'bad address',
      permanent: true,
    });
    expect(transport.sent().map((sent) => sent.messageId)).toEqual(['m-2']);
    expect((await transport.send(email('m-4'))).status).toBe('sent');
  });

  it('keeps only the latest emails but still remembers older ids for lookup', async () => {
    const transport = createLocalTransport({ keep: 2 });
    for (const id of ['m-1', 'm-2', 'm-3']) await transport.send(email(id));

    expect(transport.sent().map((sent) => sent.messageId)).toEqual(['m-2', 'm-3']);
    expect((await transport.lookup('m-1', longAgo)).status).toBe('sent');
  });
});
