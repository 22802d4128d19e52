import Dexie from 'dexie';
import type { Page } from '../../core/page';
import type { LivePage } from '../../core/pager/live-state';
import type { Delivery } from '../../core/ipc-contract';
import { buildLine, byUrgency, lineKey, OPEN_URGENCY_BELOW, updateLine, type PageChange, type TriageLine } from '../features/pages/triage-line';
import { addNew, applyBatch, inSlices, storeGroupFacts } from './batch-writes';
import type { OnCallDb, StoredGroup } from './database';
import { chunkEvents, readTimeline, type TimelineEntry } from './timeline';

/**
 * Stores one delivery from main in a single transaction: signals through the same transition main
 * used, then the commands main applied, then timeline-only events and group facts. A delivery
 * already stored is skipped (returns false), which makes re-delivery after a reload harmless.
 */
export async function storeDelivery(db: OnCallDb, delivery: Delivery, now: number): Promise<boolean> {
  return (await storeDeliveries(db, [delivery], now)) === 1;
}

/** Called after a stored batch changed triage lines: the database and each changed line as committed (null: gone). */
export type LinesChangedListener = (db: OnCallDb, lines: ReadonlyMap<string, TriageLine | null>) => void;

const linesListeners = new Set<LinesChangedListener>();

/**
 * Hears which triage lines a committed write changed, with their new rows. The repository announces
 * them (rather than the view re-querying on each write), so the view reads nothing: a replay of 10,000
 * one-alert groups had the view read back every line it had just written.
 */
export function onLinesChanged(listener: LinesChangedListener): () => void {
  linesListeners.add(listener);
  return () => void linesListeners.delete(listener);
}

/**
 * Stores a batch of deliveries, in order, in one transaction, and returns how many were new.
 * One transaction per batch rather than per delivery: real IndexedDB commits cost milliseconds
 * each, which made a backlog of 20,000 take minutes. The triage lines of the groups it touched are
 * rebuilt in the same transaction, and listeners hear their keys once it has committed.
 */
export async function storeDeliveries(db: OnCallDb, deliveries: readonly Delivery[], now: number): Promise<number> {
  const result = await db.transaction('rw', [db.pages, db.timeline, db.receipts, db.groups, db.triage], async () => {
    // only a delivery main has handed out before (to this window before a reload, or before main
    // restarted) can have been stored: the others, most of any backlog, are not looked up
    const unsure = deliveries.filter((d) => d.neverPulled !== true).map((d) => d.id);
    const stored = new Set(unsure.length > 0 ? ((await db.receipts.where('ids').anyOf(unsure).keys()) as string[]) : []);
    const fresh = deliveries.filter((d) => !stored.has(d.id));
    if (fresh.length === 0) return { stored: 0, lines: new Map<string, TriageLine | null>() };
    const ids = [...new Set(fresh.flatMap((d) => [...d.signals.map((s) => s.id), ...d.commands.flatMap((c) => c.ids)]))];
    // pages main had never seen are not read: in a storm that is most of them, and each read is a request
    const hinted = new Set(fresh.flatMap((d) => d.newIds));
    const known = new Map<string, Page>();
    const read = async (list: readonly string[]) => {
      if (list.length === 0) return;
      for (const p of (await inSlices(list, (slice) => db.pages.bulkGet(slice))).flat()) if (p) known.set(p.id, p);
    };
    await read(ids.filter((id) => !hinted.has(id)));
    let batch = applyBatch(fresh, known);
    const added = [...batch.dirty].filter((id) => hinted.has(id) && !known.has(id));
    const existed = await addNew(db.pages, added.map((id) => batch.current.get(id)!), (p) => p.id);
    if (existed.length > 0) {
      // main had forgotten these pages (resolved long ago): read them and apply the batch again, exactly
      await read(existed);
      batch = applyBatch(fresh, known);
      await inSlices([...batch.dirty], (slice) => db.pages.bulkPut(slice.map((id) => batch.current.get(id)!)));
    } else {
      const addedSet = new Set(added);
      await inSlices(
        [...batch.dirty].filter((id) => !addedSet.has(id)),
        (slice) => db.pages.bulkPut(slice.map((id) => batch.current.get(id)!)),
      );
    }
    const { current, dirty, events, groups } = batch;
    await inSlices(chunkEvents(events), (slice) => db.timeline.bulkAdd(slice));
    if (groups.size > 0) await storeGroupFacts(db, [...groups.values()]);
    const lines = await updateLines(db, [...dirty].map((id) => ({ before: known.get(id), after: current.get(id)! })), current);
    await db.receipts.add({ ids: fresh.map((d) => d.id), storedAt: now, signals: fresh.reduce((n, d) => n + d.signals.length, 0) });
    return { stored: fresh.length, lines };
  });
  if (result.lines.size > 0) linesListeners.forEach((l) => l(db, result.lines));
  return result.stored;
}

