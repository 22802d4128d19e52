import { liveQuery } from 'dexie';
import type { OnCallApi } from '../../../preload/api';
import type { OnCallDb } from '../../db/database';
import { acknowledgeAll, attentionCounts, storeDelivery } from '../../db/pages-repo';

export interface SyncDeps {
  api: OnCallApi;
  db: OnCallDb;
  now: () => number;
  /** `what` says which step failed, so the message the user sees is the true one. */
  onError: (err: Error, what: 'store' | 'tray' | 'acknowledge') => void;
}

/**
 * Moves deliveries from main's outbox into IndexedDB: pull, store (idempotent per delivery id),
 * then confirm. If the renderer reloads between store and confirm, main re-delivers and the
 * receipt makes the second store a no-op, so each page is stored exactly once.
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
        const deliveries = await deps.api.pullDeliveries();
        // no early exit on an empty pull: a signal that came in meanwhile has set `again`
        if (deliveries.length > 0) {
          for (const delivery of deliveries) await storeDelivery(deps.db, delivery, deps.now());
          await deps.api.confirmDeliveries({ ids: deliveries.map((d) => d.id) });
        }
      } while (again && !stopped);
    } catch (err) {
      // Unconfirmed deliveries stay in main's outbox; the next signal retries them.
      deps.onError(err as Error, 'store');
    } finally {
      running = false;
    }
  }

  const offAvailable = deps.api.onDeliveriesAvailable(() => void drain());
  const offAckAll = deps.api.onAcknowledgeAllRequested(() => {
    acknowledgeAll(deps.db, deps.now()).catch((err: Error) => deps.onError(err, 'acknowledge'));
  });
  // The tray follows the store, whatever changed it (a delivery, a click, another reload).
  const attention = liveQuery(() => attentionCounts(deps.db)).subscribe({
    next: (counts) => void deps.api.setTrayAttention(counts).catch((err: Error) => deps.onError(err, 'tray')),
    error: (err: Error) => deps.onError(err, 'tray'),
  });
  void drain();

  return () => {
    stopped = true;
    offAvailable();
    offAckAll();
    attention.unsubscribe();
  };
}
