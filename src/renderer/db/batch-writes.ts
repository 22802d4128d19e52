import Dexie, { type Table } from 'dexie';
import { applySignal, type Page, type PageEvent } from '../../core/page';
import { applyCommand } from '../../core/pager/live-state';
import type { Delivery } from '../../core/ipc-contract';
import type { OnCallDb, StoredGroup } from './database';

// The parts of storing a batch from main that do not touch the triage lines: applying it to the
// pages, adding rows believed new, group facts, and writing in slices.

/**
 * Keeps a row only for groups Alertmanager cut short (the only fact the view reads), and drops the
 * row of a group that is whole again. A replay of 10,000 one-alert groups used to write 10,000 rows
 * saying "nothing left out"; now it reads the few cut-short keys in one request and writes none.
 */
export async function storeGroupFacts(db: OnCallDb, groups: readonly StoredGroup[]): Promise<void> {
  const cut = groups.filter((g) => g.truncatedAlerts > 0);
  if (cut.length > 0) await db.groups.bulkPut(cut);
  const whole = groups.filter((g) => g.truncatedAlerts === 0);
  if (whole.length === 0) return;
  const stored = new Set((await db.groups.where('truncatedAlerts').above(0).primaryKeys()) as string[]);
  const gone = whole.filter((g) => stored.has(g.groupKey)).map((g) => g.groupKey);
  if (gone.length > 0) await db.groups.bulkDelete(gone);
}

/** What a batch does to the pages: each changed page as it ends up, the timeline entries and group facts. */
export interface AppliedBatch {
  current: Map<string, Page>;
  dirty: Set<string>;
  events: PageEvent[];
  groups: Map<string, StoredGroup>;
}

/**
 * Applies deliveries, in order, to the pages as stored (`stored`, unchanged): signals through the
 * same transition main used, then the commands main applied, then timeline-only events and group facts.
 */
export function applyBatch(deliveries: readonly Delivery[], stored: ReadonlyMap<string, Page>): AppliedBatch {
  const current = new Map(stored);
  const dirty = new Set<string>();
  const events: PageEvent[] = [];
  const groups = new Map<string, StoredGroup>();
  const mark = (id: string, page: Page) => {
    current.set(id, page);
    dirty.add(id);
  };
  for (const delivery of deliveries) {
    const at = delivery.receivedAt;
    for (const signal of delivery.signals) {
      const before = current.get(signal.id);
      const result = applySignal(before, signal, at);
      if (!result.changed) continue;
      mark(signal.id, result.page);
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
        mark(id, result.page);
        events.push(...result.events.map((e) => ({ ...e, detail: command.by })));
      }
    }
    events.push(...delivery.events);
    for (const g of delivery.groups) groups.set(g.groupKey, { groupKey: g.groupKey, truncatedAlerts: g.truncatedAlerts, updatedAt: at });
  }
  return { current, dirty, events, groups };
}

/**
 * Adds rows believed new (inside the caller's transaction) and returns the keys of those that existed
 * after all. IndexedDB refuses an add over an existing key; Dexie reports it as a BulkError and, since
 * it is caught here, the transaction goes on.
 */
export async function addNew<T>(table: Table<T, string>, rows: readonly T[], keyOf: (row: T) => string): Promise<string[]> {
  // a Dexie promise chain rather than an async function: on Chromium's IndexedDB an async wrapper
  // here let the transaction commit early (PrematureCommitError)
  const existed = await inSlices(rows, (slice) =>
    table.bulkAdd(slice).then(
      () => [] as string[],
      (err: unknown) => {
        if (!(err instanceof Dexie.BulkError)) throw err;
        const failures = Object.entries(err.failuresByPos);
        // anything but "that key exists" is a real failure: the transaction must not commit
        if (failures.some(([, e]) => e.name !== 'ConstraintError')) throw err;
        return failures.map(([pos]) => keyOf(slice[Number(pos)]!));
      },
    ),
  );
  return existed.flat();
}

/** Rows per IndexedDB call inside a batch: each call's serialization is one task, so a storm never blocks a frame for long. */
const SLICE = 400;

/**
 * Runs `fn` over consecutive slices, two in flight: the next slice is serialized while IndexedDB
 * writes the one before (the transaction stays open across the awaits). Results keep their order.
 */
export async function inSlices<T, R>(items: readonly T[], fn: (slice: T[]) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  const flying: Promise<R>[] = [];
  for (let i = 0; i < items.length; i += SLICE) {
    const next = fn(items.slice(i, i + SLICE));
    // if an earlier slice fails, this one's failure (the same aborted transaction) is not reported twice
    next.catch(() => undefined);
    flying.push(next);
    if (flying.length >= 2) out.push(await flying.shift()!);
  }
  while (flying.length > 0) out.push(await flying.shift()!);
  return out;
}