/**
 * Brings the stored lines of the changed pages up to date (inside the caller's transaction) and
 * returns each as written (null where a line is gone). A line is updated from its stored row and the changes alone when that is exact
 * (new pages, status changes); otherwise, or when a page moved between groups, it is rebuilt from
 * all its pages. So a group of 20,000 gaining one alert costs one row, not 20,000 pages.
 */
async function updateLines(db: OnCallDb, changes: readonly PageChange[], known: ReadonlyMap<string, Page>): Promise<Map<string, TriageLine | null>> {
  const byLine = new Map<string, PageChange[]>();
  const rebuild = new Set<string>();
  for (const change of changes) {
    const key = lineKey(change.after);
    const list = byLine.get(key);
    if (list) list.push(change);
    else byLine.set(key, [change]);
    if (change.before && lineKey(change.before) !== key) {
      rebuild.add(key);
      rebuild.add(lineKey(change.before));
    }
  }
  const keys = [...byLine.keys()].filter((k) => !rebuild.has(k));
  // a line whose changes are all new pages is most likely new too (a replay of one-alert groups):
  // added without a read; the ones that existed after all are read and updated like the rest
  const brandNew = keys.filter((k) => byLine.get(k)!.every((c) => c.before === undefined)).map((k) => buildLine(k, byLine.get(k)!.map((c) => c.after))!);
  const existed = new Set(await addNew(db.triage, brandNew, (l) => l.key));
  const written = new Map<string, TriageLine | null>();
  for (const line of brandNew) if (!existed.has(line.key)) written.set(line.key, line);
  const toUpdate = keys.filter((k) => existed.has(k) || byLine.get(k)!.some((c) => c.before !== undefined));
  const stored = (await inSlices(toUpdate, (slice) => db.triage.bulkGet(slice))).flat();
  const updated: TriageLine[] = [];
  toUpdate.forEach((key, i) => {
    const line = stored[i];
    const list = byLine.get(key)!;
    // no stored line means the group had no pages before (every stored page has its line)
    const next = line ? updateLine(line, list) : list.every((c) => c.before === undefined) ? buildLine(key, list.map((c) => c.after)) : null;
    if (next) updated.push(next);
    else rebuild.add(key);
  });
  await inSlices(updated, (slice) => db.triage.bulkPut(slice));
  for (const line of updated) written.set(line.key, line);
  for (const [key, line] of await rebuildLines(db, [...rebuild], known)) written.set(key, line);
  return written;
}

/**
 * Pages of the given lines, by the groupKey index (a lone page without a group is its own line).
 * Pages the caller holds already (`known`, current within its transaction) are not read again: only
 * the ids come from the index, so a storm's batch does not deserialize what it just wrote.
 */
async function pagesOfLines(db: OnCallDb, keys: readonly string[], known: ReadonlyMap<string, Page> = new Map()): Promise<Map<string, Page[]>> {
  const ids = (await db.pages.where('groupKey').anyOf(keys).primaryKeys()) as string[];
  const missing = [...new Set([...ids, ...keys])].filter((id) => !known.has(id));
  const read = (await inSlices(missing, (slice) => db.pages.bulkGet(slice))).flat();
  const out = new Map<string, Page[]>(keys.map((k) => [k, []]));
  const add = (page: Page) => {
    // a lone page without a group is found under its own id
    const list = page.groupKey === '' ? out.get(page.id) : out.get(page.groupKey);
    list?.push(page);
  };
  for (const id of new Set([...ids, ...keys])) {
    const page = known.get(id);
    if (page) add(page);
  }
  for (const page of read) if (page) add(page);
  return out;
}

