import Dexie from 'dexie';
import { applySignal, needsAttention, type Page, type PageEvent } from '../../core/page';
import { applyCommand, type LivePage } from '../../core/pager/live-state';
import type { Delivery } from '../../core/ipc-contract';
import type { OnCallDb, StoredEvent, StoredGroup } from './database';

/**
 * Stores one delivery from main in a single transaction: signals through the same transition main
 * used, then the commands main applied, then timeline-only events and group facts. A delivery
 * already stored is skipped (returns false), which makes re-delivery after a reload harmless.
 */
export async function storeDelivery(db: OnCallDb, delivery: Delivery, now: number): Promise<boolean> {
  return (await storeDeliveries(db, [delivery], now)) === 1;
}

/**
 * Stores a batch of deliveries, in order, in one transaction, and returns how many were new.
 * One transaction per batch rather than per delivery: real IndexedDB commits cost milliseconds
 * each, which made a backlog of 20,000 take minutes.
 */
export async function storeDeliveries(db: OnCallDb, deliveries: readonly Delivery[], now: number): Promise<number> {
  return db.transaction('rw', [db.pages, db.events, db.deliveries, db.groups], async () => {
    const receipts = await db.deliveries.bulkGet(deliveries.map((d) => d.id));
    const fresh = deliveries.filter((_, i) => receipts[i] === undefined);
    if (fresh.length === 0) return 0;
    const ids = [...new Set(fresh.flatMap((d) => [...d.signals.map((s) => s.id), ...d.commands.flatMap((c) => c.ids)]))];
    const existing = await db.pages.bulkGet(ids);
    const current = new Map<string, Page>();
    existing.forEach((p) => p && current.set(p.id, p));
    const dirty = new Set<string>();
    const events: PageEvent[] = [];
    const groups = new Map<string, StoredGroup>();
    for (const delivery of fresh) {
      const at = delivery.receivedAt;
      for (const signal of delivery.signals) {
        const before = current.get(signal.id);
        const result = applySignal(before, signal, at);
        if (!result.changed) continue;
        current.set(signal.id, result.page);
        dirty.add(signal.id);
        events.push(...result.events);
        // journals from before main owned the state carry notifiedAt instead of "notified" events
        const rang = result.page.status === 'firing' && (before === undefined || before.status === 'resolved');
        if (rang && delivery.notifiedAt !== null) events.push({ pageId: signal.id, kind: 'notified', at: delivery.notifiedAt });
      }
      for (const command of delivery.commands) {
        for (const id of command.ids) {
          const page = current.get(id);
          if (!page) continue;
          const result = applyCommand(page, command);
          if (!result.changed) continue;
          current.set(id, result.page);
          dirty.add(id);
          events.push(...result.events.map((e) => ({ ...e, detail: command.by })));
        }
      }
      events.push(...delivery.events);
      for (const g of delivery.groups) groups.set(g.groupKey, { groupKey: g.groupKey, truncatedAlerts: g.truncatedAlerts, updatedAt: at });
    }
    await db.pages.bulkPut([...dirty].map((id) => current.get(id)!));
    await db.events.bulkAdd(events as StoredEvent[]);
    if (groups.size > 0) await db.groups.bulkPut([...groups.values()]);
    await db.deliveries.bulkAdd(fresh.map((d) => ({ id: d.id, storedAt: now, signals: d.signals.length })));
    return fresh.length;
  });
}

/** Pages main must know about after the upgrade: open ones, and those resolved in the last week. */
export async function pagesForSeeding(db: OnCallDb, now: number): Promise<LivePage[]> {
  const open = await db.pages.where('status').anyOf('firing', 'acknowledged').toArray();
  const recent = await db.pages.where('updatedAt').aboveOrEqual(now - 7 * 24 * 3600_000).filter((p) => p.status === 'resolved').toArray();
  return [...open, ...recent].map((p) => ({
    id: p.id,
    groupKey: p.groupKey,
    title: p.title,
    severity: p.severity,
    summary: p.summary,
    instance: p.instance,
    status: p.status,
    startsAt: p.startsAt,
    // what the window holds already rang (or was shown): main must not ring it again
    rangAt: p.receivedAt,
    acknowledgedAt: p.acknowledgedAt,
    resolvedAt: p.resolvedAt,
    updatedAt: p.updatedAt,
  }));
}

/** Facts about one group, such as alerts Alertmanager left out. */
export async function groupInfo(db: OnCallDb, groupKey: string): Promise<StoredGroup | undefined> {
  return db.groups.get(groupKey);
}

/** How long a resolved page stays in the default view: about one shift. */
export const RECENT_RESOLVED_MS = 12 * 3600_000;

/** At most this many resolved pages are shown under "show all resolved": the newest. */
export const RESOLVED_SHOWN_MAX = 10_000;

/**
 * Pages for the Pages view, newest first: open ones plus those resolved in the last shift (by the
 * resolvedAt index, which holds only resolved pages since null is no key), or
 * plus the newest RESOLVED_SHOWN_MAX resolved. Every part reads an index range, never the table.
 */
export async function listPages(db: OnCallDb, includeAllResolved: boolean, now: number): Promise<Page[]> {
  const open = db.pages.where('status').anyOf('firing', 'acknowledged').toArray();
  const resolved = includeAllResolved
    ? db.pages.where('[status+startsAt]').between(['resolved', Dexie.minKey], ['resolved', Dexie.maxKey]).reverse().limit(RESOLVED_SHOWN_MAX).toArray()
    : db.pages
        .where('resolvedAt')
        .aboveOrEqual(now - RECENT_RESOLVED_MS)
        .filter((p) => p.status === 'resolved')
        .toArray();
  const [a, b] = await Promise.all([open, resolved]);
  return [...a, ...b].sort((x, y) => y.startsAt - x.startsAt);
}

/** Groups Alertmanager cut short, with how many alerts it left out, for the given group keys. */
export async function truncatedGroups(db: OnCallDb, groupKeys: string[]): Promise<Map<string, number>> {
  const found = await db.groups.bulkGet(groupKeys);
  const out = new Map<string, number>();
  found.forEach((g) => g && g.truncatedAlerts > 0 && out.set(g.groupKey, g.truncatedAlerts));
  return out;
}

/** One page with its timeline and who acknowledged it (the `acknowledged` event's detail), for the detail pane. */
export async function pageDetail(db: OnCallDb, pageId: string): Promise<{ page: Page; events: StoredEvent[]; acknowledgedBy: string | null } | null> {
  const [page, events] = await Promise.all([db.pages.get(pageId), pageTimeline(db, pageId)]);
  if (!page) return null;
  const ack = events.filter((e) => e.kind === 'acknowledged').at(-1);
  return { page, events, acknowledgedBy: ack?.detail ?? null };
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
