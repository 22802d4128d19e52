import { describe, expect, it } from 'vitest';
import { warmInBackground } from '../../../src/main/import/worker-host';

/** A port whose messages the test posts, and an event loop the test turns by hand. */
function harness() {
  const listeners: Array<() => void> = [];
  const loop: Array<() => void> = [];
  const warmed: number[] = [];
  return {
    port: { once: (_event: 'message', fn: () => void) => void listeners.push(fn) } as never,
    schedule: (fn: () => void) => void loop.push(fn),
    warm: (n: number) => void warmed.push(n),
    warmed,
    post: () => listeners.splice(0).forEach((l) => l()),
    /** Runs what the loop holds, one turn at a time; how many turns ran. */
    turn: (max: number) => {
      let turns = 0;
      while (loop.length > 0 && turns < max) {
        loop.shift()!();
        turns++;
      }
      return turns;
    },
  };
}

describe('the background warm-up of an import worker', () => {
  it('warms in slices, one per turn of the event loop, up to its rounds and no further', () => {
    const h = harness();
    warmInBackground(h.port, h.warm, { rounds: 10, slice: 4, schedule: h.schedule });
    expect(h.warmed).toEqual([]); // nothing before the first turn: the worker starts serving at once
    h.turn(100);
    expect(h.warmed).toEqual([4, 4, 2]);
  });

  it('stops for good at the first job: a job waits at most one slice', () => {
    const h = harness();
    warmInBackground(h.port, h.warm, { rounds: 100, slice: 4, schedule: h.schedule });
    h.turn(2);
    expect(h.warmed).toEqual([4, 4]);
    h.post();
    h.turn(100);
    expect(h.warmed).toEqual([4, 4]);
  });
});