/** Rebuilds the stored triage lines of the given keys from their pages (inside the caller's transaction); returns them, null where gone. */
async function rebuildLines(db: OnCallDb, keys: readonly string[], known: ReadonlyMap<string, Page>): Promise<Map<string, TriageLine | null>> {
  if (keys.length === 0) return new Map();
  const pages = await pagesOfLines(db, keys, known);
  const lines: TriageLine[] = [];
  const gone: string[] = [];
  for (const [key, list] of pages) {
    const line = buildLine(key, list);
    if (line) lines.push(line);
    else gone.push(key);
  }
  await inSlices(lines, (slice) => db.triage.bulkPut(slice));
  if (gone.length > 0) await db.triage.bulkDelete(gone);
  return new Map<string, TriageLine | null>([...lines.map((l) => [l.key, l] as const), ...gone.map((k) => [k, null] as const)]);
}

/** One line's pages, most urgent first, for an open group in the list. */
export async function linePages(db: OnCallDb, key: string): Promise<Page[]> {
  return ((await pagesOfLines(db, [key])).get(key) ?? []).sort(byUrgency);
}

/** Pages of several lines (the groups open in the list), each most urgent first. */
export async function pagesOfOpenLines(db: OnCallDb, keys: readonly string[]): Promise<Map<string, Page[]>> {
  const out = keys.length > 0 ? await pagesOfLines(db, keys) : new Map<string, Page[]>();
  out.forEach((list) => list.sort(byUrgency));
  return out;
}

/** The most urgent lines with something open, by the urgency index: the first screen, in milliseconds. */
export async function mostUrgentLines(db: OnCallDb, limit: number): Promise<TriageLine[]> {
  return db.triage.where('[urgency+key]').between([-Infinity, Dexie.minKey], [OPEN_URGENCY_BELOW, Dexie.minKey]).limit(limit).toArray();
}

/** The next open lines after `after` (urgency and key of the last one read) in urgency order, for loading the rest in chunks. */
export async function openLinesAfter(db: OnCallDb, after: { urgency: number; key: string } | null, limit: number): Promise<TriageLine[]> {
  const from = after ? [after.urgency, after.key] : [-Infinity, Dexie.minKey];
  return db.triage.where('[urgency+key]').between(from, [OPEN_URGENCY_BELOW, Dexie.minKey], after === null, false).limit(limit).toArray();
}

/** Lines with a page resolved at or after `since`, newest resolution first, `offset` lines in. */
export async function resolvedLines(db: OnCallDb, since: number, offset: number, limit: number): Promise<TriageLine[]> {
  return db.triage.where('lastResolvedAt').aboveOrEqual(since).reverse().offset(offset).limit(limit).toArray();
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

/** Facts about one group Alertmanager cut short (undefined for a group it sent whole). */
export async function groupInfo(db: OnCallDb, groupKey: string): Promise<StoredGroup | undefined> {
  return db.groups.get(groupKey);
}

/** How long a resolved page stays in the default view: about one shift. */
export const RECENT_RESOLVED_MS = 12 * 3600_000;

/** At most this many resolved pages are shown under "show all resolved": the newest. */
export const RESOLVED_SHOWN_MAX = 10_000;

/** Groups Alertmanager cut short, with how many alerts it left out (by the truncatedAlerts index: only those). */
export async function truncatedGroups(db: OnCallDb): Promise<Map<string, number>> {
  const found = await db.groups.where('truncatedAlerts').above(0).toArray();
  return new Map(found.map((g) => [g.groupKey, g.truncatedAlerts]));
}

/** One page with its timeline and who acknowledged it (the `acknowledged` event's detail), for the detail pane. */
export async function pageDetail(db: OnCallDb, pageId: string): Promise<{ page: Page; events: TimelineEntry[]; acknowledgedBy: string | null } | null> {
  const [page, events] = await Promise.all([db.pages.get(pageId), pageTimeline(db, pageId)]);
  if (!page) return null;
  const ack = events.filter((e) => e.kind === 'acknowledged').at(-1);
  return { page, events, acknowledgedBy: ack?.detail ?? null };
}

/** What the tray needs to know. */
export async function attentionCounts(db: OnCallDb): Promise<{ unacknowledged: number; firing: number }> {
  // counted on the status index: no page is loaded (needsAttention is exactly status "firing")
  const [unacknowledged, acknowledged] = await Promise.all([db.pages.where('status').equals('firing').count(), db.pages.where('status').equals('acknowledged').count()]);
  return { unacknowledged, firing: unacknowledged + acknowledged };
}

/** A page's timeline, oldest first. */
export async function pageTimeline(db: OnCallDb, pageId: string): Promise<TimelineEntry[]> {
  return readTimeline(db, [pageId]);
}
