import type { Clock } from '../adapters';
import type { Timers } from './http';

/** One poll's outcome as the scheduler sees it. */
export type PollOutcome = { ok: true } | { ok: false; retryAfterMs?: number };

/** What Settings shows for a polled source. */
export interface PollerState {
  status: 'idle' | 'polling' | 'ok' | 'failing';
  failures: number;
  lastOkAt: number | null;
  lastAttemptAt: number | null;
  nextAt: number | null;
  /** When the first of the polls failing since the last one that worked was made; null while polls work. */
  failingSince: number | null;
}

/** Timing of one poller: interval per source, ± jitter, exponential back-off with a cap. */
export interface PollerTiming {
  intervalMs: number;
  /** Fraction of the delay added or removed at random, so many sources do not poll in step. */
  jitter: number;
  backoffBaseMs: number;
  backoffCapMs: number;
}

/** Defaults: back-off from 5 s doubling to 5 min, 10 % jitter. */
export const DEFAULT_TIMING: Omit<PollerTiming, 'intervalMs'> = { jitter: 0.1, backoffBaseMs: 5_000, backoffCapMs: 5 * 60_000 };

/** The delay before the next poll: the interval after success, else doubling back-off, never shorter than the server asked. */
export function nextDelay(timing: PollerTiming, failures: number, retryAfter: number | undefined, random: () => number): number {
  const base = failures === 0 ? timing.intervalMs : Math.min(timing.backoffCapMs, timing.backoffBaseMs * 2 ** Math.min(failures - 1, 30));
  const jittered = base * (1 + timing.jitter * (2 * random() - 1));
  return Math.round(Math.max(jittered, retryAfter ?? 0));
}

/** A running poller. `pollNow()` is for resume from sleep and reconnect: it polls at once and reschedules. */
export interface Poller {
  start(): void;
  stop(): void;
  pollNow(): Promise<PollOutcome>;
  state(): PollerState;
}

/** Polls with `poll` on its own schedule; never two polls at once. */
export function createPoller(opts: { timing: PollerTiming; clock: Clock; timers: Timers; random?: () => number; poll: () => Promise<PollOutcome>; onState?: (s: PollerState) => void }): Poller {
  const random = opts.random ?? Math.random;
  const st: PollerState = { status: 'idle', failures: 0, lastOkAt: null, lastAttemptAt: null, nextAt: null, failingSince: null };
  let timer: unknown = null;
  let running = false;
  let inFlight: Promise<PollOutcome> | null = null;

  const emit = () => opts.onState?.({ ...st });
  const schedule = (delay: number) => {
    if (!running) return;
    if (timer !== null) opts.timers.clearTimeout(timer);
    st.nextAt = opts.clock.now() + delay;
    timer = opts.timers.setTimeout(() => {
      timer = null;
      void run();
    }, delay);
  };
  const run = (): Promise<PollOutcome> => {
    if (inFlight) return inFlight;
    if (timer !== null) {
      opts.timers.clearTimeout(timer);
      timer = null;
    }
    st.status = 'polling';
    st.lastAttemptAt = opts.clock.now();
    emit();
    inFlight = opts
      .poll()
      .catch((): PollOutcome => ({ ok: false }))
      .then((outcome) => {
        inFlight = null;
        if (outcome.ok) {
          st.failures = 0;
          st.status = 'ok';
          st.lastOkAt = opts.clock.now();
          st.failingSince = null;
        } else {
          st.failures++;
          st.status = 'failing';
          st.failingSince ??= st.lastAttemptAt;
        }
        schedule(nextDelay(opts.timing, st.failures, outcome.ok ? undefined : outcome.retryAfterMs, random));
        emit();
        return outcome;
      });
    return inFlight;
  };

  return {
    start() {
      if (running) return;
      running = true;
      void run();
    },
    stop() {
      running = false;
      if (timer !== null) opts.timers.clearTimeout(timer);
      timer = null;
      st.nextAt = null;
    },
    pollNow: () => run(),
    state: () => ({ ...st }),
  };
}
