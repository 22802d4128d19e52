import type { Timers } from './http';

/** A page's status as the catch-up compares it: before the sleep and after the replay. */
export type CatchUpStatus = 'firing' | 'acknowledged' | 'resolved';

/** What the catch-up needs from main. */
export interface CatchUpDeps {
  timers: Timers;
  /** Every page main knows now, with its status; taken when catching up begins and again at the end. */
  statuses(): Map<string, CatchUpStatus>;
  /** True while a relay is still connecting: its replay has not begun, so the digest must wait. */
  busy(): boolean;
  /** Sends the one digest: how many pages changed while away, and how many of them still fire. */
  digest(pages: number, stillFiring: number): void;
  /** How long nothing may arrive before the replay counts as done. */
  quietMs?: number;
  /** The longest a catch-up waits for quiet, so a relay that never answers cannot hold the digest back. */
  maxMs?: number;
}

/**
 * Catch-up after sleep, restart or reconnect: the relay replays and every poller polls at once.
 * Instead of one notification per page, what changed while away is counted and summed up in one
 * digest once things go quiet ("While you were away: 14 pages, 3 still firing").
 */
export function createCatchUp(deps: CatchUpDeps) {
  const quietMs = deps.quietMs ?? 1_500;
  const maxMs = deps.maxMs ?? 60_000;
  let before: Map<string, CatchUpStatus> | null = null;
  const seen = new Set<string>();
  let quietTimer: unknown = null;
  let maxTimer: unknown = null;
  let pending = 0;

  const clear = () => {
    if (quietTimer !== null) deps.timers.clearTimeout(quietTimer);
    if (maxTimer !== null) deps.timers.clearTimeout(maxTimer);
    quietTimer = null;
    maxTimer = null;
  };

  function finish(): void {
    if (before === null) return;
    const now = deps.statuses();
    let pages = 0;
    let firing = 0;
    for (const id of seen) {
      const after = now.get(id);
      if (after === undefined || before.get(id) === after) continue;
      pages++;
      if (after !== 'resolved') firing++;
    }
    before = null;
    seen.clear();
    clear();
    if (pages > 0) deps.digest(pages, firing);
  }

  function armQuiet(): void {
    if (before === null || pending > 0) return;
    if (quietTimer !== null) deps.timers.clearTimeout(quietTimer);
    quietTimer = deps.timers.setTimeout(() => {
      quietTimer = null;
      if (deps.busy()) armQuiet();
      else finish();
    }, quietMs);
  }

  return {
    /** Starts (or prolongs) a catch-up; `work` is the polls and reconnects it waits for. */
    async begin(work: Promise<unknown>): Promise<void> {
      if (before === null) {
        before = deps.statuses();
        maxTimer = deps.timers.setTimeout(finish, maxMs);
      }
      pending++;
      try {
        await work;
      } finally {
        pending--;
        armQuiet();
      }
    },
    /** Pages that changed; while catching up they count toward the digest, and quiet starts again. */
    saw(ids: readonly string[]): void {
      if (before === null) return;
      for (const id of ids) seen.add(id);
      armQuiet();
    },
    /** Whether a catch-up is running (a ring policy may hold single notifications back meanwhile). */
    active: () => before !== null,
    stop: clear,
  };
}
/** A running catch-up. */
export type CatchUp = ReturnType<typeof createCatchUp>;
