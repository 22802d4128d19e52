import { describe, expect, it } from 'vitest';
import { watchNetwork } from '../../../src/main/services/network-watch';

/** Timers fired by hand, one check at a time. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    timers: {
      setTimeout: (fn: () => void) => {
        pending.set(next, fn);
        return next++;
      },
      clearTimeout: (h: unknown) => void pending.delete(h as number),
    },
    tick() {
      const [id, fn] = [...pending][0]!;
      pending.delete(id);
      fn();
    },
    pending,
  };
}

describe('the network watch', () => {
  it('says once when the network is back, with when it was first seen gone', () => {
    const t = manualTimers();
    let online = true;
    let now = 0;
    const back: number[] = [];
    const w = watchNetwork({ isOnline: () => online, timers: t.timers, now: () => now, onBack: (since) => back.push(since) });
    now = 5_000;
    t.tick();
    online = false;
    now = 10_000;
    t.tick();
    now = 15_000;
    t.tick();
    expect(back).toEqual([]);
    online = true;
    now = 20_000;
    t.tick();
    now = 25_000;
    t.tick();
    expect(back).toEqual([10_000]);
    w.stop();
    expect(t.pending.size).toBe(0);
  });

  it('counts an app started offline as offline since its start', () => {
    const t = manualTimers();
    let online = false;
    const back: number[] = [];
    watchNetwork({ isOnline: () => online, timers: t.timers, now: () => 1_000, onBack: (since) => back.push(since) });
    online = true;
    t.tick();
    expect(back).toEqual([1_000]);
  });
});
