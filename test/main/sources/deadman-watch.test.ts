import { describe, expect, it } from 'vitest';
import type { PageSignal } from '../../../src/core/page';
import type { DeadmanConfig } from '../../../src/core/sources/deadman';
import { createDeadmanWatch } from '../../../src/main/sources/deadman-watch';

const MIN = 60_000;
const cfg: DeadmanConfig = { sourceId: 'am', sourceKind: 'alertmanager', sourceName: 'Prod', maxSilenceMs: 10 * MIN, watch: 'heartbeat' };

/** Manual clock and timers: time moves only when the test advances it. */
function fakeTime() {
  let now = 0;
  const tasks = new Set<{ at: number; fn: () => void }>();
  return {
    clock: { now: () => now },
    timers: {
      setTimeout: (fn: () => void, ms: number) => {
        const t = { at: now + ms, fn };
        tasks.add(t);
        return t;
      },
      clearTimeout: (h: unknown) => void tasks.delete(h as { at: number; fn: () => void }),
    },
    advance(ms: number) {
      now += ms;
      for (const t of [...tasks].sort((a, b) => a.at - b.at)) {
        if (t.at > now) break;
        tasks.delete(t);
        t.fn();
      }
    },
    get pending() {
      return tasks.size;
    },
  };
}

describe('dead-man watch', () => {
  it('raises "Paging path broken" when the heartbeat stops, once, and clears when it returns', () => {
    const time = fakeTime();
    let lastSeen: number | null = 0;
    let alarm: { startsAt: number } | null = null;
    const emitted: PageSignal[] = [];
    const watch = createDeadmanWatch({
      configs: [cfg],
      clock: time.clock,
      timers: time.timers,
      lastSeen: () => lastSeen,
      openAlarm: () => alarm,
      title: (c) => `Paging path broken: ${c.sourceName}`,
      emit: (s) => {
        emitted.push(s);
        alarm = s.status === 'firing' ? { startsAt: s.startsAt } : null;
      },
    });
    watch.check();
    time.advance(5 * MIN);
    lastSeen = 5 * MIN; // heartbeat
    watch.check();
    time.advance(9 * MIN);
    expect(emitted).toEqual([]);
    time.advance(1 * MIN); // 10 min after the last heartbeat
    expect(emitted.map((s) => [s.status, s.title, s.severity, s.startsAt])).toEqual([['firing', 'Paging path broken: Prod', 'P1', 15 * MIN]]);
    time.advance(60 * MIN);
    expect(emitted).toHaveLength(1);
    lastSeen = 75 * MIN; // the heartbeat is back
    watch.check();
    expect(emitted.map((s) => s.status)).toEqual(['firing', 'resolved']);
    expect(emitted[1]).toMatchObject({ id: emitted[0]!.id, startsAt: 15 * MIN, endsAt: 75 * MIN });
    watch.stop();
    expect(time.pending).toBe(0);
  });
});
