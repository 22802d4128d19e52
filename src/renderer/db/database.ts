import Dexie, { type Table, type Transaction } from 'dexie';
import type { Page, PageEvent } from '../../core/page';
import type { Override, Schedule } from '../../core/rota/model';
import type { Incident } from '../../core/incidents/model';
import type { Postmortem } from '../../core/reports/postmortem';
import type { RunbookProblem } from '../../core/runbooks/ipc-schemas';
import type { Runbook } from '../../core/runbooks/model';
import type { ChecklistRun } from '../../core/runbooks/run';
import { buildLine, lineKey, type TriageLine } from '../features/pages/triage-line';
import { chunkEvents, type TimelineChunk } from './timeline';

/** A timeline entry as versions 1–6 stored it, one row each: read only by the upgrade to version 7. */
interface LegacyEvent extends PageEvent {
  seq: number;
}

/** A receipt as versions 2–8 stored it, one row per delivery: read only by the upgrade to version 9. */
interface LegacyReceipt {
  id: string;
  storedAt: number;
  signals: number;
}

/**
 * Proof that deliveries from main were stored, so a re-delivery after a reload is skipped: one row per
 * stored batch, found by any of its delivery ids (a multi-entry index).
 */
export interface DeliveryReceipt {
  seq?: number;
  ids: string[];
  storedAt: number;
  signals: number;
}

/** Where schedules come from: edited here, a rota file in a folder, or an iCal feed. */
export interface RotaSource {
  id: string;
  kind: 'app' | 'file' | 'ical';
  label: string;
  /** Feed URL or folder path; empty for 'app'. */
  location: string;
  status: 'pending' | 'ok' | 'error';
  error: string | null;
  etag: string | null;
  lastModified: string | null;
  /** Last successful check (updated or unchanged). */
  checkedAt: number | null;
  /** Last time the content changed. */
  updatedAt: number | null;
}

/** A schedule as stored: the core schedule (without overrides) and its source. */
export interface StoredSchedule extends Omit<Schedule, 'overrides'> {
  sourceId: string;
}

/** An override I added; kept apart so a feed or file refresh never drops it. */
export interface StoredOverride extends Override {
  scheduleId: string;
}

/** Per-group facts from the source, such as how many alerts Alertmanager left out. */
export interface StoredGroup {
  groupKey: string;
  truncatedAlerts: number;
  updatedAt: number;
}

/** A user preference. */
export interface Pref {
  key: 'me' | 'reminderLeadMinutes' | 'timeZone' | 'language';
  value: string;
}

/** A runbook's last good copy, kept offline; `key` is its library path, its URL, or a single file's absolute path. */
export interface StoredRunbook extends Runbook {
  key: string;
  origin: 'folder' | 'url' | 'file';
}

/** Where runbooks come from: the library folder, one https URL or one single file, with what main last said about it. */
export interface RunbookSource {
  /** 'folder' for the library folder, else the URL or the file. */
  id: string;
  kind: 'folder' | 'url' | 'file';
  location: string;
  etag: string | null;
  lastModified: string | null;
  status: 'pending' | 'ok' | 'error';
  /** Files that could not be used on the last scan, or the fetch/folder error. */
  problems: RunbookProblem[];
  checkedAt: number | null;
}

export const DATABASE_NAME = 'on-call-companion';

/**
 * The app's one IndexedDB database. Schema versions are append-only: never edit a shipped
 * version, add a new one with an upgrade and a test that upgrades from the previous one.
 */
export class OnCallDb extends Dexie {
  pages!: Table<Page, string>;
  timeline!: Table<TimelineChunk, number>;
  receipts!: Table<DeliveryReceipt, number>;
  rotaSources!: Table<RotaSource, string>;
  schedules!: Table<StoredSchedule, string>;
  overrides!: Table<StoredOverride, string>;
  prefs!: Table<Pref, string>;
  groups!: Table<StoredGroup, string>;
  runbooks!: Table<StoredRunbook, string>;
  runbookSources!: Table<RunbookSource, string>;
  runs!: Table<ChecklistRun, string>;
  incidents!: Table<Incident, string>;
  postmortems!: Table<Postmortem, string>;
  triage!: Table<TriageLine, string>;

