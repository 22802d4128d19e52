// Bundled for Chromium by test/e2e/pages-repo-idb.test.ts: the window's page store on real IndexedDB,
// which (unlike fake-indexeddb) commits a transaction the moment it has no request in flight.
import Dexie from 'dexie';
import type { Delivery } from '../../../src/core/ipc-contract';
import { OnCallDb } from '../../../src/renderer/db/database';
import { pageTimeline, storeDeliveries } from '../../../src/renderer/db/pages-repo';

/** Stores the batches in a fresh database and returns what a user would see of every page. */
async function storeAll(name: string, batches: Delivery[][]): Promise<unknown> {
  const db = new OnCallDb(name);
  try {
    for (const batch of batches) await storeDeliveries(db, batch, 1);
    const pages = (await db.pages.toArray()).sort((a, b) => a.id.localeCompare(b.id));
    const timelines = await Promise.all(pages.map(async (p) => (await pageTimeline(db, p.id)).map(({ key: _k, ...e }) => e)));
    const lines = await db.triage.orderBy('key').toArray();
    return { pages, timelines, lines };
  } finally {
    db.close();
    await Dexie.delete(name);
  }
}

/** The durability Chromium gives the window's write transactions (IDBTransaction.durability). */
async function writeDurability(name: string): Promise<string> {
  const db = new OnCallDb(name);
  try {
    return await db.transaction('rw', db.pages, () => (Dexie.currentTransaction as unknown as { idbtrans: IDBTransaction }).idbtrans.durability);
  } finally {
    db.close();
    await Dexie.delete(name);
  }
}

(window as unknown as { storeAll: typeof storeAll }).storeAll = storeAll;
(window as unknown as { writeDurability: typeof writeDurability }).writeDurability = writeDurability;
