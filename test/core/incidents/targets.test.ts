import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyIncidentAction, createIncident } from '../../../src/core/incidents/incident';
import { defaultWorkingHours, isWorkingTime, nextStatusUpdateDue, responseBreached, responseDueAt, statusUpdateRemindersBetween } from '../../../src/core/incidents/targets';

const MIN = 60_000;
const berlin = defaultWorkingHours('Europe/Berlin');

describe('response targets from the handbook', () => {
  const at = Date.parse('2026-03-06T15:00:00Z'); // Friday 16:00 in Berlin
  it('P1 15 minutes, P2 2 hours, P3 end of next working day, P4 best effort', () => {
    expect(responseDueAt({ severity: 'P1', detectedAt: at }, berlin)).toBe(at + 15 * MIN);
    expect(responseDueAt({ severity: 'P2', detectedAt: at }, berlin)).toBe(at + 120 * MIN);
    expect(new Date(responseDueAt({ severity: 'P3', detectedAt: at }, berlin)!).toISOString()).toBe('2026-03-09T16:00:00.000Z');
    expect(responseDueAt({ severity: 'P4', detectedAt: at }, berlin)).toBeNull();
  });
  it('a late acknowledgement breaches the target', () => {
    expect(responseBreached({ severity: 'P1', detectedAt: at, acknowledgedAt: at + 16 * MIN }, berlin, at + 20 * MIN)).toBe(true);
    expect(responseBreached({ severity: 'P1', detectedAt: at, acknowledgedAt: null }, berlin, at + 10 * MIN)).toBe(false);
    expect(responseBreached({ severity: 'P4', detectedAt: at, acknowledgedAt: null }, berlin, at + 10_000 * MIN)).toBe(false);
  });
  it('knows working hours in the team zone', () => {
    expect(isWorkingTime(at, berlin)).toBe(true);
    expect(isWorkingTime(at + 2 * 60 * MIN, berlin)).toBe(false);
    expect(isWorkingTime(Date.parse('2026-03-07T10:00:00Z'), berlin)).toBe(false);
  });
});

describe('status-update reminders', () => {
  const T0 = Date.parse('2026-03-02T10:00:00Z');
  it('fire every N minutes while open and restart after an update', () => {
    let inc = createIncident({ id: 'i', by: 'ann', title: 'x', severity: 'P1' }, T0).incident;
    expect(nextStatusUpdateDue(inc)).toBe(T0 + 30 * MIN);
    expect(statusUpdateRemindersBetween([inc], T0, T0 + 95 * MIN).map((r) => [(r.dueAt - T0) / MIN, r.overdueCount])).toEqual([
      [30, 1],
      [60, 2],
      [90, 3],
    ]);
    inc = applyIncidentAction(inc, { type: 'postUpdate', by: 'cem', text: 'Still investigating' }, T0 + 40 * MIN).incident;
    expect(statusUpdateRemindersBetween([inc], T0 + 40 * MIN, T0 + 95 * MIN).map((r) => (r.dueAt - T0) / MIN)).toEqual([70]);
    inc = applyIncidentAction(inc, { type: 'setStatus', by: 'ann', status: 'resolved' }, T0 + 50 * MIN).incident;
    expect(statusUpdateRemindersBetween([inc], T0, T0 + 500 * MIN)).toEqual([]);
  });
  it('consecutive ticks see each reminder exactly once (property)', () => {
    const inc = createIncident({ id: 'i', by: 'ann', title: 'x', severity: 'P2' }, T0).incident;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200 * MIN }), { minLength: 1, maxLength: 20 }), (gaps) => {
        let t = T0;
        const seen: number[] = [];
        for (const g of gaps) {
          seen.push(...statusUpdateRemindersBetween([inc], t, t + g).map((r) => r.dueAt));
          t += g;
        }
        const all = statusUpdateRemindersBetween([inc], T0, t).map((r) => r.dueAt);
        return JSON.stringify(seen) === JSON.stringify(all);
      }),
    );
  });
});
