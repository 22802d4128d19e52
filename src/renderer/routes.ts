import type { OnCallDb } from './db/database';
import { useAppStore, type View } from './store';
import { useWorkUi } from './features/runbooks/work-state';

const VIEWS: readonly View[] = ['pages', 'now', 'rota', 'settings', 'runbooks', 'incidents'];

/** The deep link for a view, or for one group (or lone page) in the Pages view. */
export function routeFor(view: View, id?: string): string {
  return id === undefined ? `#/${view}` : `#/${view}/${encodeURIComponent(id)}`;
}

/**
 * Opens a deep link such as `#/pages/<group or page>` (from a notification or the tray): the
 * Pages view with that group's row focused and its most urgent page's details open. Unknown
 * routes open nothing.
 */
export async function openRoute(db: OnCallDb, route: string): Promise<void> {
  const match = /^#\/([a-z-]+)(?:\/(.*))?$/.exec(route);
  if (!match || !(VIEWS as readonly string[]).includes(match[1]!)) return;
  const view = match[1] as View;
  const store = useAppStore.getState();
  store.setView(view);
  // a status-update reminder opens its incident; the shift-end reminder opens the handover
  if (view === 'incidents' && match[2] === 'handover') useWorkUi.getState().openHandover(true);
  else if (view === 'incidents' && match[2]) useWorkUi.getState().openIncident(decodeURIComponent(match[2]));
  if (view !== 'pages' || !match[2]) return;
  const id = decodeURIComponent(match[2]);
  const inGroup = await db.pages.where('[groupKey+startsAt]').between([id, -Infinity], [id, Infinity]).toArray();
  const page = inGroup.findLast((p) => p.status === 'firing') ?? inGroup.at(-1) ?? (await db.pages.get(id));
  if (!page) return;
  const groupKey = page.groupKey || page.id;
  // a filter that hides the group would make the link open nothing visible
  store.setFilter('');
  store.selectPage(page.id);
  // with keyboard focus: after "Open" on the alert, `a` must acknowledge without a click first
  store.setFocusedRow(`g:${groupKey}`, true);
}
