import { PULL_MAX_SIGNALS, type Delivery } from '../../../core/ipc-contract';
import type { Bridge } from '../../bridge';
import type { OnCallDb } from '../../db/database';
import { pagesForSeeding, storeDeliveries } from '../../db/pages-repo';

export interface SyncDeps {
  api: Bridge;
  db: OnCallDb;
  now: () => number;
  /** `what` says which step failed, so the message the user sees is the true one. */
  onError: (err: Error, what: 'store' | 'seed') => void;
  /** First wait before retrying after a failed store or confirmation (doubles up to RETRY_MAX_MS). */
  retryMs?: number;
}

/** The longest wait between retries after failures: the user was told the pages stay queued and will be retried. */
const RETRY_MAX_MS = 30_000;

/** Batches whose pull/store/confirm timings stay in the performance timeline before it is cleared. */
const MEASURES_KEPT = 2_000;
let measured = 0;

/** A batch this big means main has more queued: the next one is pulled while it is stored. */
const PREFETCH_FROM_SIGNALS = PULL_MAX_SIGNALS / 2;

/**
 * Under a steady trickle (a page every 10 ms), pulls start at least this far apart, so what arrives
 * meanwhile is stored in one transaction. At 100 pages a second the window otherwise stored every
 * page or two on its own, each with its transaction, re-render and IPC round trips, and took 0.6–0.7
 * of a core from the 2 that main, which rings, shares with it. The notification and the alarm are
 * main's and never wait for this; the window shows a page at most this much later.
 */
export const PULL_GAP_MS = 100;

/** Pages per seeding call: the IPC contract bounds one call to 5,000. */
const SEED_BATCH = 5_000;

/**
 * Moves deliveries from main's outbox into IndexedDB: pull a batch, store it (idempotent per
 * delivery id), confirm exactly what was pulled, and repeat until main has nothing left. If the
 * renderer reloads between store and confirm, main re-delivers and the receipt makes the second
 * store a no-op, so each page is stored exactly once.
 */
export function startDeliverySync(deps: SyncDeps): () => void {
  let running = false;
  let again = false;
  let stopped = false;
  let lastStoredAt = 0;
  let lastPullAt = -Infinity;
  const firstRetryMs = deps.retryMs ?? 1_000;
  let retryMs = firstRetryMs;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  /** Waits until PULL_GAP_MS after the last pull began (at once if it is that long ago). */
  function gap(): Promise<void> {
    const wait = lastPullAt + PULL_GAP_MS - performance.now();
    return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
  }

  /** Pulls the batch after `after` and clears `again`: a signal from here on means "pull once more". */
  function pull(after: string | null): Promise<{ deliveries: Delivery[]; pulledAt: number; at: number }> {
    again = false;
    const pulledAt = performance.now();
    lastPullAt = pulledAt;
    return deps.api.pullDeliveries({ after }).then((deliveries) => ({ deliveries, pulledAt, at: performance.now() }));
  }

  /**
   * While main has a backlog (a storm), the next batch is on its way while one is stored (pulled
   * after the batch's last delivery); confirmations go out without holding up the next store. So
   * the IPC round trips hide behind IndexedDB's work, and small batches grow into big ones.
   */
  async function drain(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    const confirming: Promise<void>[] = [];
    let failed = false;
    try {
      // the last delivery stored: main hands out what follows it, even before its confirmation lands
      let last: string | null = null;
      await gap();
      let next = pull(last);
      for (;;) {
        const { deliveries, pulledAt, at } = await next;
        if (deliveries.length === 0) {
          // nothing left, unless main said "available" after this pull was sent
          if (again && !stopped) {
            await gap();
            next = pull(last);
            continue;
          }
          break;
        }
        last = deliveries.at(-1)!.id;
        const signals = deliveries.reduce((n, d) => n + d.signals.length, 0);
        // A big batch means main has a backlog: fetch the next one while this one is stored. After a
        // small one, pull once it is stored and the gap is over, so what arrives meanwhile (a replay
        // streaming in, a trickle of pages) comes as one batch: each IndexedDB transaction costs tens
        // of milliseconds however small.
        const prefetched = signals >= PREFETCH_FROM_SIGNALS ? pull(last) : null;
        // if storing fails, the pull in flight is dropped; its failure is not a second error
        prefetched?.catch(() => undefined);
        await storeDeliveries(deps.db, deliveries, deps.now());
        const storedAt = performance.now();
        const confirmed = deps.api.confirmDeliveries({ ids: deliveries.map((d) => d.id) });
        confirming.push(confirmed);
        confirmed.catch(() => undefined);
        // user timing, so a benchmark (or a profile) can tell pulling, storing and confirming apart
        performance.measure(`deliveries:pull ${deliveries.length}/${signals}`, { start: pulledAt, end: at });
        performance.measure(`deliveries:store ${deliveries.length}/${signals}`, { start: Math.max(at, lastStoredAt), end: storedAt });
        lastStoredAt = storedAt;
        void confirmed.then(() => performance.measure(`deliveries:confirm ${deliveries.length}/${signals}`, { start: storedAt, end: performance.now() }), () => undefined);
        // user timing entries are never dropped by the browser: keep the newest few thousand steps only
        if (++measured % MEASURES_KEPT === 0) performance.clearMeasures();
        if (stopped) break;
        if (prefetched) {
          next = prefetched;
          continue;
        }
        // After a small batch main has nothing more, unless it said "available" since this pull (it
        // announces whatever is added after a pull). Then the next pull waits out the gap.
        if (!again) break;
        await gap();
        if (stopped) break;
        next = pull(last);
      }
      // a confirmation that failed leaves its deliveries in main's outbox: the next signal re-delivers them
      await Promise.all(confirming);
    } catch (err) {
      // Unconfirmed deliveries stay in main's outbox; the next signal retries them, and receipts make
      // the ones already stored no-ops.
      failed = true;
      deps.onError(err as Error, 'store');
    } finally {
      running = false;
    }
    if (stopped) return;
    if (failed) {
      // Retried on a timer, not on main's next announcement: main announces once until the window
      // pulls, so an announcement that came during the failed drain would be the last one, and the
      // window would stop storing pages for good.
      retryTimer ??= setTimeout(() => {
        retryTimer = null;
        void drain();
      }, retryMs);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      return;
    }
    retryMs = firstRetryMs;
    // a signal that came while the last confirmations were on their way
    if (again) void drain();
  }

  /** First start after the upgrade: main learns what the window already holds, so nothing rings again. */
  async function seedIfNeeded(): Promise<void> {
    const settings = await deps.api.getSettings();
    if (!settings.needsSeed) return;
    const pages = await pagesForSeeding(deps.db, deps.now());
    for (let i = 0; i < pages.length || i === 0; i += SEED_BATCH) {
      const batch = pages.slice(i, i + SEED_BATCH);
      await deps.api.seedPager({ pages: batch, done: i + SEED_BATCH >= pages.length });
    }
  }

  const offAvailable = deps.api.onDeliveriesAvailable(() => void drain());
  void seedIfNeeded()
    .catch((err: Error) => deps.onError(err, 'seed'))
    .finally(() => void drain());

  return () => {
    stopped = true;
    if (retryTimer !== null) clearTimeout(retryTimer);
    offAvailable();
  };
}
