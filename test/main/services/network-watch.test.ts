import { describe, expect, it } from 'vitest';
import { NETWORK_CHECK_MS, watchNetwork } from '../../../src/main/services/network-watch';
import { manualClock } from '../../helpers/manual-clock';

describe('the network watch', () => {
  it('says once when the network is back, with when it was first seen gone', () => {
    const clock = manualClock(0);
    let online = true;
    const back: number[] = [];
    const w = watchNetwork({ isOnline: () => online, timers: clock, now: clock.now, onBack: (since) => back.push(since) });
    clock.advance(NETWORK_CHECK_MS);
    online = false;
    clock.advance(NETWORK_CHECK_MS);
    clock.advance(NETWORK_CHECK_MS);
    expect(back).toEqual([]);
    online = true;
    clock.advance(NETWORK_CHECK_MS);
    clock.advance(NETWORK_CHECK_MS);
    expect(back).toEqual([2 * NETWORK_CHECK_MS]);
    w.stop();
    expect(clock.pending()).toBe(0);
  });

  it('counts an app started offline as offline since its start', () => {
    const clock = manualClock(1_000);
    let online = false;
    const back: number[] = [];
    watchNetwork({ isOnline: () => online, timers: clock, now: clock.now, onBack: (since) => back.push(since) });
    online = true;
    clock.advance(NETWORK_CHECK_MS);
    expect(back).toEqual([1_000]);
  });
});
