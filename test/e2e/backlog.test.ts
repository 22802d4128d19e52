import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { RendererEvents } from '../../src/main/adapters';
import { isAppUrl } from '../../src/main/security';
import { startMainServices, type MainServices } from '../../src/main/services';
import { delivery, signal } from '../helpers/fixtures';
import { testDataDir } from '../helpers/main-harness';
import { startRenderer } from './renderer-host';

/** Main's outbox after a long time with the window closed (or a crashed renderer), drained into Chromium's IndexedDB. */
describe('a backlog of 20,000 deliveries', () => {
  let services: MainServices | null = null;
  let ui: Awaited<ReturnType<typeof startRenderer>> | null = null;
  const dataDir = testDataDir(mkdtempSync(path.join(tmpdir(), 'occ-backlog-')));
  afterAll(async () => {
    await ui?.stop();
    await services?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('drains completely, every page stored once', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) =>
      JSON.stringify({ add: delivery({ id: `d${i}`, receivedAt: 1_000 + i, signals: [signal({ id: `alertmanager:fp${i}`, fingerprint: `fp${i}`, groupKey: `g${i % 50}` })] }) }),
    );
    writeFileSync(path.join(dataDir, 'outbox.jsonl'), `${lines.join('\n')}\n`);
    let appUrl = '';
    let events: RendererEvents | null = null;
    services = await startMainServices({
      dataDir,
      notifier: { notify: () => undefined },
      tray: { setAttention: () => undefined },
      events: { emit: (c, p) => events?.emit(c, p) },
      clock: { now: () => Date.now() },
      logger: { info: () => undefined, error: () => undefined },
      isTrustedSender: (url) => isAppUrl(url, appUrl),
      openExternal: () => undefined,
    });
    expect(services.outbox.size()).toBe(20_000);
    const started = Date.now();
    ui = await startRenderer({ router: () => services!.router, onAppUrl: (url) => (appUrl = url) });
    events = ui.events;
    await vi.waitFor(() => expect(services!.outbox.size()).toBe(0), { timeout: 170_000, interval: 250 });
    const count = await ui.page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('on-call-companion');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const req = open.result.transaction('pages').objectStore('pages').count();
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          };
        }),
    );
    expect(count).toBe(20_000);
    console.log(`20,000 deliveries drained into Chromium's IndexedDB in ${Date.now() - started} ms`);
    expect(ui.consoleErrors).toEqual([]);
  }, 180_000);
});
