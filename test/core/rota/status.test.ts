import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../src/core/rota/model';
import { myShifts, myStatus, nowAndNext, scheduleBegins, successorOf } from '../../../src/core/rota/status';

const utc = (s: string) => Date.parse(s);
const weekly: Schedule = {
  id: 'platform',
  name: 'Platform',
  timeZone: 'Europe/Berlin',
  layers: [{ id: 'l', name: '', participants: ['alice', 'bob'], rotation: 'FREQ=WEEKLY;BYDAY=MO', start: '2026-01-05', handoff: '09:00', restrictions: [] }],
  overrides: [{ id: 'o', person: 'carol', start: utc('2026-01-07T12:00:00Z'), end: utc('2026-01-07T14:00:00Z') }],
  fixedShifts: [],
};

describe('rota status', () => {
  it('now and next for a schedule; an override in between is "next"', () => {
    const { current, next } = nowAndNext(weekly, utc('2026-01-06T10:00:00Z'));
    expect(current).toMatchObject({ person: 'alice', end: utc('2026-01-07T12:00:00Z') });
    expect(next).toMatchObject({ person: 'carol', start: utc('2026-01-07T12:00:00Z') });
  });

  it('my status: on call until the end of my contiguous stretch; off call shows my next shift', () => {
    const onCall = myStatus([weekly], 'Alice', utc('2026-01-07T15:00:00Z'));
    expect(onCall.current).toMatchObject({ person: 'alice', end: utc('2026-01-12T08:00:00Z') });
    const off = myStatus([weekly], 'bob', utc('2026-01-07T15:00:00Z'));
    expect(off.current).toBeNull();
    expect(off.next).toMatchObject({ person: 'bob', start: utc('2026-01-12T08:00:00Z') });
  });

  it('my shifts are joined across an override gap only when contiguous', () => {
    const shifts = myShifts([weekly], 'alice', utc('2026-01-05T00:00:00Z'), utc('2026-01-20T00:00:00Z'));
    expect(shifts.map((s) => [new Date(s.start).toISOString(), new Date(s.end).toISOString()])).toEqual([
      ['2026-01-05T08:00:00.000Z', '2026-01-07T12:00:00.000Z'],
      ['2026-01-07T14:00:00.000Z', '2026-01-12T08:00:00.000Z'],
      ['2026-01-19T08:00:00.000Z', '2026-01-20T00:00:00.000Z'],
    ]);
  });

  it('the successor is the next different person', () => {
    const [, second] = myShifts([weekly], 'alice', utc('2026-01-05T00:00:00Z'), utc('2026-01-13T00:00:00Z'));
    expect(successorOf(weekly, second!)).toBe('bob');
  });
});

describe('scheduleBegins', () => {
  it('is the first handoff of a schedule created today, so the view can say when it starts', () => {
    const s: Schedule = {
      id: 'n',
      name: 'New',
      timeZone: 'Europe/Berlin',
      layers: [{ id: 'l', name: '', participants: ['ann'], rotation: 'FREQ=WEEKLY;BYDAY=MO', start: '2026-03-23', handoff: '09:00', restrictions: [] }],
      overrides: [],
      fixedShifts: [],
    };
    expect(scheduleBegins(s)).toBe(Date.parse('2026-03-23T08:00:00Z')); // Monday 09:00 CET
    expect(scheduleBegins({ ...s, fixedShifts: [{ person: 'x', start: Date.parse('2026-03-20T00:00:00Z'), end: Date.parse('2026-03-21T00:00:00Z') }] })).toBe(Date.parse('2026-03-20T00:00:00Z'));
    expect(scheduleBegins({ ...s, layers: [] })).toBeNull();
  });
});
