import { describe, expect, it } from 'vitest';
import { nextStep } from '../../../src/collections/next-step.js';
import { plan } from '../../../src/collections/plan.js';
import { replyWait } from '../../../src/collections/reply-wait.js';
import { defaultPolicy } from '../../../src/domain/policy.js';
import { day, debtor, tuesdayMorning } from './debtor.js';

const now = tuesdayMorning;
const overdue = [{ dueDate: day(-8) }];
const reply = (outOfOffice: boolean, returnsOn: string | null = null, receivedOn = day(-1)) => ({
  receivedOn,
  outOfOffice,
  returnsOn,
});

describe('a debtor’s unread reply holds automatic chasing', () => {
  it('plans nothing while a reply waits to be read, and says so', () => {
    expect(plan(debtor(overdue), defaultPolicy, now).actions).not.toEqual([]);
    const waiting = plan(debtor(overdue, { unreadReplies: [reply(false)] }), defaultPolicy, now);
    expect(waiting.actions).toEqual([]);
    expect(waiting.notes).toEqual(['a reply waits for you to read it']);
    const next = nextStep(debtor(overdue, { unreadReplies: [reply(false)] }), defaultPolicy, now);
    expect(next).toMatchObject({
      status: 'held',
      guard: { kind: 'reply_unread', text: 'a reply waits for you to read it', until: null },
    });
    expect(next.why).toContain('mark the reply as read');
  });

  it('holds an out-of-office reply only until its writer is back, then the step goes', () => {
    const away = debtor(overdue, { unreadReplies: [reply(true, day(2))] });
    const today = plan(away, defaultPolicy, now);
    expect(today.actions).toEqual([]);
    expect(today.notes).toEqual([`an out-of-office reply pauses chasing until ${day(2)}`]);
    const next = nextStep(away, defaultPolicy, now);
    expect(next).toMatchObject({
      status: 'scheduled',
      on: day(2),
      guard: { kind: 'reply_unread', text: `out of office until ${day(2)}`, until: day(1) },
    });
    const back = new Date(now.getTime() + 2 * 86_400_000);
    expect(plan(away, defaultPolicy, back).actions).not.toEqual([]);
  });

  it('gives an out-of-office reply without a return date three days', () => {
    expect(replyWait({ unreadReplies: [reply(true, null, day(0))] }, day(0))).toEqual({
      until: day(3),
      note: `an out-of-office reply pauses chasing until ${day(3)}`,
    });
    expect(replyWait({ unreadReplies: [reply(true, null, day(-3))] }, day(0))).toBeNull();
  });

  it('lets a reply that says something outweigh an absence notice, and nothing unread hold nothing', () => {
    expect(replyWait({ unreadReplies: [reply(true, day(5)), reply(false)] }, day(0))?.until).toBeNull();
    expect(replyWait({ unreadReplies: [] }, day(0))).toBeNull();
    expect(replyWait({}, day(0))).toBeNull();
  });
});
