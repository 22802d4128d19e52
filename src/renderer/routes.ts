import type { OnCallDb } from './db/database';
import { useAppStore } from './store';

/**
 * Opens a deep link such as `#/pages/<group>` (from a notification or the tray): the Pages view,
 * with the group's most recent page selected. Unknown routes open nothing.
 */
export async function openRoute(db: OnCallDb, route: string): Promise<void> {
  const match = /^#\/(pages|now|rota|settings)(?:\/(.*))?$/.exec(route);
  if (!match) return;
  const view = match[1] as 'pages' | 'now' | 'rota' | 'settings';
  const store = useAppStore.getState();
  store.setView(view);
  if (view !== 'pages' || !match[2]) return;
  const groupKey = decodeURIComponent(match[2]);
  const pages = await db.pages.where('groupKey').equals(groupKey).sortBy('startsAt');
  const newest = pages.at(-1) ?? (await db.pages.get(groupKey));
  if (newest) store.selectPage(newest.id);
}
