import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MainServices } from '../../src/main/services';
import { testDataDir } from '../helpers/main-harness';
import { startAlertmanager } from './peers/alertmanager';
import { startApp } from './app-host';
import type { startRenderer } from './renderer-host';

const ARTIFACTS = path.resolve(process.cwd(), 'test-results');

/** Tray states, awaitable: the only OS adapter the test looks at. */
function trayRecorder() {
  let last = { unacknowledged: 0, firing: 0 };
  const waiters = new Set<() => void>();
  return {
    setAttention(s: { unacknowledged: number; firing: number }) {
      last = s;
      waiters.forEach((w) => w());
    },
    until(pred: (s: { unacknowledged: number; firing: number }) => boolean, what: string): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`tray never reached ${what}; last ${JSON.stringify(last)}`)), 30_000);
        const check = () => {
          if (!pred(last)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
  };
}

describe('triage view in Chromium, fed by real Alertmanager', () => {
  let services: MainServices;
  let am: Awaited<ReturnType<typeof startAlertmanager>>;
  let ui: Awaited<ReturnType<typeof startRenderer>>;
  let dataDir: string;
  const tray = trayRecorder();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = testDataDir();
    ({ services, ui } = await startApp({ dataDir, tray }));
    const settings = services.settings.view();
    am = await startAlertmanager({ url: settings.listener.url, token: settings.listener.token });
  });

  afterAll(async () => {
    await ui?.stop();
    await am?.stop();
    await services?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const groupRow = (title: string) => ui.page.locator('.group-row', { hasText: title });

  it('before any delivery the view says how to connect a source, not "quiet shift"', async () => {
    await ui.page.getByText('No source has delivered a page yet').waitFor();
    await expect(ui.page.getByText('No pages. Quiet shift so far.').count()).resolves.toBe(0);
  });

  it('at 1024×640 every group is one line with Acknowledge in view; `a` acknowledges the focused group', async () => {
    const { page } = ui;
    await page.setViewportSize({ width: 1024, height: 640 });
    const startsAt = new Date(Date.now() - 4 * 60_000).toISOString();
    const pods = Array.from({ length: 6 }, (_, i) => ({
      labels: { alertname: 'KubePodCrashLooping', namespace: 'payments', pod: `payments-api-${i}`, severity: 'warning' },
      annotations: { summary: `Pod payments/payments-api-${i} is crash looping`, description: 'Back-off restarting failed container', runbook_url: 'https://runbooks.example.dev/kubepodcrashlooping' },
      startsAt,
      generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=kube_pod_container_status_waiting_reason',
    }));
    // P2, not P1: a P1 starts the alarm overlay (its own feature), which takes the keyboard
    const disk = {
      labels: { alertname: 'DiskAlmostFull', instance: 'db-1:9100', severity: 'error', team: 'storage' },
      annotations: { summary: 'Disk on db-1 is 97% full', description: 'Only 3% left on /var/lib/postgresql', dashboard: 'https://grafana.example.dev/d/disk', runbook_url: 'https://runbooks.example.dev/disk' },
      startsAt,
      generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=disk_used_ratio%3E0.95',
    };
    const latency = { labels: { alertname: 'HighLatency', service: 'checkout', severity: 'warning' }, annotations: { summary: 'p99 above 2 s on checkout' }, startsAt };
    await am.postAlerts([...pods, disk, latency]);

    await groupRow('KubePodCrashLooping').getByText('×6').waitFor({ timeout: 20_000 });
    await groupRow('HighLatency').waitFor();
    await tray.until((s) => s.unacknowledged === 8, 'eight unacknowledged');
    const rows = page.locator('.group-row');
    await expect(rows.count()).resolves.toBe(3);
    await expect(rows.first().textContent()).resolves.toContain('DiskAlmostFull');
    // one line each: no row taller than the 40 px line
    for (const box of await Promise.all((await rows.all()).map((r) => r.boundingBox()))) expect(box!.height).toBeLessThanOrEqual(41);

    const ack = rows.first().getByRole('button', { name: 'Acknowledge' });
    const box = (await ack.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    expect(box.y + box.height).toBeLessThanOrEqual(640);
    // nothing scrolls sideways
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(1024);
    await page.screenshot({ path: path.join(ARTIFACTS, 'triage-list-1024.png') });

    // focus the crash-looping group with the keyboard, and acknowledge it with `a`
    await rows.first().focus();
    await page.keyboard.press('j');
    await expect(rows.nth(1).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    const crash = groupRow('KubePodCrashLooping');
    await crash.focus();
    await expect(crash.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    // main applies an acknowledgement in milliseconds, so the optimistic "pending" state may be on screen
    // for only a frame or two: a MutationObserver records that it was shown at all
    await page.evaluate(`(() => {
      window.__sawPending = false;
      const row = document.querySelector('.group-row[data-group-key*="KubePodCrashLooping"]');
      const look = () => { if (row && row.querySelector('.row-status.optimistic em')) window.__sawPending = true; };
      new MutationObserver(look).observe(row, { subtree: true, childList: true, characterData: true, attributes: true });
    })()`);
    await page.keyboard.press('a');
    await page.waitForFunction('window.__sawPending === true');
    await crash.getByRole('button', { name: 'Undo' }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'triage-pending-1024.png') });
    // after the 10 s Undo window main applies it, and the change comes back through a delivery
    await tray.until((s) => s.unacknowledged === 2, 'the six crash-looping pages acknowledged');
    await crash.getByText(/^Acknowledged \d\d:\d\d( [AP]M)?$/).waitFor();
    await expect(crash.getByText('pending').count()).resolves.toBe(0);
    await expect(crash.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    const stored = await page.evaluate(async () => {
      const open = indexedDB.open('on-call-companion');
      const db = await new Promise<IDBDatabase>((r) => (open.onsuccess = () => r(open.result)));
      const all = await new Promise<Array<{ title: string; status: string }>>((r) => {
        const req = db.transaction('pages').objectStore('pages').getAll();
        req.onsuccess = () => r(req.result);
      });
      db.close();
      return all.filter((p) => p.title === 'KubePodCrashLooping').map((p) => p.status);
    });
    expect(stored).toEqual(Array(6).fill('acknowledged'));
  });

  it('Enter opens the detail pane beside the list; the group expands with shared labels once', async () => {
    const { page } = ui;
    const disk = groupRow('DiskAlmostFull');
    await disk.focus();
    await page.keyboard.press('Enter');
    const pane = page.getByRole('complementary', { name: 'Details' });
    await pane.getByRole('region', { name: 'Description' }).getByText('Only 3% left on /var/lib/postgresql').waitFor();
    await pane.getByRole('link', { name: 'Dashboard' }).waitFor();
    const paneBox = (await pane.boundingBox())!;
    const listBox = (await page.getByRole('list', { name: 'Pages, most urgent first' }).boundingBox())!;
    expect(paneBox.x).toBeGreaterThanOrEqual(listBox.x + listBox.width);
    expect(paneBox.x + paneBox.width).toBeLessThanOrEqual(1024);
    const ackBox = (await disk.getByRole('button', { name: 'Acknowledge' }).boundingBox())!;
    expect(ackBox.x + ackBox.width).toBeLessThanOrEqual(paneBox.x);
    await page.screenshot({ path: path.join(ARTIFACTS, 'triage-detail-1024.png') });

    await page.keyboard.press('Escape');
    await expect(pane.count()).resolves.toBe(0);
    const crash = groupRow('KubePodCrashLooping');
    await crash.focus();
    await page.keyboard.press('ArrowRight');
    await page.locator('.shared-row').getByText('namespace=payments').waitFor();
    await expect(page.locator('.alert-row').count()).resolves.toBe(6);
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await pane.getByText(/^Pod payments\/payments-api-\d is crash looping$/).first().waitFor();
    await page.setViewportSize({ width: 1280, height: 760 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'triage-detail-1280.png') });
    await page.keyboard.press('Escape');
    await page.screenshot({ path: path.join(ARTIFACTS, 'triage-list-1280.png') });
    expect(ui.consoleErrors).toEqual([]);
  });

  it('a deep link opens the group with its details', async () => {
    const { page } = ui;
    const row = groupRow('HighLatency');
    const groupKey = await row.getAttribute('data-group-key');
    // as after "Open" on the alert while another view was showing: the list is not even mounted
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    await page.evaluate((key) => (window.location.hash = `#/pages/${encodeURIComponent(key!)}`), groupKey);
    await page.getByRole('complementary', { name: 'Details' }).getByText('p99 above 2 s on checkout').first().waitFor();
    // the group's row has keyboard focus, so `a` acknowledges it with no click first
    await expect.poll(() => row.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('a');
    await row.getByRole('button', { name: 'Undo' }).waitFor();
  });
});
