import { useEffect, useSyncExternalStore } from 'react';
import type { OnCallDb } from '../../db/database';
import { mostUrgentLines, onLinesChanged, openLinesAfter, RECENT_RESOLVED_MS, RESOLVED_SHOWN_MAX, resolvedLines } from '../../db/pages-repo';
import type { TriageLine } from './triage-line';

/** Lines read for the first screen: more than fit on the tallest window. */
export const FIRST_SCREEN = 60;
/** Lines read per step afterwards: small enough that reading one is not a long task. */
const CHUNK = 400;
/** While the rest loads, the list is re-derived at most this often (each time costs a sort of every line). */
const PUBLISH_EVERY_MS = 250;

/** What the view reads: the lines held, whether the first screen and everything have been read. */
export interface TriageSnapshot {
  lines: ReadonlyMap<string, TriageLine>;
  /** Bumped on every change, so memos can key on it. */
  version: number;
  ready: boolean;
  complete: boolean;
  /** The last read that failed, for the view to report. */
  error: Error | null;
}

/**
 * An in-memory cache of the slim triage lines, fed only by the repository: the first screen by the
 * urgency index, the rest in chunks, then just the lines each stored batch changed. It is not in
 * zustand because it is data, not UI state; it exists because re-querying every open line on every
 * delivery (what useLiveQuery would do) costs seconds at 100,000 pages.
 */
export class TriageStore {
  private lines = new Map<string, TriageLine>();
  private snapshot: TriageSnapshot = { lines: this.lines, version: 0, ready: false, complete: false, error: null };
  private listeners = new Set<() => void>();
  private generation = 0;
  private includeAllResolved = false;
  private loadedAll = false;
  /** Keys a change notice brought while a load was under way: the load's older copy must not win. */
  private fresher = new Set<string>();
  private offChanges: (() => void) | null = null;

  constructor(
    private readonly db: OnCallDb,
    private readonly now: () => number = Date.now,
  ) {}

  private onError(error: Error): void {
    this.snapshot = { ...this.snapshot, version: this.snapshot.version + 1, error };
    this.listeners.forEach((l) => l());
  }

  /** For useSyncExternalStore: the first subscriber starts a fresh load, the last one stops listening. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  };

  /** The current snapshot (a new object after every change). */
  getSnapshot = (): TriageSnapshot => this.snapshot;

  /** Also holds resolved lines beyond the last shift ("show all resolved"); reads them once asked. */
  showAllResolved(all: boolean): void {
    if (all === this.includeAllResolved) return;
    this.includeAllResolved = all;
    // while the first load runs, it reads them at its end
    if (all && !this.loadedAll && this.snapshot.complete) void this.guard(this.loadAllResolved(this.generation));
  }

  private start(): void {
    this.generation++;
    this.lines = new Map();
    this.fresher.clear();
    this.loadedAll = false;
    this.snapshot = { lines: this.lines, version: this.snapshot.version + 1, ready: false, complete: false, error: null };
    this.offChanges = onLinesChanged((db, changed) => {
      if (db !== this.db) return;
      for (const [key, line] of changed) {
        this.fresher.add(key);
        if (line) this.lines.set(key, line);
        else this.lines.delete(key);
      }
      this.publish(this.snapshot.ready, this.snapshot.complete);
    });
    void this.guard(this.load(this.generation));
  }

  private stop(): void {
    this.generation++;
    this.offChanges?.();
    this.offChanges = null;
  }

  private async guard(work: Promise<void>): Promise<void> {
    try {
      await work;
    } catch (err) {
      this.onError(err as Error);
    }
  }

  private publish(ready: boolean, complete: boolean): void {
    this.snapshot = { lines: this.lines, version: this.snapshot.version + 1, ready, complete, error: this.snapshot.error };
    this.listeners.forEach((l) => l());
  }

  private take(lines: TriageLine[]): void {
    for (const line of lines) if (!this.fresher.has(line.key)) this.lines.set(line.key, line);
  }

  private async load(gen: number): Promise<void> {
    const since = this.now() - RECENT_RESOLVED_MS;
    const [first, recent] = await Promise.all([mostUrgentLines(this.db, FIRST_SCREEN), resolvedLines(this.db, since, 0, FIRST_SCREEN)]);
    if (gen !== this.generation) return;
    this.take(first);
    this.take(recent);
    this.publish(true, false);
    let last = first.at(-1);
    let more = first.length === FIRST_SCREEN;
    // the first screen paints before the rest is read
    if (more) await afterPaint();
    if (gen !== this.generation) return;
    let publishedAt = performance.now();
    while (more) {
      const chunk = await openLinesAfter(this.db, last ?? null, CHUNK);
      if (gen !== this.generation) return;
      this.take(chunk);
      last = chunk.at(-1);
      more = chunk.length === CHUNK;
      if (performance.now() - publishedAt >= PUBLISH_EVERY_MS) {
        this.publish(true, false);
        publishedAt = performance.now();
      }
    }
    for (let offset = recent.length; recent.length === FIRST_SCREEN; offset += CHUNK) {
      const chunk = await resolvedLines(this.db, since, offset, CHUNK);
      if (gen !== this.generation) return;
      this.take(chunk);
      if (chunk.length < CHUNK) break;
    }
    if (this.includeAllResolved && !this.loadedAll) await this.loadAllResolved(gen);
    if (gen !== this.generation) return;
    this.fresher.clear();
    this.publish(true, true);
  }

  /** Resolved lines, newest resolution first, until RESOLVED_SHOWN_MAX resolved pages are held. */
  private async loadAllResolved(gen: number): Promise<void> {
    let pages = 0;
    for (let offset = 0; pages < RESOLVED_SHOWN_MAX; offset += CHUNK) {
      const chunk = await resolvedLines(this.db, -Infinity, offset, CHUNK);
      if (gen !== this.generation) return;
      for (const line of chunk) {
        if (pages >= RESOLVED_SHOWN_MAX) break;
        pages += line.resolved;
        if (!this.fresher.has(line.key)) this.lines.set(line.key, line);
      }
      this.publish(true, this.snapshot.complete);
      if (chunk.length < CHUNK) break;
    }
    this.loadedAll = true;
  }
}

/** Resolves after the next frame has been painted. */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(resolve, 0));
    else setTimeout(resolve, 0);
  });
}

const stores = new WeakMap<OnCallDb, TriageStore>();

/** The one triage cache of a database. */
export function triageStore(db: OnCallDb): TriageStore {
  let store = stores.get(db);
  if (!store) {
    store = new TriageStore(db);
    stores.set(db, store);
  }
  return store;
}

/** The triage lines of the Pages view, read by index and kept current by change notices. */
export function useTriageLines(db: OnCallDb, includeAllResolved: boolean): TriageSnapshot {
  const store = triageStore(db);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  useEffect(() => store.showAllResolved(includeAllResolved), [store, includeAllResolved]);
  return snapshot;
}
