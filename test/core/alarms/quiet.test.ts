import { describe, expect, it } from 'vitest';
import { quietHoursAt } from '../../../src/core/alarms/quiet';

const berlin = 'Europe/Berlin';
const schedule = (start: string, end: string) => ({ mode: 'schedule' as const, start, end });

describe('quiet hours', () => {
  it('across the spring-forward night the window still ends at 07:00 local time', () => {
    // 2026-03-29: Berlin goes from UTC+1 to UTC+2 at 02:00
    const night = quietHoursAt(schedule('22:00', '07:00'), null, Date.UTC(2026, 2, 28, 23, 0), berlin);
    expect(night).toEqual({ quiet: true, changesAt: Date.UTC(2026, 2, 29, 5, 0) });
    const morning = quietHoursAt(schedule('22:00', '07:00'), null, Date.UTC(2026, 2, 29, 5, 0), berlin);
    expect(morning).toEqual({ quiet: false, changesAt: Date.UTC(2026, 2, 29, 20, 0) });
  });

  it('a window within one day, and one that starts and ends at the same minute (all day)', () => {
    expect(quietHoursAt(schedule('12:00', '13:00'), null, Date.UTC(2026, 5, 1, 10, 30), berlin)).toEqual({ quiet: true, changesAt: Date.UTC(2026, 5, 1, 11, 0) });
    expect(quietHoursAt(schedule('12:00', '13:00'), null, Date.UTC(2026, 5, 1, 11, 0), berlin).quiet).toBe(false);
    expect(quietHoursAt(schedule('00:00', '00:00'), null, Date.UTC(2026, 5, 1, 11, 0), berlin)).toEqual({ quiet: true, changesAt: null });
  });

  it('off is never quiet', () => {
    expect(quietHoursAt({ mode: 'off', start: '00:00', end: '23:59' }, { onCall: false, changesAt: null }, 0, berlin)).toEqual({ quiet: false, changesAt: null });
  });
});
