import { describe, expect, it } from 'vitest';
import { formatCountdown, formatShiftTime } from '../../../src/core/rota/format';

const now = Date.parse('2026-03-16T10:00:00Z');

describe('shift time formatting', () => {
  it('weekday and 24-hour time within six days, with the date beyond, in the given zone', () => {
    expect(formatShiftTime(Date.parse('2026-03-20T08:00:00Z'), 'Europe/Berlin', 'en', now)).toBe('Fri 09:00');
    expect(formatShiftTime(Date.parse('2026-03-23T08:00:00Z'), 'Europe/Berlin', 'en', now)).toBe('Mon, Mar 23, 09:00');
    expect(formatShiftTime(Date.parse('2026-03-20T08:00:00Z'), 'America/New_York', 'de', now)).toBe('Fr., 04:00');
  });

  it('countdowns', () => {
    expect(formatCountdown(12 * 60_000)).toBe('12 min');
    expect(formatCountdown(3 * 3600_000 + 5 * 60_000)).toBe('3 h 05 min');
    expect(formatCountdown((6 * 24 + 22) * 3600_000)).toBe('6 d 22 h');
    expect(formatCountdown(-5)).toBe('0 min');
  });
});
