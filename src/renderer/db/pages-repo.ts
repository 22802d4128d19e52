import { acknowledge, applySignal, needsAttention, type Page, type PageEvent } from '../../core/page';
import type { Delivery } from '../../core/ipc-contract';
import type { OnCallDb, StoredEvent } from './database';

/** Stores one delivery in a single transaction; a delivery already stored is skipped (returns false). */
export async function storeDelivery(db: OnCallDb, delivery: Delivery, now: number): Promise<boolean> {
  return db.transaction('rw', db.pages, db.events, db.deliveries, async () => {
    if (await db.deliveries.get(delivery.id)) return false;
    const ids = [...new Set(delivery.signals.map((s) => s.id))];
    const existing = await db.pages.bulkGet(ids);
    const current = new Map<string, Page>();
    existing.forEach((p) => p && current.set(p.id, p));
    const events: PageEvent[] = [];
    const at = delivery.receivedAt;
    for (const signal of delivery.signals) {
      const before = current.get(signal.id);
      const result = applySignal(before, signal, at);
      if (!result.changed) continue;
      current.set(signal.id, result.page);
      events.push(...result.events);
      const rang = result.page.status === 'firing' && (before === undefined || before.status === 'resolved');
      if (rang && delivery.notifiedAt !== null) events.push({ pageId: signal.id, kind: 'notified', at: delivery.notifiedAt });
    }
    await db.pages.bulkPut([...current.values()]);
    await db.events.bulkAdd(events as StoredEvent[]);
    await db.deliveries.add({ id: delivery.id, storedAt: now, signals: delivery.signals.length });
    return true;
  });
}

/** Acknowledges the given pages that are firing; returns how many changed. */
export async function acknowledgePages(db: OnCallDb, ids: readonly string[], now: number): Promise<number> {
  return db.transaction('rw', db.pages, db.events, async () => {
    const pages = (await db.pages.bulkGet([...ids])).filter((p): p is Page => p !== undefined);
    const changed = pages.map((p) => acknowledge(p, now)).filter((r) => r.changed);
    await db.pages.bulkPut(changed.map((r) => r.page));
    await db.events.bulkAdd(changed.flatMap((r) => r.events) as StoredEvent[]);
    return changed.length;
  });
}

/** Acknowledges every firing page (tray "Acknowledge all"). */
export async function acknowledgeAll(db: OnCallDb, now: number): Promise<number> {
  const ids = await db.pages.where('status').equals('firing').primaryKeys();
  return acknowledgePages(db, ids, now);
}

/** How long a resolved page stays in the default view: about one shift. */
export const RECENT_RESOLVED_MS = 12 * 3600_000;

/** Pages for the Pages view, newest first: open ones plus those resolved in the last shift, or all. */
export async function listPages(db: OnCallDb, includeAllResolved: boolean, now: number): Promise<Page[]> {
  const pages = includeAllResolved
    ? await db.pages.toArray()
    : await db.pages.filter((p) => p.status !== 'resolved' || (p.resolvedAt ?? p.updatedAt) >= now - RECENT_RESOLVED_MS).toArray();
  return pages.sort((a, b) => b.startsAt - a.startsAt);
}

/** What the tray needs to know. */
export async function attentionCounts(db: OnCallDb): Promise<{ unacknowledged: number; firing: number }> {
  const open = await db.pages.where('status').anyOf('firing', 'acknowledged').toArray();
  return { unacknowledged: open.filter(needsAttention).length, firing: open.length };
}

/** A page's timeline, oldest first. */
export async function pageTimeline(db: OnCallDb, pageId: string): Promise<StoredEvent[]> {
  return db.events.where('pageId').equals(pageId).sortBy('at');
}
