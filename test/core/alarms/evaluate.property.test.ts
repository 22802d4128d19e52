import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snooze } from '../../../src/core/alarms/state';
import type { Severity } from '../../../src/core/severity';
import { Harness, MIN } from './helpers';

type Op =
  | { kind: 'fire'; id: number; severity: Severity; group: number }
  | { kind: 'ack'; id: number }
  | { kind: 'snooze'; id: number; minutes: 15 | 30 | 60 }
  | { kind: 'wait'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('fire' as const), id: fc.nat(5), severity: fc.constantFrom<Severity>('P1', 'P2', 'P3', 'P4'), group: fc.nat(2) }),
  fc.record({ kind: fc.constant('ack' as const), id: fc.nat(5) }),
  fc.record({ kind: fc.constant('snooze' as const), id: fc.nat(5), minutes: fc.constantFrom(15 as const, 30 as const, 60 as const) }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 90 * MIN }) }),
);

describe('alarm invariants under any sequence of pages, acknowledgements, snoozes and time', () => {
  it('the alarm plays exactly while an unacknowledged, unsnoozed P1 waits; start and stop alternate; wake-ups are in the future', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const h = new Harness();
        let playing = false;
        const check = (actions: { type: string }[]) => {
          for (const a of actions) {
            if (a.type === 'startAlarm') {
              expect(playing).toBe(false);
              playing = true;
            }
            if (a.type === 'stopAlarm') {
              expect(playing).toBe(true);
              playing = false;
            }
          }
          const wants = [...h.pages.values()].some(
            (p) => p.status === 'firing' && p.severity === 'P1' && (h.state.pageSnoozes[p.id] ?? 0) <= h.now && (h.state.groupSnoozes[p.groupKey] ?? 0) <= h.now,
          );
          expect(playing).toBe(wants);
          if (h.last?.nextWakeAt != null) expect(h.last.nextWakeAt).toBeGreaterThan(h.now);
        };
        for (const o of ops) {
          const id = `p${o.kind === 'wait' ? 0 : o.id}`;
          if (o.kind === 'fire') {
            const prev = h.pages.get(id);
            if (prev && prev.status === 'firing') continue;
            check(h.fire(id, o.severity, `g${o.group}`));
          } else if (o.kind === 'ack') {
            if (h.pages.has(id)) check(h.acknowledge(id));
          } else if (o.kind === 'snooze') {
            if (!h.pages.has(id)) continue;
            h.state = snooze(h.state, { ids: [id] }, o.minutes, h.now);
            check(h.run());
          } else {
            // start/stop alternation is checked across every wake-up; "plays iff a P1 waits" at the end
            check(h.advanceTo(h.now + o.ms).map((x) => x.action));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
