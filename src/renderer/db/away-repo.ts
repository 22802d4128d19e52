import type { Page } from '../../core/page';
import type { OnCallDb } from './database';

/**
 * The pages of a "While you were away" digest as this window stored them, in the digest's order
 * (still firing first). A page main counted but the window has not stored yet is left out; it
 * appears once its delivery is in.
 */
export async function awayPages(db: OnCallDb, ids: readonly string[]): Promise<Page[]> {
  if (ids.length === 0) return [];
  const pages = await db.pages.bulkGet([...ids]);
  return pages.filter((p): p is Page => p !== undefined);
}
