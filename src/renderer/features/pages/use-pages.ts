import { useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../../db/instance';
import { attentionCounts, listPages, pageDetail, pageTimeline, truncatedGroups } from '../../db/pages-repo';

/** Live list of pages for the Pages view. */
export function usePages(includeResolved: boolean) {
  return useLiveQuery(() => listPages(db, includeResolved, Date.now()), [includeResolved]);
}

/** Live count of unacknowledged and open pages. */
export function useAttention() {
  return useLiveQuery(() => attentionCounts(db), []);
}

/** Live timeline of one page. */
export function useTimeline(pageId: string | null) {
  return useLiveQuery(() => (pageId ? pageTimeline(db, pageId) : Promise.resolve([])), [pageId]);
}

/** Live page, timeline and acknowledger for the detail pane; null once the page is gone. */
export function usePageDetail(pageId: string | null) {
  return useLiveQuery(() => (pageId ? pageDetail(db, pageId) : Promise.resolve(null)), [pageId]);
}

/** Groups Alertmanager cut short among the given keys (joined, so the query re-runs only when they change). */
export function useTruncated(groupKeys: string[]) {
  const joined = groupKeys.join('\u0000');
  return useLiveQuery(() => truncatedGroups(db, joined ? joined.split('\u0000') : []), [joined]) ?? new Map<string, number>();
}

/** The current time at each render, with a re-render every `everyMs`, so ages ("4 min") stay true while the window is open. */
export function useNow(everyMs = 30_000): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return Date.now();
}
