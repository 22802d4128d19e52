import { describe, expect, it } from 'vitest';
import { DELIVERY_STATUS_MS, statusRelay } from '../../../src/main/features/relay';
import type { RelayClientStatus } from '../../../src/main/relay';

function manualTimers() {
  const due = new Map<number, { at: number; fn: () => void }>();
  let now = 0;
  let next = 1;
  return {
    setTimeout: (fn: () => void, ms: number) => {
      due.set(next, { at: now + ms, fn });
      return next++;
    },
    clearTimeout: (h: unknown) => void due.delete(h as number),
    advance(ms: number) {
      now += ms;
      for (const [h, t] of [...due]) {
        if (t.at > now) continue;
        due.delete(h);
        t.fn();
      }
    },
  };
}

const base: RelayClientStatus = { state: 'connected', mode: 'relay', replay: true, lastEventId: null, lastDeliveryAt: null, lastError: null, retryAt: null, lastGap: null };
const delivered = (i: number): RelayClientStatus => ({ ...base, lastEventId: `1732190000000-${i}`, lastDeliveryAt: 1_000 + i });

describe("the window hears of a relay's status", () => {
  it('at once when the connection changes, and at most once a second for deliveries alone', () => {
    const timers = manualTimers();
    let told = 0;
    const relay = statusRelay(() => told++, timers);
    relay.onStatus({ ...base, state: 'connecting' });
    relay.onStatus(base);
    expect(told).toBe(2);
    // 100 events in a second: Settings is told once, at the end of the second, with the newest
    for (let i = 0; i < 100; i++) {
      relay.onStatus(delivered(i));
      timers.advance(10);
    }
    expect(told).toBe(3);
    timers.advance(DELIVERY_STATUS_MS);
    expect(told).toBe(3);
    // the connection drops: told at once, whatever deliveries were waiting
    relay.onStatus(delivered(100));
    relay.onStatus({ ...delivered(100), state: 'waiting', retryAt: 5_000, lastError: { code: 'network', params: { message: 'reset' } } });
    expect(told).toBe(4);
    timers.advance(DELIVERY_STATUS_MS);
    expect(told).toBe(4);
  });

  it('tells nothing after it is stopped', () => {
    const timers = manualTimers();
    let told = 0;
    const relay = statusRelay(() => told++, timers);
    relay.onStatus(base);
    relay.onStatus(delivered(1));
    relay.stop();
    timers.advance(DELIVERY_STATUS_MS * 2);
    expect(told).toBe(1);
  });
});
