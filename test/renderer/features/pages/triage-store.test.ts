import Dexie from 'dexie';
import { describe, expect, it, vi } from 'vitest';
import { OnCallDb } from '../../../../src/renderer/db/database';
import { storeDelivery } from '../../../../src/renderer/db/pages-repo';
import { FIRST_SCREEN, TriageStore } from '../../../../src/renderer/features/pages/triage-store';
import { delivery, signal } from '../../../helpers/fixtures';

let n = 0;
const HOUR = 3600_000;

/** Subscribes like the view does and resolves once every line has been read. */
async function loaded(store: TriageStore) {
  const off = store.subscribe(() => undefined);
  await vi.waitFor(() => expect(store.getSnapshot().complete).toBe(true), { timeout: 10_000 });
  return off;
}

describe('the in-memory triage lines', () => {
  it('a page that arrives while a change from before leaving and re-entering the view is still being read is not lost', async () => {
    const db = new OnCallDb(`store-${++n}`);
    const now = Date.now();
    await storeDelivery(db, delivery({ id: 'd0', signals: [signal({ id: 'p0', groupKey: 'g0', startsAt: now })] }), now);
    const store = new TriageStore(db);
    let off = await loaded(store);
    // the next read of changed lines hangs until released
    const read = db.triage.bulkGet.bind(db.triage);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let hold = true;
    const slowRead = async (keys: string[]) => {
      // only the view's own read, not the store's inside its transaction
      if (hold && Dexie.currentTransaction === null) {
        hold = false;
        await held;
      }
      return read(keys);
    };
    vi.spyOn(db.triage, 'bulkGet').mockImplementation(slowRead as unknown as typeof db.triage.bulkGet);
    await storeDelivery(db, delivery({ id: 'd1', commands: [{ type: 'acknowledge', ids: ['p0'], at: now, by: 'me' }] }), now);
    // the view is left and entered again while that read waits, and a new page arrives
    off();
    off = await loaded(store);
    await storeDelivery(db, delivery({ id: 'd2', signals: [signal({ id: 'p1', groupKey: 'g1', startsAt: now })] }), now);
    release();
    await vi.waitFor(() => expect([...store.getSnapshot().lines.keys()].sort()).toEqual(['g0', 'g1']));
    off();
  });

  it('reads the first screen, then every other open line in chunks, then follows only the lines a batch changed', async () => {
    const db = new OnCallDb(`store-${++n}`);
    const now = Date.now();
    const count = FIRST_SCREEN * 30;
    await storeDelivery(db, delivery({ id: 'many', signals: Array.from({ length: count }, (_, i) => signal({ id: `p${i}`, groupKey: `g${i}`, startsAt: now - i })) }), now);
    const store = new TriageStore(db);
    const seen: boolean[] = [];
    const off = store.subscribe(() => seen.push(store.getSnapshot().ready));
    await vi.waitFor(() => expect(store.getSnapshot().complete).toBe(true), { timeout: 10_000 });
    expect(store.getSnapshot().lines.size).toBe(count);
    // the first screen was shown before the rest had been read
    expect(seen[0]).toBe(true);
    const before = store.getSnapshot().lines;
    const untouched = before.get('g5');
    await storeDelivery(db, delivery({ id: 'ack', commands: [{ type: 'acknowledge', ids: ['p7'], at: now, by: 'me' }] }), now);
    await vi.waitFor(() => expect(store.getSnapshot().lines.get('g7')?.acknowledged).toBe(1));
    // only the changed line was read again
    expect(store.getSnapshot().lines.get('g5')).toBe(untouched);
    off();
    // no one is looking: changes are not followed, and the next look reads afresh
    await storeDelivery(db, delivery({ id: 'ack2', commands: [{ type: 'acknowledge', ids: ['p8'], at: now, by: 'me' }] }), now);
    expect(store.getSnapshot().lines.get('g8')?.acknowledged).toBe(0);
    const again = await loaded(store);
    expect(store.getSnapshot().lines.get('g8')?.acknowledged).toBe(1);
    again();
  });

  it('holds the last shift\'s resolved lines; "show all resolved" reads older ones, newest first, up to the cap', async () => {
    const db = new OnCallDb(`store-${++n}`);
    const now = Date.now();
    await storeDelivery(
      db,
      delivery({
        id: 'mix',
        signals: [
          signal({ id: 'open', groupKey: 'go' }),
          signal({ id: 'recent', groupKey: 'gr', status: 'resolved', endsAt: now - HOUR }),
          signal({ id: 'old', groupKey: 'gx', status: 'resolved', endsAt: now - 30 * HOUR }),
        ],
      }),
      now,
    );
    const store = new TriageStore(db, () => now);
    const off = await loaded(store);
    expect([...store.getSnapshot().lines.keys()].sort()).toEqual(['go', 'gr']);
    store.showAllResolved(true);
    await vi.waitFor(() => expect(store.getSnapshot().lines.has('gx')).toBe(true));
    off();
  });

  it('a line a batch changed while the first load was reading keeps the newer copy', async () => {
    const db = new OnCallDb(`store-${++n}`);
    const now = Date.now();
    const count = FIRST_SCREEN * 10;
    await storeDelivery(db, delivery({ id: 'many', signals: Array.from({ length: count }, (_, i) => signal({ id: `p${i}`, groupKey: `g${i}`, startsAt: now - i })) }), now);
    const store = new TriageStore(db);
    const off = store.subscribe(() => undefined);
    // acknowledged while the rest of the lines are still being read
    await vi.waitFor(() => expect(store.getSnapshot().ready).toBe(true));
    await storeDelivery(db, delivery({ id: 'ack', commands: [{ type: 'acknowledge', ids: [`p${count - 1}`], at: now, by: 'me' }] }), now);
    await vi.waitFor(() => expect(store.getSnapshot().complete).toBe(true), { timeout: 10_000 });
    await vi.waitFor(() => expect(store.getSnapshot().lines.get(`g${count - 1}`)?.acknowledged).toBe(1));
    expect(store.getSnapshot().lines.size).toBe(count);
    off();
  });
});
