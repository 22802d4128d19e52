import * as fs from 'node:fs';
import { z } from 'zod';
import { awayDigestSchema, type AwayDigest } from '../../core/ipc-contract';
import { writeFileAtomic } from '../services/atomic-file';
import type { Timers } from './http';

/** A page's status as the catch-up compares it: before the sleep and after the replay. */
export type CatchUpStatus = 'firing' | 'acknowledged' | 'resolved';

/** How many page ids a digest keeps; the true count is kept beside them. */
export const AWAY_IDS_CAP = 1_000;
/** How often the catch-up notes that the app is awake, so a digest can say since when it was away. */
export const ALIVE_EVERY_MS = 60_000;

/** What the catch-up keeps across restarts: the last digest, and when the app was last known awake. */
export interface AwayState {
  aliveAt: number | null;
  digest: AwayDigest | null;
}

/** Where the away state lives: a small JSON file in the data folder, or memory in tests. */
export interface AwayStore {
  read(): AwayState;
  write(state: AwayState): void;
}

const awayFileSchema = z.object({ version: z.literal(1), aliveAt: z.number().nullable(), digest: awayDigestSchema.nullable() });

/**
 * The away state as a JSON file, written atomically. A file that cannot be read or is not valid
 * starts over empty (it only ever holds a summary; the pages themselves are elsewhere) and says why.
 */
export function fileAwayStore(file: string, onError: (message: string) => void): AwayStore {
  return {
    read() {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onError(`cannot read ${file}: ${(err as Error).message}`);
        return { aliveAt: null, digest: null };
      }
      try {
        const parsed = awayFileSchema.safeParse(JSON.parse(text));
        if (parsed.success) return { aliveAt: parsed.data.aliveAt, digest: parsed.data.digest };
        onError(`${file} is not a valid catch-up file (${parsed.error.issues[0]?.path.join('.') || '(file)'}: ${parsed.error.issues[0]?.message}); starting without the last digest`);
      } catch (err) {
        onError(`${file} is not valid JSON (${(err as Error).message}); starting without the last digest`);
      }
      return { aliveAt: null, digest: null };
    },
    write(state) {
      try {
        writeFileAtomic(file, JSON.stringify({ version: 1, ...state }));
      } catch (err) {
        onError(`cannot write ${file}: ${(err as Error).message}`);
      }
    },
  };
}

/** The away state in memory only. */
export function memoryAwayStore(initial: AwayState = { aliveAt: null, digest: null }): AwayStore {
  let state = initial;
  return {
    read: () => state,
    write: (next) => void (state = next),
  };
}

/** What the catch-up needs from main. */
export interface CatchUpDeps {
  timers: Timers;
  now: () => number;
  /** Every page main knows now, with its status; taken when catching up begins and again at the end. */
  statuses(): Map<string, CatchUpStatus>;
  /** True while a relay is still connecting: its replay has not begun, so the digest must wait. */
  busy(): boolean;
  /**
   * A new digest was made (already stored): one notification of this absence (`fresh`), and the
   * Pages view's section, which shows everything not yet dismissed (`kept`, merged with an unread one).
   */
  digest(fresh: AwayDigest, kept: AwayDigest): void;
  /** The digest was dismissed (the Pages view hides its section). */
  dismissed?(): void;
  store?: AwayStore;
  /** How long nothing may arrive before the replay counts as done. */
  quietMs?: number;
  /** The longest a catch-up waits for quiet, so a relay that never answers cannot hold the digest back. */
  maxMs?: number;
}

/**
 * Catch-up after sleep, restart or reconnect: the relay replays and every poller polls at once.
 * Instead of one notification per page, what changed while away is counted and summed up in one
 * digest once things go quiet ("While you were away: 14 pages, 3 still firing"). The last digest
 * is kept (in the data folder) until dismissed, for the Pages view's "While you were away" section.
 */
