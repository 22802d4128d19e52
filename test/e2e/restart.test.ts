import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RendererEvents } from '../../src/main/adapters';
import { isAppUrl } from '../../src/main/security';
import { startMainServices } from '../../src/main/services';
import { capture, firingWebhook } from '../helpers/fixtures';
import { startRenderer } from './renderer-host';
import { freePort } from './peers/process';
import { testDataDir } from '../helpers/main-harness';

/** One app life: main services plus the renderer in Chromium with a persistent profile. */
async function launch(dataDir: string, profileDir: string, rendererPort: number) {
  let events: RendererEvents | null = null;
  let appUrl = '';
  const services = await startMainServices({
    dataDir,
    notifier: { notify: () => undefined },
    tray: { setAttention: () => undefined },
    events: { emit: (c, p) => events?.emit(c, p) },
    clock: { now: () => Date.now() },
    logger: { info: () => undefined, error: (m) => console.error(m) },
    isTrustedSender: (url) => isAppUrl(url, appUrl),
    openExternal: () => undefined,
  });
  const ui = await startRenderer({ router: () => services.router, onAppUrl: (u) => (appUrl = u), userDataDir: profileDir, port: rendererPort });
  events = ui.events;
  const { url, token } = services.settings.view().listener;
  const post = (body: unknown) =>
    fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return {
    services,
    ui,
    post,
    /** Closes the window only: main keeps receiving, as when the app lives in the tray. */
    closeWindow: () => ui.stop(),
    quit: async () => {
      await ui.stop().catch(() => undefined);
      await services.stop();
    },
  };
}

describe('quit and restart', () => {
  // IndexedDB is per origin: like Electron's stable file:// origin, the renderer keeps its port
  const dataDir = testDataDir();
  const profileDir = mkdtempSync(path.join(tmpdir(), 'occ-restart-profile-'));
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profileDir, { recursive: true, force: true });
  });

  it('keeps acknowledged pages and delivers a page that arrived while the window was closed, once', async () => {
    const rendererPort = await freePort();
    const first = await launch(dataDir, profileDir, rendererPort);
    expect((await first.post(capture('webhook-firing.json'))).status).toBe(200);
    const disk = first.ui.page.locator('.group-row', { hasText: 'DiskAlmostFull' });
    // the P1 alert's Acknowledge acts at once, like the list's (whose Undo then goes through main)
    await first.ui.page.getByRole('alertdialog').getByRole('button', { name: 'Acknowledge' }).click();
    await disk.getByText(/^Acknowledged/).waitFor();
    await expect.poll(() => first.services.pages.state().pages.get('alertmanager:cdfe032e9f2869d1')?.status).toBe('acknowledged');

    await first.closeWindow();
    // a page while no window is there: main must hold it
    expect((await first.post(firingWebhook(1, { prefix: 'WhileClosed' }))).status).toBe(200);
    expect(first.services.outbox.pending()).toHaveLength(1);
    await first.quit();

    const second = await launch(dataDir, profileDir, rendererPort);
    const { page } = second.ui;
    await page.locator('.group-row', { hasText: 'WhileClosed0' }).getByText('Firing').waitFor();
    await page.locator('.group-row', { hasText: 'DiskAlmostFull' }).getByText(/^Acknowledged/).waitFor();
    await expect(page.locator('.group-row').count()).resolves.toBe(2);
    await page.reload();
    await page.locator('.group-row', { hasText: 'WhileClosed0' }).waitFor();
    await expect(page.locator('.group-row').count()).resolves.toBe(2);
    expect(second.services.outbox.pending()).toEqual([]);
    await second.quit();
  });
});
