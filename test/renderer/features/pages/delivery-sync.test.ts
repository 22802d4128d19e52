import { describe, expect, it, vi } from 'vitest';
import { normalizeAlertmanagerWebhook } from '../../../../src/core/alertmanager';
import type { Delivery, SettingsView } from '../../../../src/core/ipc-contract';
import { storeDelivery } from '../../../../src/renderer/db/pages-repo';
import { OnCallDb } from '../../../../src/renderer/db/database';
import { pageTimeline } from '../../../../src/renderer/db/pages-repo';
import { PULL_GAP_MS, startDeliverySync } from '../../../../src/renderer/features/pages/delivery-sync';
import { capture, delivery, signal } from '../../../helpers/fixtures';
import { fakeApi } from '../../../helpers/fake-api';

let n = 0;
const firing = (id = 'd1'): Delivery => delivery({ id, receivedAt: 1_000, signals: normalizeAlertmanagerWebhook(capture('webhook-firing.json')) });
const settings = (needsSeed: boolean) => ({ needsSeed }) as SettingsView;

describe('delivery sync', () => {
  it('stores what main delivers and confirms it', async () => {
    const db = new OnCallDb(`sync-${++n}`);
    const fake = fakeApi(settings(false));
    const errors: Error[] = [];
    const stop = startDeliverySync({ api: fake.bridge, db, now: () => 2_000, onError: (e) => errors.push(e) });
    const confirmed = fake.nextConfirm();
    fake.deliver(firing());
    await confirmed;
    expect(fake.outbox.size).toBe(0);
    expect(await db.pages.count()).toBe(1);
    expect(errors).toEqual([]);
    stop();
  });

  it('a reload between store and confirm stores the page once, not zero or two times', async () => {
    const name = `sync-${++n}`;
    const fake = fakeApi(settings(false));
    fake.outbox.set('d1', firing('d1'));
    fake.failNextConfirm();
    const errors: Error[] = [];
    // first renderer life: stores, then dies before its confirm lands
    const failed = new Promise<void>((resolve) => {
      const stop = startDeliverySync({ api: fake.bridge, db: new OnCallDb(name), now: () => 2_000, onError: (e) => {
          errors.push(e);
          stop();
          resolve();
        },
      });
    });
    await failed;
    expect(fake.outbox.size).toBe(1);
    // second life after the reload: main re-delivers the same delivery
    const db = new OnCallDb(name);
    const confirmed = fake.nextConfirm();
    const stop = startDeliverySync({ api: fake.bridge, db, now: () => 3_000, onError: (e) => errors.push(e) });
    await confirmed;
    expect(fake.outbox.size).toBe(0);
    expect(await db.pages.count()).toBe(1);
    expect((await pageTimeline(db, 'alertmanager:cdfe032e9f2869d1')).filter((e) => e.kind === 'received')).toHaveLength(1);
    expect(errors.map((e) => e.message)).toEqual(['renderer went away before confirming']);
    stop();
  });

  it('after a failed confirmation the window tries again by itself, though main announces nothing more', async () => {
    const db = new OnCallDb(`sync-${++n}`);
    const fake = fakeApi(settings(false));
    fake.failNextConfirm();
    const errors: string[] = [];
    const stop = startDeliverySync({ api: fake.bridge, db, now: () => 1, onError: (e) => errors.push(e.message), retryMs: 20 });
    // one announcement only, as main sends until the next pull
    fake.deliver(firing('d1'));
    await vi.waitFor(() => expect(fake.outbox.size).toBe(0));
    expect(errors).toEqual(['renderer went away before confirming']);
    expect(await db.pages.count()).toBe(1);
    expect(fake.confirmed).toEqual([['d1']]);
    stop();
  });

  it('drains a backlog larger than one pull, confirming each batch exactly as pulled', async () => {
    const db = new OnCallDb(`sync-${++n}`);
    const fake = fakeApi(settings(false));
    fake.setBatch(50);
    for (let i = 0; i < 420; i++) fake.outbox.set(`d${i}`, delivery({ id: `d${i}`, signals: [signal({ id: `p${i}` })] }));
    const stop = startDeliverySync({ api: fake.bridge, db, now: () => 1, onError: () => undefined });
    await vi.waitFor(() => expect(fake.outbox.size).toBe(0), { timeout: 15_000 });
    expect(fake.confirmed.map((ids) => ids.length)).toEqual([50, 50, 50, 50, 50, 50, 50, 50, 20]);
    expect(await db.pages.count()).toBe(420);
    stop();
  });

  it('pulls the next batch while storing one, and stores it before the first confirmation has landed', async () => {
    const db = new OnCallDb(`sync-${++n}`);
    const fake = fakeApi(settings(false));
    fake.setBatch(10);
    // 30 signals a delivery: a pull of 10 is a big batch (300 signals), so main has a backlog
    for (let i = 0; i < 30; i++) fake.outbox.set(`d${i}`, delivery({ id: `d${i}`, signals: Array.from({ length: 30 }, (_, k) => signal({ id: `p${i}-${k}` })) }));
    const log: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const bridge = {
      ...fake.bridge,
      pullDeliveries: async (req: { after: string | null }) => {
        log.push(`pull after ${req.after}`);
        return fake.bridge.pullDeliveries(req);
      },
      // main is slow to confirm: the window must not wait for it before storing the next batch
      confirmDeliveries: async (req: { ids: string[] }) => {
        log.push(`confirm ${req.ids[0]}…${req.ids.at(-1)}`);
        await held;
        return fake.bridge.confirmDeliveries(req);
      },
    };
    const stop = startDeliverySync({ api: bridge, db, now: () => 1, onError: () => undefined });
    await vi.waitFor(async () => expect(await db.pages.count()).toBe(900), { timeout: 10_000 });
    // all 900 stored while no confirmation had landed; each pull named the last delivery of the batch before
    expect(fake.confirmed).toEqual([]);
    expect(log.slice(0, 3)).toEqual(['pull after null', 'pull after d9', 'confirm d0…d9']);
    expect(log).toContain('pull after d19');
    expect(log).toContain('pull after d29');
    release();
    await vi.waitFor(() => expect(fake.outbox.size).toBe(0));
    expect(fake.confirmed.map((ids) => ids.length)).toEqual([10, 10, 10]);
    stop();
  });

  it('after a small batch the next pull waits until it is stored, so what came meanwhile arrives as one batch', async () => {
    const db = new OnCallDb(`sync-${++n}`);
    const fake = fakeApi(settings(false));
    const log: string[] = [];
    const bridge = {
      ...fake.bridge,
      pullDeliveries: async (req: { after: string | null }) => {
        const got = await fake.bridge.pullDeliveries(req);
        log.push(`pull after ${req.after}: ${got.map((d) => d.id).join(',')}`);
        // a replay streaming in: three more arrive while the first one is being stored
        if (got.some((d) => d.id === 'r0')) for (const id of ['r1', 'r2', 'r3']) fake.deliver(delivery({ id, signals: [signal({ id: `p-${id}` })] }));
        return got;
      },
      confirmDeliveries: async (req: { ids: string[] }) => {
        log.push(`confirm ${req.ids.join(',')}`);
        return fake.bridge.confirmDeliveries(req);
      },
    };
    const stop = startDeliverySync({ api: bridge, db, now: () => 1, onError: () => undefined });
    fake.deliver(delivery({ id: 'r0', signals: [signal({ id: 'p-r0' })] }));
    await vi.waitFor(() => expect(fake.outbox.size).toBe(0));
    expect(log.filter((l) => !l.endsWith(': '))).toEqual(['pull after null: r0', 'confirm r0', 'pull after r0: r1,r2,r3', 'confirm r1,r2,r3']);
    stop();
  });

  it('under a trickle of pages the window pulls at most every PULL_GAP_MS, taking what came meanwhile together', async () => {
    const db = new OnCallDb(`sync-${++n}`);
    const fake = fakeApi(settings(false));
    const pulls: Array<{ at: number; got: number }> = [];
    const bridge = {
      ...fake.bridge,
      pullDeliveries: async (req: { after: string | null }) => {
        const at = performance.now();
        const got = await fake.bridge.pullDeliveries(req);
        pulls.push({ at, got: got.length });
        return got;
      },
    };
    const stop = startDeliverySync({ api: bridge, db, now: () => 1, onError: () => undefined });
    // 60 pages, one every 5 ms: main announces each (the fake does not announce only once)
    const sent = 60;
    await new Promise<void>((resolve) => {
      let i = 0;
      const timer = setInterval(() => {
        fake.deliver(delivery({ id: `t${i}`, signals: [signal({ id: `p-t${i}` })] }));
        if (++i === sent) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    await vi.waitFor(async () => expect(await db.pages.count()).toBe(sent), { timeout: 10_000 });
    await vi.waitFor(() => expect(fake.outbox.size).toBe(0));
    // the 60 pages came in a few pulls, never two within the gap (timers may fire a millisecond early)
    const gaps = pulls.slice(1).map((p, i) => p.at - pulls[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(PULL_GAP_MS - 2);
    expect(pulls.filter((p) => p.got > 0).length).toBeLessThan(sent / 4);
    expect(fake.confirmed.flat().sort()).toEqual(Array.from({ length: sent }, (_, i) => `t${i}`).sort());
    stop();
  });

  it('a page main announces while the last confirmation is on its way is still stored', async () => {
    const db = new OnCallDb(`sync-${++n}`);
    const fake = fakeApi(settings(false));
    let release: () => void = () => undefined;
    let confirming: () => void = () => undefined;
    const inConfirm = new Promise<void>((r) => (confirming = r));
    const held = new Promise<void>((r) => (release = r));
    const bridge = {
      ...fake.bridge,
      confirmDeliveries: async (req: { ids: string[] }) => {
        if (req.ids.includes('d1')) {
          confirming();
          await held;
        }
        return fake.bridge.confirmDeliveries(req);
      },
    };
    const stop = startDeliverySync({ api: bridge, db, now: () => 1, onError: () => undefined });
    fake.deliver(delivery({ id: 'd1', signals: [signal({ id: 'p1' })] }));
    await inConfirm;
    fake.deliver(delivery({ id: 'd2', signals: [signal({ id: 'p2' })] }));
    release();
    await vi.waitFor(async () => expect((await db.pages.toArray()).map((p) => p.id).sort()).toEqual(['p1', 'p2']));
    await vi.waitFor(() => expect(fake.outbox.size).toBe(0));
    stop();
  });

  it('seeds main once from the stored open pages when main asks for it', async () => {
    const db = new OnCallDb(`sync-${++n}`);
    await storeDelivery(db, delivery({ id: 'old', receivedAt: Date.now(), signals: [signal({ id: 'a' }), signal({ id: 'b', status: 'resolved', endsAt: 2 })] }), Date.now());
    const fake = fakeApi(settings(true));
    const stop = startDeliverySync({ api: fake.bridge, db, now: () => Date.now(), onError: () => undefined });
    await vi.waitFor(() => expect(fake.seeded).toHaveLength(1));
    expect(fake.seeded[0]!.done).toBe(true);
    expect(fake.seeded[0]!.pages.map((p) => p.id).sort()).toEqual(['a', 'b']);
    stop();
    const again = fakeApi(settings(false));
    startDeliverySync({ api: again.bridge, db, now: () => Date.now(), onError: () => undefined })();
    expect(again.seeded).toEqual([]);
  });
});
