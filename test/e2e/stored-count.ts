import type { Page } from 'playwright-core';

/** Pages in the window's IndexedDB, or -1 while the page cannot answer (no database or store yet, or a reload). */
export function storedCount(page: Page): Promise<number> {
  return page
    .evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('on-call-companion');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            try {
              const req = open.result.transaction('pages').objectStore('pages').count();
              req.onsuccess = () => {
                open.result.close();
                resolve(req.result);
              };
              req.onerror = () => reject(req.error);
            } catch (err) {
              open.result.close();
              reject(err);
            }
          };
        }),
    )
    .catch(() => -1);
}
