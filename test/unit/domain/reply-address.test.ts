import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { replyAddresses, replyAddressKey } from '../../../src/domain/reply-address.js';

const addresses = replyAddresses(
  replyAddressKey('a-session-secret-of-at-least-32-characters'),
  'In.Dunwell.Example',
);

describe('reply addresses of reminders', () => {
  it('name their message, fit in a local part, and read back from a To list, in any case', () => {
    const messageId = randomUUID();
    const address = addresses.addressFor(messageId);
    expect(address).toMatch(/^reply\+[0-9a-f]{52}@in\.dunwell\.example$/);
    expect(address.split('@')[0]?.length).toBeLessThanOrEqual(64);
    expect(addresses.messageIdIn(`Ann <ann@x.example>, Dunwell <${address}>`)).toEqual({
      ok: true,
      messageId,
    });
    expect(addresses.messageIdIn(address.toUpperCase())).toEqual({ ok: true, messageId });
  });

  it('find out a forged or altered token, another domain, another key, and no address at all', () => {
    const address = addresses.addressFor(randomUUID());
    const other = randomUUID().replaceAll('-', '');
    const forged = address.replace(/reply\+[0-9a-f]{32}/, `reply+${other}`);
    expect(addresses.messageIdIn(forged)).toEqual({ ok: false, reason: 'forged' });
    expect(addresses.messageIdIn(address.replace('in.dunwell.example', 'evil.example'))).toEqual({
      ok: false,
      reason: 'none',
    });
    const elsewhere = replyAddresses(
      replyAddressKey('another-session-secret-of-32-characters!'),
      'in.dunwell.example',
    );
    expect(elsewhere.messageIdIn(address)).toEqual({ ok: false, reason: 'forged' });
    expect(addresses.messageIdIn('accounts@org.example')).toEqual({ ok: false, reason: 'none' });
  });
});
