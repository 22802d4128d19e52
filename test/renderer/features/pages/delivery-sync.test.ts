import { describe, expect, it, vi } from 'vitest';
import { normalizeAlertmanagerWebhook } from '../../../../src/core/alertmanager';
import type { Delivery } from '../../../../src/core/ipc-contract';
import { OnCallDb } from '../../../../src/renderer/db/database';
import { pageTimeline } from '../../../../src/renderer/db/pages-repo';
import { startDeliverySync } from '../../../../src/renderer/features/pages/delivery-sync';
import { capture } from '../../../helpers/fixtures';
import { fakeApi } from '../../../helpers/fake-api';

let n = 0;
const delivery = (id = 'd1'): Delivery => ({ id, receivedAt: 1_000, notifiedAt: 1_001, signals: normalizeAlertmanagerWebhook(capture('webhook-firing.json')) });

describe('delivery sync', () => {
  it('stores what main delivers, confirms it, and tells the tray', async () => {
    const db = new OnCallDb(`sync-${++n}`);
    const fake = fakeApi();
    const errors: Error[] = [];
    const stop = startDeliverySync({ api: fake.api, db, now: () => 2_000, onError: (e) => errors.push(e) });
    const confirmed = fake.nextConfirm();
    fake.deliver(delivery());
    await confirmed;
    expect(fake.outbox.size).toBe(0);
    expect(await db.pages.count()).toBe(1);
    await vi.waitFor(() => expect(fake.tray.at(-1)).toEqual({ unacknowledged: 1, firing: 1 }));
    expect(errors).toEqual([]);
    stop();
  });

  it('a reload between store and confirm stores the page once, not zero or two times', async () => {
    const name = `sync-${++n}`;
    const fake = fakeApi();
    fake.outbox.set('d1', delivery('d1'));
    fake.failNextConfirm();
    const errors: Error[] = [];
    // first renderer life: stores, then dies before its confirm lands
    const failed = new Promise<void>((resolve) => {
      const stop = startDeliverySync({ api: fake.api, db: new OnCallDb(name), now: () => 2_000, onError: (e) => (errors.push(e), stop(), resolve()) });
    });
    await failed;
    expect(fake.outbox.size).toBe(1);
    // second life after the reload: main re-delivers the same delivery
    const db = new OnCallDb(name);
    const confirmed = fake.nextConfirm();
    const stop = startDeliverySync({ api: fake.api, db, now: () => 3_000, onError: (e) => errors.push(e) });
    await confirmed;
    expect(fake.outbox.size).toBe(0);
    expect(await db.pages.count()).toBe(1);
    expect((await pageTimeline(db, 'alertmanager:cdfe032e9f2869d1')).filter((e) => e.kind === 'received')).toHaveLength(1);
    expect(errors.map((e) => e.message)).toEqual(['renderer went away before confirming']);
    stop();
  });

  it('acknowledge-all from the tray acknowledges every firing page', async () => {
    const db = new OnCallDb(`sync-${++n}`);
    const fake = fakeApi();
    const stop = startDeliverySync({ api: fake.api, db, now: () => 5_000, onError: () => undefined });
    const confirmed = fake.nextConfirm();
    fake.deliver(delivery());
    await confirmed;
    fake.emit('pages:acknowledge-all-requested', { at: 5_000 });
    await vi.waitFor(async () => expect((await db.pages.toArray())[0]!.status).toBe('acknowledged'));
    await vi.waitFor(() => expect(fake.tray.at(-1)).toEqual({ unacknowledged: 0, firing: 1 }));
    stop();
  });
});
