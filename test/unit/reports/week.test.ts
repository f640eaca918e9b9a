import { describe, expect, it } from 'vitest';
import { startOfLocalDay } from '../../../src/domain/local-time.js';
import { isoWeekOf, lastScheduledDay, summaryWeek } from '../../../src/reports/week.js';

const localParts = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);

describe('weeks of the weekly summary', () => {
  it('numbers ISO weeks across year ends', () => {
    expect(isoWeekOf('2026-01-01')).toEqual({ label: '2026-W01', monday: '2025-12-29' });
    expect(isoWeekOf('2026-03-22')).toEqual({ label: '2026-W12', monday: '2026-03-16' });
    expect(isoWeekOf('2026-03-23')).toEqual({ label: '2026-W13', monday: '2026-03-23' });
    expect(isoWeekOf('2027-01-01')).toEqual({ label: '2026-W53', monday: '2026-12-28' });
    expect(isoWeekOf('2024-12-30')).toEqual({ label: '2025-W01', monday: '2024-12-30' });
    expect(isoWeekOf('2021-01-03')).toEqual({ label: '2020-W53', monday: '2020-12-28' });
  });

  it('finds the first instant of every local day of 2026, through clock changes, in odd zones too', () => {
    const zones = [
      'Europe/London',
      'Australia/Sydney',
      'America/Los_Angeles',
      'America/Havana', // skips midnight when its clocks go forward
      'America/St_Johns',
      'Asia/Kolkata',
      'Pacific/Chatham',
      'UTC',
    ];
    for (const zone of zones) {
      for (let day = 0; day < 365; day++) {
        const date = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
        const start = startOfLocalDay(date, zone);
        expect(localParts(start, zone).slice(0, 10), `${zone} ${date}`).toBe(date);
        expect(localParts(new Date(start.getTime() - 60_000), zone).slice(0, 10), `${zone} ${date}`).not.toBe(
          date,
        );
      }
    }
  });

  it('is due on the chosen local weekday from its hour until that day ends, never later in the week', () => {
    const monday8 = { weekday: 1, hour: 8 };
    const at = (iso: string) => summaryWeek(new Date(iso), 'Europe/London', monday8);
    expect(at('2026-03-16T07:59:00Z')).toEqual({
      isoWeek: '2026-W12',
      scheduledOn: '2026-03-16',
      from: '2026-03-09',
      to: '2026-03-15',
      due: false,
      beforeOrganisation: false,
    });
    expect(at('2026-03-16T08:00:00Z').due).toBe(true);
    expect(at('2026-03-16T23:59:00Z').due).toBe(true);
    // The day went by without it: Tuesday to Sunday is the wrong day, so no catch-up.
    expect(at('2026-03-17T00:00:00Z')).toMatchObject({ isoWeek: '2026-W12', due: false });
    expect(at('2026-03-22T23:59:00Z')).toMatchObject({ isoWeek: '2026-W12', due: false });
    expect(at('2026-03-23T00:00:00Z')).toMatchObject({ isoWeek: '2026-W13', due: false });
    // After the clocks go forward, 08:00 in London is 07:00 UTC.
    expect(at('2026-03-30T07:00:00Z')).toMatchObject({ isoWeek: '2026-W14', due: true });
    const friday17 = summaryWeek(new Date('2026-03-19T18:00:00Z'), 'Europe/London', { weekday: 5, hour: 17 });
    expect(friday17).toMatchObject({
      scheduledOn: '2026-03-20',
      from: '2026-03-13',
      to: '2026-03-19',
      due: false,
    });
  });

  it('never covers a week that began before the organisation existed', () => {
    const monday8 = { weekday: 1, hour: 8 };
    // Created Wednesday 11 March: Monday 16th would report on 9–15 March, two days of it before then.
    const created = '2026-03-11';
    const first = summaryWeek(new Date('2026-03-16T09:00:00Z'), 'Europe/London', monday8, created);
    expect(first).toMatchObject({ isoWeek: '2026-W12', due: false, beforeOrganisation: true });
    // The first summary is the first whole week the organisation was there for: 16–22 March.
    const next = summaryWeek(new Date('2026-03-23T09:00:00Z'), 'Europe/London', monday8, created);
    expect(next).toMatchObject({ from: '2026-03-16', due: true, beforeOrganisation: false });
    // Created on a Monday: that Monday's week is whole, so the Monday after reports on it.
    const onMonday = summaryWeek(new Date('2026-03-23T09:00:00Z'), 'Europe/London', monday8, '2026-03-16');
    expect(onMonday).toMatchObject({ due: true, beforeOrganisation: false });
  });

  it('names the last scheduled day that has ended, and whether a summary was owed for it', () => {
    const monday8 = { weekday: 1, hour: 8 };
    // Monday itself has not ended: the last one that has is the Monday before.
    expect(lastScheduledDay(new Date('2026-03-16T20:00:00Z'), 'Europe/London', monday8)).toEqual({
      isoWeek: '2026-W11',
      scheduledOn: '2026-03-09',
      owed: true,
    });
    expect(lastScheduledDay(new Date('2026-03-17T00:30:00Z'), 'Europe/London', monday8)).toMatchObject({
      isoWeek: '2026-W12',
      scheduledOn: '2026-03-16',
    });
    expect(
      lastScheduledDay(new Date('2026-03-17T00:30:00Z'), 'Europe/London', monday8, '2026-03-11').owed,
    ).toBe(false);
  });
});
