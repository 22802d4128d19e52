import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { oneAlertWebhook, postHook, RELAY_SUBSCRIBER_TOKEN, startRelayProcess, tempDir } from '../main/relay/relay-process';
import { startApp } from './app-host';

const BURST = 1_000;

/** One page of the burst: its own group, host and fingerprint. */
const burstBody = (i: number) => oneAlertWebhook(`Burst${i}`, { instance: `web-${i}`, summary: `burst ${i}`, fingerprint: `fp-burst-${i}` });

/** What the window's IndexedDB holds: page ids, and how many "received" timeline entries each page has. */
function stored(page: Page): Promise<{ ids: string[]; received: Record<string, number> }> {
  return page.evaluate(
    () =>
      new Promise<{ ids: string[]; received: Record<string, number> }>((resolve, reject) => {
        const open = indexedDB.open('on-call-companion');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['pages', 'timeline']);
          const keys = tx.objectStore('pages').getAllKeys();
          const chunks = tx.objectStore('timeline').getAll();
          tx.oncomplete = () => {
            open.result.close();
            const received: Record<string, number> = {};
            for (const e of (chunks.result as Array<{ entries: Array<{ pageId: string; kind: string }> }>).flatMap((c) => c.entries)) if (e.kind === 'received') received[e.pageId] = (received[e.pageId] ?? 0) + 1;
            resolve({ ids: keys.result as string[], received });
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

/** The stored page count, or -1 while the page is between documents (a reload). */
const storedCount = (page: Page) => stored(page).then((s) => s.ids.length, () => -1);

async function postRange(base: string, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += 25) {
    const ids = await Promise.all(Array.from({ length: Math.min(25, to - i) }, (_, j) => postHook(base, burstBody(i + j))));
    expect(ids.every((id) => id !== null)).toBe(true);
  }
}

describe('reload the renderer mid-ingest', () => {
  const relayDir = tempDir('occ-relay-reload-');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'occ-relay-reload-app-'));
  afterAll(() => {
    relayDir.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a burst of 1,000 relayed deliveries with the window reloaded twice mid-way: every page stored exactly once', async () => {
    const relay = await startRelayProcess({ dataDir: relayDir.dir });
    writeFileSync(
      path.join(dataDir, 'config.json'),
      JSON.stringify({ listener: { host: '127.0.0.1', port: 0, token: 'relay-reload-listener-token-0123456789' }, relays: [{ id: 'team', name: 'Team relay', mode: 'relay', url: relay.base, channel: 'ops' }] }),
    );
    mkdirSync(path.join(dataDir, 'secrets'));
    writeFileSync(path.join(dataDir, 'secrets', 'relay.team.token'), RELAY_SUBSCRIBER_TOKEN);
    const { services, ui } = await startApp({ dataDir });
    try {
      const { page } = ui;
      await expect.poll(() => services.sources.view().relays[0]?.state, { timeout: 10_000 }).toBe('connected');

      const countsAtReload: number[] = [];
      const reloadOnceAbove = async (n: number) => {
        await expect.poll(() => storedCount(page), { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(n);
        countsAtReload.push(await storedCount(page));
        await page.reload();
      };
      const first = postRange(relay.base, 0, 400);
      await reloadOnceAbove(100);
      await first;
      const second = postRange(relay.base, 400, BURST);
      await reloadOnceAbove(500);
      await second;

      const expected = Array.from({ length: BURST }, (_, i) => `alertmanager:fp-burst-${i}`).sort();
      await expect.poll(async () => (await stored(page)).ids.length, { timeout: 60_000, interval: 100 }).toBe(BURST);
      const end = await stored(page);
      expect([...end.ids].sort()).toEqual(expected);
      // exactly once: one "received" entry per page on its timeline, none for pages that do not exist
      expect(Object.keys(end.received).sort()).toEqual(expected);
      expect(Object.values(end.received).filter((n) => n !== 1)).toEqual([]);
      // both reloads really came mid-ingest
      expect(countsAtReload).toHaveLength(2);
      for (const n of countsAtReload) expect(n).toBeLessThan(BURST);
      // main's outbox is drained: the window confirmed everything it stored
      await expect.poll(() => services.outbox.size(), { timeout: 10_000 }).toBe(0);
      expect(ui.consoleErrors).toEqual([]);
    } finally {
      await ui.stop().catch(() => undefined);
      await services.stop();
      await relay.kill();
    }
  }, 120_000);
});
