import type { PageEvent } from '../../core/page';
import type { OnCallDb } from './database';

/**
 * Timeline entries of up to CHUNK_PAGES pages written by one stored batch, as one row found by each of
 * its page ids (a multiEntry index). Chromium's IndexedDB costs about 50 µs per request whatever its
 * size, so a storm of 10,000 new pages writes 157 rows here instead of 20,000 ("received", "notified").
 */
export interface TimelineChunk {
  seq?: number;
  pageIds: string[];
  entries: PageEvent[];
}

/** A page's timeline entry as read back; `key` is unique within the database, for lists. */
export interface TimelineEntry extends PageEvent {
  key: string;
}

/** Pages per stored row: small enough that reading one page's timeline deserializes little else. */
export const CHUNK_PAGES = 64;

/** Groups a batch's events into rows of at most CHUNK_PAGES pages, keeping each page's entries in order. */
export function chunkEvents(events: readonly PageEvent[], pagesPerChunk = CHUNK_PAGES): TimelineChunk[] {
  const byPage = new Map<string, PageEvent[]>();
  for (const e of events) {
    const list = byPage.get(e.pageId);
    if (list) list.push(e);
    else byPage.set(e.pageId, [e]);
  }
  const chunks: TimelineChunk[] = [];
  let current: TimelineChunk | null = null;
  for (const [pageId, list] of byPage) {
    if (current === null || current.pageIds.length >= pagesPerChunk) {
      current = { pageIds: [], entries: [] };
      chunks.push(current);
    }
    current.pageIds.push(pageId);
    current.entries.push(...list);
  }
  return chunks;
}

/**
 * The timeline entries of the given pages, oldest first (entries at the same time keep the order
 * they were stored in). Reads only the rows that mention those pages, by the pageIds index.
 */
export async function readTimeline(db: OnCallDb, pageIds: readonly string[]): Promise<TimelineEntry[]> {
  if (pageIds.length === 0) return [];
  const wanted = new Set(pageIds);
  // a row naming two of the pages is found twice: distinct() keeps it once; rows come in seq order
  const rows = await db.timeline.where('pageIds').anyOf([...wanted]).distinct().toArray();
  rows.sort((a, b) => a.seq! - b.seq!);
  const out: TimelineEntry[] = [];
  for (const row of rows) {
    row.entries.forEach((e, i) => {
      if (wanted.has(e.pageId)) out.push({ ...e, key: `${row.seq}.${i}` });
    });
  }
  // Array.prototype.sort is stable: same-time entries stay in stored order
  return out.sort((a, b) => a.at - b.at);
}
