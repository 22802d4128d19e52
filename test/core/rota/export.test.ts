import { describe, expect, it } from 'vitest';
import { exportIcal, exportShiftsCsv } from '../../../src/core/rota/export';
import { importIcalFeed } from '../../../src/core/rota/ical-import';
import type { Shift } from '../../../src/core/rota/model';

const shifts: Shift[] = [
  { person: 'Alice, "Al"', schedule: 'platform', layer: 'l1', override: false, start: Date.parse('2026-10-24T07:00:00Z'), end: Date.parse('2026-10-25T08:00:00Z') },
  { person: '=cmd()', schedule: 'platform', layer: null, override: true, start: Date.parse('2026-10-25T08:00:00Z'), end: Date.parse('2026-10-25T12:00:00Z') },
];

describe('exports', () => {
  it('iCal round-trips through the importer, with a VALARM before each shift', () => {
    const text = exportIcal(shifts, { calendarName: 'My shifts', alarmMinutes: 15, now: Date.parse('2026-10-01T00:00:00Z') });
    expect(text).toContain('BEGIN:VALARM');
    expect(text).toContain('TRIGGER:-PT15M');
    const back = importIcalFeed(text, 0, Date.parse('2030-01-01T00:00:00Z'));
    expect(back.name).toBe('My shifts');
    expect(back.shifts.map((s) => [s.start, s.end])).toEqual(shifts.map((s) => [s.start, s.end]));
  });

  it('CSV has true hours across the DST night, local times, and is safe in a spreadsheet', () => {
    const csv = exportShiftsCsv(shifts, 'Europe/Berlin');
    expect(csv.split('\r\n')).toEqual([
      'person,schedule,start,end,time_zone,hours,override',
      '"Alice, ""Al""",platform,2026-10-24 09:00,2026-10-25 09:00,Europe/Berlin,25.00,no',
      "'=cmd(),platform,2026-10-25 09:00,2026-10-25 13:00,Europe/Berlin,4.00,yes",
      '',
    ]);
  });
});