export function createCatchUp(deps: CatchUpDeps) {
  const quietMs = deps.quietMs ?? 1_500;
  const maxMs = deps.maxMs ?? 60_000;
  const store = deps.store ?? memoryAwayStore();
  const saved = store.read();
  let last: AwayDigest | null = saved.digest;
  // Timers do not run while the machine sleeps, so the last tick is at most a minute before it slept.
  let aliveAt: number | null = saved.aliveAt;
  let before: Map<string, CatchUpStatus> | null = null;
  let since: number | null = null;
  /** When the latest resume (or start) began this catch-up: what reached a relay before it was missed. */
  let begunAt: number | null = null;
  const seen = new Set<string>();
  let quietTimer: unknown = null;
  let maxTimer: unknown = null;
  let aliveTimer: unknown = null;
  let stopped = false;
  let pending = 0;

  const persist = () => store.write({ aliveAt, digest: last });

  function tick(): void {
    aliveAt = deps.now();
    persist();
    aliveTimer = deps.timers.setTimeout(tick, ALIVE_EVERY_MS);
  }
  aliveTimer = deps.timers.setTimeout(tick, ALIVE_EVERY_MS);

  const clear = () => {
    if (quietTimer !== null) deps.timers.clearTimeout(quietTimer);
    if (maxTimer !== null) deps.timers.clearTimeout(maxTimer);
    quietTimer = null;
    maxTimer = null;
  };

  function finish(): void {
    if (before === null) return;
    const now = deps.statuses();
    const firing: string[] = [];
    const quiet: string[] = [];
    for (const id of seen) {
      const after = now.get(id);
      if (after === undefined || before.get(id) === after) continue;
      if (after === 'resolved') quiet.push(id);
      else firing.push(id);
    }
    const from = since;
    before = null;
    since = null;
    begunAt = null;
    seen.clear();
    clear();
    const pages = firing.length + quiet.length;
    if (pages === 0) return;
    // still-firing pages first, so a capped list keeps the ones that need me
    const fresh: AwayDigest = { at: deps.now(), since: from, pages, stillFiring: firing.length, ids: [...firing, ...quiet].slice(0, AWAY_IDS_CAP) };
    last = last === null ? fresh : merged(last, fresh, firing, quiet, now);
    persist();
    // the notification tells of this absence; the Pages view's section keeps everything not yet read
    deps.digest(fresh, last);
  }

  /** A digest not yet dismissed takes in the next one: a second night must not erase the first. */
  function merged(previous: AwayDigest, fresh: AwayDigest, firing: string[], quiet: string[], now: Map<string, CatchUpStatus>): AwayDigest {
    const ids = new Set([...firing, ...quiet, ...previous.ids]);
    // pages the previous digest counted beyond its capped list are known only by number
    const unlisted = previous.pages - previous.ids.length;
    const still = [...ids].filter((id) => (now.get(id) ?? 'resolved') !== 'resolved');
    const gone = [...ids].filter((id) => (now.get(id) ?? 'resolved') === 'resolved');
    return { at: fresh.at, since: previous.since ?? fresh.since, pages: ids.size + unlisted, stillFiring: still.length, ids: [...still, ...gone].slice(0, AWAY_IDS_CAP) };
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
    /**
     * Starts (or prolongs) a catch-up; `work` is the polls and reconnects it waits for. `awaySince` is
     * when a connection was lost, for a catch-up after a network drop (the app was awake meanwhile, so
     * its last alive tick says nothing); without it, the last tick before a sleep or quit.
     */
    async begin(work: Promise<unknown>, awaySince?: number): Promise<void> {
      if (before === null) {
        before = deps.statuses();
        since = awaySince ?? aliveAt;
        aliveAt = deps.now();
        maxTimer = deps.timers.setTimeout(finish, maxMs);
      }
      begunAt = deps.now();
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
    /** When the running catch-up last began (a resume, or the start), or null when none runs. */
    begunAt: () => begunAt,
    /** The last digest, until dismissed. */
    last: () => last,
    /** The user has read the digest: the Pages view's section goes away. */
    dismiss(): void {
      if (last === null) return;
      last = null;
      persist();
      deps.dismissed?.();
    },
    /** Stops the timers and notes the time, so the next start knows since when the app was away. */
    stop(): void {
      clear();
      if (aliveTimer !== null) deps.timers.clearTimeout(aliveTimer);
      aliveTimer = null;
      if (stopped) return;
      stopped = true;
      aliveAt = deps.now();
      persist();
    },
  };
}
/** A running catch-up. */
export type CatchUp = ReturnType<typeof createCatchUp>;
