import type { Bridge } from '../../bridge';
import type { OnCallDb } from '../../db/database';
import { pagesForSeeding, storeDeliveries } from '../../db/pages-repo';

export interface SyncDeps {
  api: Bridge;
  db: OnCallDb;
  now: () => number;
  /** `what` says which step failed, so the message the user sees is the true one. */
  onError: (err: Error, what: 'store' | 'seed') => void;
}

/** Batches whose pull/store/confirm timings stay in the performance timeline before it is cleared. */
const MEASURES_KEPT = 2_000;
let measured = 0;

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

  async function drain(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const pulledAt = performance.now();
        const deliveries = await deps.api.pullDeliveries();
        if (deliveries.length > 0) {
          const storeAt = performance.now();
          await storeDeliveries(deps.db, deliveries, deps.now());
          const confirmAt = performance.now();
          await deps.api.confirmDeliveries({ ids: deliveries.map((d) => d.id) });
          // user timing, so a benchmark (or a profile) can tell pulling, storing and confirming apart
          const signals = deliveries.reduce((n, d) => n + d.signals.length, 0);
          performance.measure(`deliveries:pull ${deliveries.length}/${signals}`, { start: pulledAt, end: storeAt });
          performance.measure(`deliveries:store ${deliveries.length}/${signals}`, { start: storeAt, end: confirmAt });
          performance.measure(`deliveries:confirm ${deliveries.length}/${signals}`, { start: confirmAt, end: performance.now() });
          // user timing entries are never dropped by the browser: keep the newest few thousand steps only
          if (++measured % MEASURES_KEPT === 0) performance.clearMeasures();
          // a full batch means there may be more: keep going without waiting for a signal
          again = true;
        }
      } while (again && !stopped);
    } catch (err) {
      // Unconfirmed deliveries stay in main's outbox; the next signal retries them.
      deps.onError(err as Error, 'store');
    } finally {
      running = false;
    }
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
    offAvailable();
  };
}
