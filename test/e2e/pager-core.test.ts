import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import nodeNotifier from 'node-notifier';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventChannel, EventOf, SettingsView } from '../../src/core/ipc-contract';
import type { RendererEvents } from '../../src/main/adapters';
import { isAppUrl } from '../../src/main/security';
import { createNodeNotifier } from '../../src/main/services/notifier';
import { startMainServices, type MainServices } from '../../src/main/services';
import { firingWebhook } from '../helpers/fixtures';
import { startAlertmanager } from './peers/alertmanager';
import { startDesktopSession } from './peers/desktop-session';
import { freePort } from './peers/process';
import { startExporter, startPrometheus } from './peers/prometheus';
import { startRenderer } from './renderer-host';

const ARTIFACTS = path.resolve(process.cwd(), 'test-results');

/** The real chain a user runs: Prometheus rules → Alertmanager → the app's main services → Chromium. */
describe('pager core with real Prometheus and Alertmanager', () => {
  let desktop: Awaited<ReturnType<typeof startDesktopSession>>;
  let services: MainServices;
  let am: Awaited<ReturnType<typeof startAlertmanager>>;
  let prom: Awaited<ReturnType<typeof startPrometheus>>;
  let exporter: Awaited<ReturnType<typeof startExporter>>;
  let ui: Awaited<ReturnType<typeof startRenderer>>;
  let dataDir: string;
  let appUrl = '';
  let rendererEvents: RendererEvents | null = null;
  const warnings: string[][] = [];
  const settingsSeen: SettingsView[] = [];
  const waiters = new Set<() => void>();

  /** Resolves once main has announced settings matching `pred` (it emits on every delivery and refusal). */
  const settingsWhere = (pred: (s: SettingsView) => boolean, what: string, timeoutMs = 20_000) =>
    new Promise<SettingsView>((resolve, reject) => {
      const check = () => {
        const hit = settingsSeen.find(pred);
        if (!hit) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`main never announced ${what}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  async function boot(): Promise<void> {
    settingsSeen.length = 0;
    services = await startMainServices({
      dataDir,
      notifier: createNodeNotifier({ backend: nodeNotifier, appName: 'On-Call Companion', onError: (e) => console.error(e) }),
      tray: { setAttention: () => undefined, setWarnings: (lines) => warnings.push(lines) },
      events: {
        emit<C extends EventChannel>(c: C, p: EventOf<C>) {
          if (c === 'settings:changed') {
            settingsSeen.push(p as SettingsView);
            waiters.forEach((w) => w());
          }
          rendererEvents?.emit(c, p);
        },
      },
      clock: { now: () => Date.now() },
      logger: { info: () => undefined, error: () => undefined },
      isTrustedSender: (url) => isAppUrl(url, appUrl),
      openExternal: () => undefined,
    });
  }

  async function restart(): Promise<number> {
    await services.stop();
    const at = Date.now();
    await boot();
    return at;
  }

  /** Waits for Alertmanager's next webhook to be accepted after `since` (it re-sends every few seconds). */
  const deliveredAfter = (since: number) => settingsWhere((s) => (s.routes[0]?.lastDeliveredAt ?? 0) > since, `a delivery after ${since}`);

  /** Sends a test page and waits for its Notify: D-Bus order makes it a sentinel for anything rung before. */
  async function sentinel(): Promise<void> {
    const before = desktop.seen.filter((n) => n.summary.startsWith('OnCallCompanionTestPage')).length;
    await services.handlers['settings:send-test-page'](undefined);
    await vi.waitFor(() => expect(desktop.seen.filter((n) => n.summary.startsWith('OnCallCompanionTestPage')).length).toBe(before + 1), { timeout: 10_000 });
  }

  const countStored = () =>
    ui.page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('on-call-companion');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const req = db.transaction('pages').objectStore('pages').count();
            req.onsuccess = () => {
              resolve(req.result);
              db.close();
            };
            req.onerror = () => reject(req.error);
          };
        }),
    );

  const crashing = (n: number) => Array.from({ length: n }, (_, i) => `payments-api-7d9f8b6c5d-${String(i).padStart(5, '0')}`);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    desktop = await startDesktopSession();
    process.env['DBUS_SESSION_BUS_ADDRESS'] = desktop.env.DBUS_SESSION_BUS_ADDRESS;
    dataDir = mkdtempSync(path.join(tmpdir(), 'occ-pager-e2e-'));
    // a fixed port, so Alertmanager's receiver URL stays right across the app's restarts
    writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ version: 2, listener: { host: '127.0.0.1', port: await freePort() } }));
    await boot();
    ui = await startRenderer({ router: () => services.router, onAppUrl: (url) => (appUrl = url) });
    rendererEvents = ui.events;
    const { listener } = services.settings.view();
    // repeat_interval 4s instead of the usual 1m, so "after a restart" does not take a minute
    am = await startAlertmanager({ url: listener.url, token: listener.token }, { repeatInterval: '4s' });
    exporter = await startExporter();
    exporter.setPods(crashing(50));
    prom = await startPrometheus({ alertmanager: `127.0.0.1:${am.port}`, scrapeTarget: exporter.target });
  });

  afterAll(async () => {
    await ui?.stop();
    await prom?.stop();
    await exporter?.stop();
    await am?.stop();
    await services?.stop();
    await desktop?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a group of 50 crash-looping pods rings once; the Watchdog never pages but its last-seen time shows', async () => {
    const seen = await desktop.waitForNotification((n) => n.summary.startsWith('KubePodCrashLooping'), 45_000);
    expect(seen).toMatchObject({ appName: 'On-Call Companion', summary: 'KubePodCrashLooping +49 more · P1', urgency: 2 });
    expect(seen.body).toMatch(/^Pod payments\/payments-api-7d9f8b6c5d-\d{5} is crash looping\./);
    await settingsWhere((s) => s.heartbeats.some((h) => h.title === 'Watchdog'), 'the Watchdog heartbeat');
    await vi.waitFor(async () => expect(await countStored()).toBe(50), { timeout: 20_000 });
    // Alertmanager has re-sent the group meanwhile (repeat_interval 4s): still one notification
    await deliveredAfter(Date.now());
    await sentinel();
    expect(desktop.seen.filter((n) => n.summary.startsWith('KubePodCrashLooping'))).toHaveLength(1);
    expect(desktop.seen.filter((n) => /Watchdog/.test(n.summary))).toEqual([]);

    await ui.page.goto(`${ui.url}#/settings`);
    const health = ui.page.getByTestId('pager-health');
    await health.getByTestId('heartbeats').getByText('Watchdog').waitFor();
    await health.getByTestId('heartbeats').getByText(/last seen/).waitFor();
    await ui.page.screenshot({ path: path.join(ARTIFACTS, 'settings-pager-health.png') });
  });

  it('the app restarted while they still fire: no further notification', async () => {
    const rung = desktop.seen.length;
    await services.stop();
    await boot();
    expect(services.settings.view().routes[0]?.lastDeliveredAt).not.toBeNull();
    const at = Date.now();
    await deliveredAfter(at);
    await sentinel();
    expect(desktop.seen.slice(rung).map((n) => n.summary)).toEqual(['OnCallCompanionTestPage · P3']);
    // what Settings says about the last delivery survives the restart too
    expect(services.settings.view().routes[0]?.lastDeliveredAt).not.toBeNull();
  });

  it('config.json broken in each way: the same token still works, and the error is loud', async () => {
    const file = path.join(dataDir, 'config.json');
    const good = JSON.stringify({ version: 2, listener: { host: '127.0.0.1', port: services.settings.view().listener.port } });
    const ways: Array<[string, () => void]> = [
      ['an unknown key', () => writeFileSync(file, good.replace('"listener"', '"listner":{},"listener"'))],
      ['a truncated file', () => writeFileSync(file, good.slice(0, 25))],
      ['an empty file', () => writeFileSync(file, '')],
      [
        'an unreadable file',
        () => {
          rmSync(file, { force: true });
          mkdirSync(file);
        },
      ],
    ];
    for (const [name, breakIt] of ways) {
      await services.stop();
      breakIt();
      const at = Date.now();
      await boot();
      expect(services.settings.view().configError, name).not.toBeNull();
      await deliveredAfter(at);
      expect(warnings.at(-1)?.[0], name).toBe('Settings file is broken: running on the last good settings');
      await desktop.waitForNotification((n) => n.summary === 'On-Call Companion: settings file is broken');
      rmSync(file, { recursive: true, force: true });
    }
    await ui.page.goto(`${ui.url}#/settings`);
    await ui.page.getByText('The configuration file has a problem').waitFor();
    await ui.page.screenshot({ path: path.join(ARTIFACTS, 'settings-config-broken.png') });
    writeFileSync(file, good);
    await restart();
    expect(services.settings.view().configError).toBeNull();
  });

  it('the token changed in the app: Alertmanager\'s refusals show in Settings in Chromium', async () => {
    // the crash-looping P1s would keep their alert over the window; acknowledged, it steps aside
    services.pages.acknowledgeAll();
    const old = services.settings.view().listener.token;
    const { page } = ui;
    await page.goto(`${ui.url}#/settings`);
    page.once('dialog', (d) => void d.accept());
    const at = Date.now();
    await page.getByRole('button', { name: 'New token' }).click();
    await settingsWhere((s) => (s.routes[0]?.refusal?.lastAt ?? 0) > at, 'a refusal');
    const banner = page.getByTestId('refusal');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/^Alertmanager was refused \d+ times? since \d\d:\d\d: wrong bearer token$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'settings-refused.png') });
    // put Alertmanager's token back: the next delivery clears the warning
    services.config.setToken(old);
    const back = Date.now();
    await deliveredAfter(back);
    await page.getByTestId('refusal').waitFor({ state: 'detached' });
  });

  it('a 10,000-alert group (over 6 MiB) is stored whole, with one notification', async () => {
    const hook = firingWebhook(10_000, { severity: 'warning', prefix: 'storm', kube: true });
    const alerts = hook.alerts.map((a) => ({ labels: { ...a.labels, alertname: 'PaymentsStorm' }, annotations: a.annotations, generatorURL: `${prom.base}/graph?g0.expr=crashlooping%7Bnamespace%3D%22payments%22%7D+%3E+0&g0.tab=1`, startsAt: new Date().toISOString() }));
    expect(JSON.stringify(alerts).length).toBeGreaterThan(6 * 1024 * 1024);
    const before = await countStored();
    await am.postAlerts(alerts);
    const seen = await desktop.waitForNotification((n) => n.summary.startsWith('PaymentsStorm'), 60_000);
    // Alertmanager may send the group before it has taken in all 10,000 (group_wait 1s), then the
    // whole group: the second webhook falls in the coalescing window and rings no more
    expect(seen.summary).toMatch(/^PaymentsStorm( \+\d+ more)? · P3$/);
    await vi.waitFor(async () => expect(await countStored()).toBe(before + 10_000), { timeout: 90_000, interval: 500 });
    await sentinel();
    expect(desktop.seen.filter((n) => n.summary.startsWith('PaymentsStorm'))).toHaveLength(1);
  });
});
