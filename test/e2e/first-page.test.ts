import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import nodeNotifier from 'node-notifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeNotifier } from '../../src/main/services/notifier';
import type { MainServices } from '../../src/main/services';
import { startAlertmanager } from './peers/alertmanager';
import { startDesktopSession } from './peers/desktop-session';
import { startApp } from './app-host';
import type { startRenderer } from './renderer-host';
import { testDataDir } from '../helpers/main-harness';

const ARTIFACTS = path.resolve(process.cwd(), 'test-results');

/** Tray states, awaitable: the e2e replaces only the OS tray, which needs Electron. */
function trayRecorder() {
  const states: Array<{ unacknowledged: number; firing: number }> = [];
  const waiters = new Set<() => void>();
  return {
    states,
    setAttention(s: { unacknowledged: number; firing: number }) {
      states.push(s);
      waiters.forEach((w) => w());
    },
    until(pred: (s: { unacknowledged: number; firing: number }) => boolean, what: string): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const last = states.at(-1);
          if (last && pred(last)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          }
        };
        const timer = setTimeout(() => reject(new Error(`tray never reached ${what}; states: ${JSON.stringify(states)}`)), 30_000);
        waiters.add(check);
        check();
      });
    },
  };
}

describe('first page, end to end', () => {
  let desktop: Awaited<ReturnType<typeof startDesktopSession>>;
  let services: MainServices;
  let am: Awaited<ReturnType<typeof startAlertmanager>>;
  let ui: Awaited<ReturnType<typeof startRenderer>>;
  let dataDir: string;
  const tray = trayRecorder();
  const notifierErrors: Error[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    desktop = await startDesktopSession();
    // node-notifier runs notify-send, which finds the bus through the environment
    process.env['DBUS_SESSION_BUS_ADDRESS'] = desktop.env.DBUS_SESSION_BUS_ADDRESS;
    dataDir = testDataDir();
    ({ services, ui } = await startApp({
      dataDir,
      notifier: createNodeNotifier({ backend: nodeNotifier, appName: 'On-Call Companion', onError: (e) => notifierErrors.push(e) }),
      tray,
    }));
    const settings = services.settings.view();
    am = await startAlertmanager({ url: settings.listener.url, token: settings.listener.token });
  });

  afterAll(async () => {
    await ui?.stop();
    await am?.stop();
    await services?.stop();
    await desktop?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const alert = {
    labels: { alertname: 'DiskAlmostFull', instance: 'db-1:9100', severity: 'critical' },
    annotations: { summary: 'Disk on db-1 is 97% full', runbook_url: 'https://runbooks.example.com/disk-full' },
    generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=disk_used_ratio%3E0.95',
  };
  const row = () => ui.page.locator('.group-row', { hasText: 'DiskAlmostFull' });

  it('Alertmanager → notification on D-Bus → row in Chromium → acknowledge → reload → resolved', async () => {
    const { page } = ui;
    // until a source has delivered, the view says how to connect one instead of "quiet shift"
    await page.getByText('No source has delivered a page yet').waitFor();

    const startsAt = new Date().toISOString();
    await am.postAlerts([{ ...alert, startsAt }]);

    const seen = await desktop.waitForNotification((n) => n.summary.startsWith('DiskAlmostFull'));
    expect(seen).toEqual({ appName: 'On-Call Companion', summary: 'DiskAlmostFull · P1', body: 'Disk on db-1 is 97% full — db-1:9100', urgency: 2 });
    expect(notifierErrors).toEqual([]);

    await row().getByText('Firing').waitFor();
    await expect(row().count()).resolves.toBe(1);
    await expect(row().getByText('P1').count()).resolves.toBe(1);
    await tray.until((s) => s.unacknowledged === 1, 'one unacknowledged');
    await page.screenshot({ path: path.join(ARTIFACTS, 'pages-view-firing.png') });

    // a P1 raises the alert over the window: its big Acknowledge is the two-key path at 3 a.m.
    const alertView = page.getByRole('alertdialog');
    await alertView.waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'p1-alert-in-window.png') });
    await alertView.getByRole('button', { name: 'Acknowledge' }).click();
    await row().getByText(/^Acknowledged/).waitFor();
    await alertView.waitFor({ state: 'detached' });
    await tray.until((s) => s.unacknowledged === 0 && s.firing === 1, 'acknowledged, still firing');

    await page.reload();
    await row().getByText(/^Acknowledged/).waitFor();
    expect(services.outbox.pending()).toEqual([]);

    await page.screenshot({ path: path.join(ARTIFACTS, 'pages-view-acknowledged.png') });

    await am.postAlerts([{ ...alert, startsAt, endsAt: new Date().toISOString() }]);
    await row().getByText('Resolved').waitFor({ timeout: 15_000 });
    await tray.until((s) => s.unacknowledged === 0 && s.firing === 0, 'no open pages');
    await expect(row().count()).resolves.toBe(1);
    // resolving does not ring; the firing page rang exactly once
    expect(desktop.seen.filter((n) => n.summary.startsWith('DiskAlmostFull'))).toHaveLength(1);

    await row().click();
    await page.getByRole('complementary', { name: 'Details' }).getByRole('region', { name: 'Timeline' }).getByText('Resolved').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'pages-view.png') });
    expect(ui.consoleErrors).toEqual([]);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
  });

  it('Settings shows the listener URL and token Alertmanager is using', async () => {
    const { page } = ui;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const view = services.settings.view();
    await expect(page.getByTestId('listener-url').textContent()).resolves.toBe(view.listener.url);
    await expect(page.getByTestId('listener-state').textContent()).resolves.toBe('Listening');
    await page.getByRole('button', { name: 'Show token' }).click();
    await expect(page.getByTestId('listener-token').textContent()).resolves.toBe(view.listener.token);
    await page.screenshot({ path: path.join(ARTIFACTS, 'settings-view.png') });

    // the language choice is kept across a reload
    await page.getByRole('combobox', { name: 'Language' }).selectOption('de');
    await page.getByRole('button', { name: 'Einstellungen', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Alarme', exact: true }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');
    await page.getByRole('button', { name: 'Einstellungen', exact: true }).click();
    await page.getByRole('combobox', { name: 'Sprache' }).selectOption('en');
    await page.getByRole('button', { name: 'Settings', exact: true }).waitFor();
  });
});
