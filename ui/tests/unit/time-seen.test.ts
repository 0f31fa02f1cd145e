import { describe, expect, it } from 'vitest';
import { atDayAndClock, clockOf, isoDay, momentFor, parseClock, recentDays, timeChoices } from '../../src/lib/time-seen';

// A Monday morning at the gate, in local time.
const morning = new Date(2026, 10, 30, 8, 40);

describe('time seen', () => {
  it('offers only moments that have passed', () => {
    expect(timeChoices(new Date(2026, 10, 30, 8, 0))).toEqual(['now', 'yesterday', 'other']);
    expect(timeChoices(morning)).toEqual(['now', 'drop_off', 'yesterday', 'other']);
    expect(timeChoices(new Date(2026, 10, 30, 15, 20))).toEqual(['now', 'drop_off', 'pick_up', 'yesterday', 'other']);
  });

  it('turns each quick choice into a concrete moment', () => {
    expect(momentFor('now', morning)).toEqual(morning);
    expect(momentFor('drop_off', morning)).toEqual(new Date(2026, 10, 30, 8, 15));
    expect(momentFor('pick_up', new Date(2026, 10, 30, 16, 0))).toEqual(new Date(2026, 10, 30, 15, 0));
    expect(momentFor('yesterday', morning)).toEqual(new Date(2026, 10, 29, 8, 40));
    // Across a month's end, and across the change to winter time (25 October 2026 in NL).
    expect(momentFor('yesterday', new Date(2026, 11, 1, 9, 5))).toEqual(new Date(2026, 10, 30, 9, 5));
    expect(clockOf(momentFor('yesterday', new Date(2026, 9, 26, 9, 5)))).toBe('09:05');
  });

  it('reads a time as people type it', () => {
    expect(parseClock('8:15')).toEqual({ hours: 8, minutes: 15 });
    expect(parseClock(' 08.15 ')).toEqual({ hours: 8, minutes: 15 });
    expect(parseClock('0815')).toEqual({ hours: 8, minutes: 15 });
    expect(parseClock('815')).toEqual({ hours: 8, minutes: 15 });
    expect(parseClock('15')).toEqual({ hours: 15, minutes: 0 });
    for (const bad of ['', '24:00', '8:60', 'acht uur', '8:5']) expect(parseClock(bad)).toBeNull();
  });

  it('builds a moment from a day and a time, and refuses what it cannot read', () => {
    expect(atDayAndClock('2026-11-27', '15:00')).toEqual(new Date(2026, 10, 27, 15, 0));
    expect(Number.isNaN(atDayAndClock('2026-11-27', '25:00').getTime())).toBe(true);
  });

  it('lists the days back from today', () => {
    const days = recentDays(morning, 3);
    expect(days).toEqual([
      { iso: '2026-11-30', weekday: 1, ago: 0 },
      { iso: '2026-11-29', weekday: 0, ago: 1 },
      { iso: '2026-11-28', weekday: 6, ago: 2 },
    ]);
    expect(isoDay(morning)).toBe('2026-11-30');
  });
});
