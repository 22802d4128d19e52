import { describe, expect, it } from 'vitest';
import { createPoller, DEFAULT_TIMING, nextDelay, type PollOutcome } from '../../../src/main/sources/poller';

/** A manual clock and timer queue: time moves only when the test says so. */
function fakeTime(start: number) {
  let now = start;
  const tasks = new Set<{ at: number; fn: () => void }>();
  return {
    clock: { now: () => now },
    timers: {
      setTimeout(fn: () => void, ms: number) {
        const t = { at: now + ms, fn };
        tasks.add(t);
        return t;
      },
      clearTimeout(h: unknown) {
        tasks.delete(h as { at: number; fn: () => void });
      },
    },
    /** Moves time forward, running timers that fall due. */
    advance(ms: number) {
      now += ms;
      for (const t of [...tasks].sort((a, b) => a.at - b.at)) {
        if (t.at > now) break;
        tasks.delete(t);
        t.fn();
      }
    },
    pending: () => [...tasks].map((t) => t.at - now),
  };
}

const timing = { ...DEFAULT_TIMING, intervalMs: 30_000 };
const middle = () => 0.5; // no jitter: 2·0.5 − 1 = 0

/** A poll whose outcomes the test hands out one by one. */
function scriptedPoll() {
  const calls: Array<(o: PollOutcome) => void> = [];
  const waiters: Array<() => void> = [];
  return {
    poll: () =>
      new Promise<PollOutcome>((resolve) => {
        calls.push(resolve);
        waiters.splice(0).forEach((w) => w());
      }),
    get count() {
      return calls.length;
    },
    answer(o: PollOutcome) {
      calls[calls.length - 1]!(o);
    },
    nextCall: () => new Promise<void>((r) => waiters.push(r)),
  };
}

describe('nextDelay', () => {
  it('waits the interval after success, ± the jitter', () => {
    expect(nextDelay(timing, 0, undefined, () => 0)).toBe(27_000);
    expect(nextDelay(timing, 0, undefined, () => 1)).toBe(33_000);
  });

  it('backs off exponentially from 5 s and stops at the cap', () => {
    expect([1, 2, 3, 4, 7, 20].map((f) => nextDelay(timing, f, undefined, middle))).toEqual([5_000, 10_000, 20_000, 40_000, 300_000, 300_000]);
  });

  it('never polls sooner than a 429 asked', () => {
    expect(nextDelay(timing, 1, 90_000, middle)).toBe(90_000);
  });
});

describe('createPoller', () => {
  it('polls at start, then every interval', async () => {
    const t = fakeTime(1_000_000);
    const s = scriptedPoll();
    const p = createPoller({ timing, clock: t.clock, timers: t.timers, random: middle, poll: s.poll });
    p.start();
    expect(s.count).toBe(1);
    s.answer({ ok: true });
    await p.pollNow().catch(() => undefined); // resolves with the in-flight poll
    expect(p.state()).toMatchObject({ status: 'ok', failures: 0, nextAt: 1_030_000 });
    const next = s.nextCall();
    t.advance(30_000);
    await next;
    expect(s.count).toBe(2);
    p.stop();
  });

  it('backs off after failures and honours Retry-After, then recovers', async () => {
    const t = fakeTime(0);
    const s = scriptedPoll();
    const states: string[] = [];
    const p = createPoller({ timing, clock: t.clock, timers: t.timers, random: middle, poll: s.poll, onState: (st) => states.push(`${st.status}:${st.nextAt}`) });
    p.start();
    const first = p.pollNow();
    s.answer({ ok: false });
    await first;
    expect(p.state()).toMatchObject({ status: 'failing', failures: 1, nextAt: 5_000, failingSince: 0 });
    let next = s.nextCall();
    t.advance(5_000);
    await next;
    const second = p.pollNow();
    s.answer({ ok: false, retryAfterMs: 60_000 });
    await second;
    // still the first failure's time: how long the source has been out of reach, for the catch-up after
    expect(p.state()).toMatchObject({ failures: 2, nextAt: 65_000, failingSince: 0 });
    next = s.nextCall();
    t.advance(60_000);
    await next;
    const third = p.pollNow();
    s.answer({ ok: true });
    await third;
    expect(p.state()).toMatchObject({ status: 'ok', failures: 0, nextAt: 95_000, failingSince: null });
    expect(states).toContain('failing:5000');
    p.stop();
  });

  it('pollNow (resume from sleep) polls at once and keeps a single timer; two calls share one poll', async () => {
    const t = fakeTime(0);
    const s = scriptedPoll();
    const p = createPoller({ timing, clock: t.clock, timers: t.timers, random: middle, poll: s.poll });
    p.start();
    const a = p.pollNow();
    s.answer({ ok: true });
    await a;
    t.advance(10_000);
    const b = p.pollNow();
    const c = p.pollNow();
    expect(s.count).toBe(2);
    s.answer({ ok: true });
    await Promise.all([b, c]);
    expect(t.pending()).toEqual([30_000]);
    p.stop();
    expect(t.pending()).toEqual([]);
  });

  it('counts a poll that throws as a failure and keeps going', async () => {
    const t = fakeTime(0);
    const p = createPoller({ timing, clock: t.clock, timers: t.timers, random: middle, poll: () => Promise.reject(new Error('boom')) });
    p.start();
    await expect(p.pollNow()).resolves.toEqual({ ok: false });
    expect(p.state()).toMatchObject({ status: 'failing', failures: 1 });
    p.stop();
  });
});
