import { describe, expect, it } from 'vitest';
import { fromWall, isValidTimeZone, offsetAt, toWall } from '../../../src/core/rota/time-zone';

const H = 3600_000;
const utc = (s: string) => Date.parse(s);
const wall = (s: string) => Date.parse(`${s}Z`);

describe('time zones', () => {
  it('knows real zones and refuses made-up ones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  it('Berlin: offset flips at 01:00 UTC on the last Sunday of March and October', () => {
    expect(offsetAt(utc('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toBe(1 * H);
    expect(offsetAt(utc('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(2 * H);
    expect(offsetAt(utc('2026-10-25T00:59:59Z'), 'Europe/Berlin')).toBe(2 * H);
    expect(offsetAt(utc('2026-10-25T01:00:00Z'), 'Europe/Berlin')).toBe(1 * H);
  });

  it('Lord Howe: 30-minute DST', () => {
    // +11:00 in (southern) summer, +10:30 in winter; switches at 02:00 local on the first Sunday of April
    expect(offsetAt(utc('2026-04-04T14:59:59Z'), 'Australia/Lord_Howe')).toBe(11 * H);
    expect(offsetAt(utc('2026-04-04T15:00:00Z'), 'Australia/Lord_Howe')).toBe(10.5 * H);
  });

  it('a wall time in the spring gap moves forward by the gap; an ambiguous one takes the first', () => {
    expect(fromWall(wall('2026-03-29T02:30:00'), 'Europe/Berlin')).toBe(utc('2026-03-29T01:30:00Z'));
    expect(fromWall(wall('2026-10-25T02:30:00'), 'Europe/Berlin')).toBe(utc('2026-10-25T00:30:00Z'));
    expect(fromWall(wall('2026-03-08T02:30:00'), 'America/New_York')).toBe(utc('2026-03-08T07:30:00Z'));
  });

  it('round-trips every quarter hour across a year in three zones', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe']) {
      for (let t = utc('2026-01-01T00:00:00Z'); t < utc('2027-01-01T00:00:00Z'); t += 15 * 60_000 * 7) {
        const w = toWall(t, zone);
        // in an overlap, two instants share a wall time; fromWall returns the first
        expect(toWall(fromWall(w, zone), zone)).toBe(w);
      }
    }
  });
});