  constructor(name: string = DATABASE_NAME) {
    // Chromium's 'default' durability has meant relaxed (no fsync) since Chromium 121: the window confirms
    // a stored delivery and main then forgets it, so a commit a power cut could undo would lose the
    // page's history. Measured: the 10,000-alert storm takes as long either way (about 2.8 s).
    super(name, { chromeTransactionDurability: 'strict' });
    // v1: pages and their timeline.
    this.version(1).stores({
      pages: 'id, status, severity, receivedAt',
      events: '++seq, pageId, at',
    });
    // v2: delivery receipts for exactly-once storage; pages gain group and fire count.
    this.version(2)
      .stores({
        pages: 'id, status, severity, receivedAt, updatedAt, groupKey',
        deliveries: 'id, storedAt',
      })
      .upgrade(upgradeToV2);
    // v3: the rota, with the in-app source present from the start.
    this.version(3)
      .stores({
        rotaSources: 'id, kind',
        schedules: 'id, sourceId',
        overrides: 'id, scheduleId, start',
        prefs: 'key',
      })
      .upgrade(upgradeToV3);
    // v4: per-group facts (Alertmanager's truncatedAlerts); main now owns the live page state.
    this.version(4)
      .stores({
        // triage queries: open pages by status, recent resolved by resolvedAt (null is not indexed), newest by startsAt
        pages: 'id, status, severity, receivedAt, updatedAt, groupKey, startsAt, resolvedAt, [status+startsAt], [groupKey+startsAt]',
        groups: 'groupKey, updatedAt',
      })
      .upgrade(upgradeToV4);
    // v5: the runbook library (last good copies), checklist runs, incidents and postmortem drafts.
    this.version(5)
      .stores({
        runbooks: 'key, path, origin',
        runbookSources: 'id',
        runs: 'id, incidentId, pageId, status, startedAt',
        incidents: 'id, status, createdAt',
        postmortems: 'id, incidentId, updatedAt',
      })
      .upgrade(upgradeToV5);
    // v6: one small row per triage line, kept by storeDeliveries, so the list never loads every open page;
    // groups gain a truncatedAlerts index so the view reads only the groups Alertmanager cut short; pages
    // lose the indexes nothing reads any more (severity, startsAt, resolvedAt, [status+startsAt]): each is a
    // write per page in a storm.
    this.version(6)
      .stores({
        pages: 'id, status, receivedAt, updatedAt, groupKey, [groupKey+startsAt]',
        triage: 'key, [urgency+key], lastResolvedAt',
        groups: 'groupKey, updatedAt, truncatedAlerts',
      })
      .upgrade(upgradeToV6);
    // v7: timeline entries move to one row per stored batch and up to 64 pages (see timeline.ts): a row
    // per entry cost a storm of 10,000 pages 20,000 IndexedDB requests. v8 drops the old table, which
    // Dexie lets v7's upgrade read only if it is deleted in a later version.
    this.version(7)
      .stores({ timeline: '++seq, *pageIds' })
      .upgrade(upgradeToV7);
    this.version(8).stores({ events: null });
    // v9: delivery receipts move to one row per stored batch (see DeliveryReceipt): a row per delivery
    // cost a replay of 10,000 one-alert events 10,000 reads and 10,000 writes, a third of its IndexedDB
    // work. v10 drops the old table, as v8 did for the timeline.
    this.version(9)
      .stores({ receipts: '++seq, *ids' })
      .upgrade(upgradeToV9);
    this.version(10).stores({ deliveries: null });
    this.on('populate', (tx) => {
      void tx.table<RotaSource, string>('rotaSources').add(APP_SOURCE);
    });
  }
}

/** Old timeline rows read per step while moving them, so the upgrade never holds every entry at once. */
const UPGRADE_EVENTS_PER_STEP = 5_000;

