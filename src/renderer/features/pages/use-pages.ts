import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../../db/instance';
import { attentionCounts, listPages, pageTimeline } from '../../db/pages-repo';

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
