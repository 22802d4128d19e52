import { useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { Page } from '../../../core/page';
import { db } from '../../db/instance';
import { attentionCounts, pageDetail, pagesOfOpenLines, pageTimeline, truncatedGroups } from '../../db/pages-repo';
import { useTriageLines } from './triage-store';

/** The triage lines of the Pages view (slim, kept current by change notices). */
export function useLines(includeAllResolved: boolean) {
  return useTriageLines(db, includeAllResolved);
}

const NO_PAGES = new Map<string, Page[]>();

/** Live pages of the groups open in the list, read by index for those groups only. */
export function useOpenGroupPages(groupKeys: readonly string[]) {
  const joined = [...groupKeys].sort().join('\u0000');
  return useLiveQuery(() => pagesOfOpenLines(db, joined ? joined.split('\u0000') : []), [joined]) ?? NO_PAGES;
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

const NONE_TRUNCATED = new Map<string, number>();

/** Groups Alertmanager cut short, with how many alerts it left out. */
export function useTruncated() {
  return useLiveQuery(() => truncatedGroups(db), []) ?? NONE_TRUNCATED;
}

/**
 * The time of the last tick, re-rendering every `everyMs`, so ages ("4 min") stay true while the
 * window is open. Stable between ticks, so memoized lists do not re-render on every keystroke.
 */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