/** v6 → v7: copies every timeline entry, in stored order, into chunk rows (the old table goes in v8). */
export async function upgradeToV7(tx: Transaction): Promise<unknown> {
  const events = tx.table<LegacyEvent, number>('events');
  const timeline = tx.table<TimelineChunk, number>('timeline');
  let after = -Infinity;
  let moved = 0;
  for (;;) {
    const step = await events.where(':id').above(after).limit(UPGRADE_EVENTS_PER_STEP).toArray();
    if (step.length === 0) return moved;
    after = step.at(-1)!.seq;
    moved += step.length;
    await timeline.bulkAdd(chunkEvents(step.map(({ pageId, kind, at, detail }) => (detail === undefined ? { pageId, kind, at } : { pageId, kind, at, detail }))));
  }
}

/** Old receipts per receipt row written by the upgrade to version 9. */
const UPGRADE_RECEIPTS_PER_ROW = 500;

/** v8 → v9: every receipt of a delivery stored before, so main re-delivering it after the upgrade is still a no-op. */
export async function upgradeToV9(tx: Transaction): Promise<unknown> {
  const old = tx.table<LegacyReceipt, string>('deliveries');
  const receipts = tx.table<DeliveryReceipt, number>('receipts');
  let after = '';
  let moved = 0;
  for (;;) {
    const step = await old.where(':id').above(after).limit(UPGRADE_RECEIPTS_PER_ROW).toArray();
    if (step.length === 0) return moved;
    after = step.at(-1)!.id;
    moved += step.length;
    await receipts.add({ ids: step.map((r) => r.id), storedAt: Math.max(...step.map((r) => r.storedAt)), signals: step.reduce((n, r) => n + r.signals, 0) });
  }
}

const APP_SOURCE: RotaSource = { id: 'app', kind: 'app', label: '', location: '', status: 'ok', error: null, etag: null, lastModified: null, checkedAt: null, updatedAt: null };

/** v1 → v2: pages stored before grouping get an empty group and one firing. */
export function upgradeToV2(tx: Transaction): Promise<unknown> {
  return tx
    .table<Page, string>('pages')
    .toCollection()
    .modify((page) => {
      page.fireCount ??= 1;
      page.groupKey ??= '';
    });
}

/** v2 → v3: the in-app rota source exists from the start. */
export function upgradeToV3(tx: Transaction): Promise<unknown> {
  return tx.table<RotaSource, string>('rotaSources').put(APP_SOURCE);
}

/**
 * v3 → v4: a page stored without a group (before v2, or from a lone alert) gets its own id as
 * group, so the triage list can show every page under exactly one group.
 */
export function upgradeToV4(tx: Transaction): Promise<unknown> {
  return tx
    .table<Page, string>('pages')
    .where('groupKey')
    .equals('')
    .modify((page) => {
      page.groupKey = page.id;
    });
}

/**
 * v4 → v5: only new tables. A page acknowledged before v5 has no incident yet, so nothing moves;
 * the function exists so the upgrade path is named and tested like every other.
 */
export function upgradeToV5(tx: Transaction): Promise<unknown> {
  return tx.table<RunbookSource, string>('runbookSources').count();
}

/** Group keys read per step while building the triage lines, so the upgrade never holds every page at once. */
const UPGRADE_GROUPS_PER_STEP = 500;

/**
 * v5 → v6: builds one triage line per group (or lone page) from the stored pages, a few hundred
 * groups at a time, by the groupKey index.
 */
export async function upgradeToV6(tx: Transaction): Promise<unknown> {
  const pages = tx.table<Page, string>('pages');
  const lines = tx.table<TriageLine, string>('triage');
  const groupKeys = (await pages.orderBy('groupKey').uniqueKeys()) as string[];
  for (let i = 0; i < groupKeys.length; i += UPGRADE_GROUPS_PER_STEP) {
    const step = groupKeys.slice(i, i + UPGRADE_GROUPS_PER_STEP);
    const found = await pages.where('groupKey').anyOf(step).toArray();
    const byKey = new Map<string, Page[]>();
    for (const page of found) {
      const key = lineKey(page);
      const list = byKey.get(key);
      if (list) list.push(page);
      else byKey.set(key, [page]);
    }
    await lines.bulkPut([...byKey].map(([key, list]) => buildLine(key, list)!));
  }
  return groupKeys.length;
}
