import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import nodeNotifier from 'node-notifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createI18n } from '../../src/core/i18n';
import type { RendererEvents } from '../../src/main/adapters';
import { trayMenuTemplate, type TrayMenuItem } from '../../src/main/electron/tray-menu';
import { isAppUrl } from '../../src/main/security';
import { createNodeNotifier } from '../../src/main/services/notifier';
import { startMainServices, type MainServices } from '../../src/main/services';
import { firingWebhook } from '../helpers/fixtures';
import { startDesktopSession } from './peers/desktop-session';
import { soxStats, startPulse, type PulseSession, type Recorder } from './peers/pulse';
import { startRenderer } from './renderer-host';

const ARTIFACTS = path.resolve(process.cwd(), 'test-results');
/** P2 repeats every 3 s here, so "no second Notify within the interval" is seconds, not minutes. */
const REPEAT_MS = 3_000;

/** The tray menu as the user would see it, as HTML, for a screenshot in Chromium. */
function menuHtml(items: TrayMenuItem[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const list = (xs: TrayMenuItem[]): string =>
    `<ul>${xs.map((i) => (i.type === 'separator' ? '<li class="sep"></li>' : `<li class="${i.enabled === false ? 'off' : ''}">${esc(i.label ?? '')}${i.submenu ? ` ▸${list(i.submenu)}` : ''}</li>`)).join('')}</ul>`;
  return `<!doctype html><style>body{font:14px system-ui;background:#ddd;margin:0;padding:12px}ul{list-style:none;margin:0;padding:4px 0;background:#fff;border:1px solid #999;min-width:260px;display:inline-block;vertical-align:top;box-shadow:2px 2px 6px #0004}li{padding:4px 16px}li.off{color:#888}li.sep{border-top:1px solid #ccc;padding:0;margin:4px 0}li ul{margin-left:12px}</style>${list(items)}`;
}

describe('the alarm through main: notification, alert view, sound, acknowledge', () => {
  let desktop: Awaited<ReturnType<typeof startDesktopSession>>;
  let pulse: PulseSession;
  let recorder: Recorder;
  let services: MainServices;
  let ui: Awaited<ReturnType<typeof startRenderer>>;
  let dataDir: string;
  let post: (body: unknown) => Promise<number>;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    desktop = await startDesktopSession();
    process.env['DBUS_SESSION_BUS_ADDRESS'] = desktop.env.DBUS_SESSION_BUS_ADDRESS;
    pulse = await startPulse();
    recorder = await pulse.record();
    dataDir = mkdtempSync(path.join(tmpdir(), 'occ-alarm-e2e-'));
    const p2 = { notify: true, sound: 'repeat', soundFile: 'chime', repeatMinutes: REPEAT_MS / 60_000, alertWindow: false, breakThrough: false, responseTargetMinutes: 120 };
    writeFileSync(
      path.join(dataDir, 'config.json'),
      JSON.stringify({ listener: { host: '127.0.0.1', port: 0, token: `alarm-e2e-token-${Date.now()}-0123456789` }, coalesceSeconds: 0, alarms: { severities: { P2: p2 } } }),
    );
    let rendererEvents: RendererEvents | null = null;
    let appUrl = '';
    services = await startMainServices({
      dataDir,
      notifier: createNodeNotifier({ backend: nodeNotifier, appName: 'On-Call Companion', onError: (e) => console.error(e) }),
      tray: { setAttention: () => undefined },
      events: { emit: (c, p) => rendererEvents?.emit(c, p) },
      clock: { now: () => Date.now() },
      logger: { info: () => undefined, error: (m) => console.error(m) },
      isTrustedSender: (url) => isAppUrl(url, appUrl),
      openExternal: () => undefined,
    });
    ui = await startRenderer({
      router: () => services.router,
      onAppUrl: (url) => (appUrl = url),
      // the alarm plays into the private PulseAudio sink, without a click, unmuted
      launch: { args: ['--autoplay-policy=no-user-gesture-required'], env: pulse.env, ignoreDefaultArgs: ['--mute-audio'] },
    });
    rendererEvents = ui.events;
    await ui.page.getByRole('navigation').waitFor();
    const { url, token } = services.settings.view().listener;
    post = async (body) => {
      const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await res.arrayBuffer();
      return res.status;
    };
  });

  afterAll(async () => {
    await ui?.stop();
    await services?.stop();
    await pulse?.stop();
    await desktop?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a P1 page: a critical Notify on D-Bus, the alert view in Chromium, the alarm heard; Acknowledge there silences it within 1 s', async () => {
    const body = { ...firingWebhook(1, { prefix: 'PostgresDown', severity: 'critical', startsAt: new Date().toISOString() }), groupKey: '{}:{alertname="PostgresDown0"}' };
    const received = performance.now();
    expect(await post(body)).toBe(200);
    const notified = await desktop.waitForNotification((n) => n.summary.startsWith('PostgresDown0'));
    expect(notified).toMatchObject({ appName: 'On-Call Companion', urgency: 2 });
    const audibleAt = await recorder.waitForLoud(received);
    const dialog = ui.page.getByRole('alertdialog');
    await dialog.waitFor();
    await expect(dialog.getByRole('heading', { name: 'PostgresDown0' }).isVisible()).resolves.toBe(true);
    await ui.page.screenshot({ path: path.join(ARTIFACTS, 'alert-view-through-main.png') });

    // the tray menu for this moment, rendered from the same model Electron renders
    const menu = trayMenuTemplate(services.alarmTray(), createI18n('en').t, (ms) => new Date(ms).toISOString().slice(11, 16), {
      openGroup: () => undefined, acknowledgeGroup: () => undefined, snoozeGroup: () => undefined, acknowledgeAll: () => undefined,
      selfTest: () => undefined, dndOn: () => undefined, dndOff: () => undefined, open: () => undefined, quit: () => undefined,
    });
    expect(menu.find((i) => i.submenu)?.label).toBe('P1 PostgresDown0 (1)');
    // the always-on-top window's page: the app at #/alert shows the alert and nothing else
    const alertPage = await ui.page.context().newPage();
    await alertPage.setViewportSize({ width: 560, height: 360 });
    await alertPage.goto(`${ui.url}#/alert`);
    await alertPage.getByRole('alertdialog').getByRole('heading', { name: 'PostgresDown0' }).waitFor();
    expect(await alertPage.getByRole('navigation').count()).toBe(0);
    // where and since when it fires, and Acknowledge still whole inside the small window
    await expect(alertPage.getByText(/ · Firing since \d\d:\d\d$/).isVisible()).resolves.toBe(true);
    const ack = (await alertPage.getByRole('button', { name: 'Acknowledge' }).boundingBox())!;
    expect(ack.y + ack.height).toBeLessThanOrEqual(360);
    await alertPage.screenshot({ path: path.join(ARTIFACTS, 'alert-window-through-main.png') });
    await alertPage.close();

    const trayPage = await ui.page.context().newPage();
    await trayPage.setContent(menuHtml(menu));
    await trayPage.screenshot({ path: path.join(ARTIFACTS, 'tray-menu.png') });
    await trayPage.close();

    const playing = recorder.mark();
    await recorder.waitUntil(performance.now() + 1_000);
    expect(soxStats(recorder.segment(playing)).rms).toBeGreaterThan(0.02);

    // press in the middle of a beep, so "silent" cannot be one of the alarm's own rests
    await recorder.waitForLoud(performance.now());
    const pressedAt = performance.now();
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    const silentAt = await recorder.waitForSilence(pressedAt);
    expect(silentAt - pressedAt).toBeLessThan(1_000);
    await dialog.waitFor({ state: 'detached' });
    await recorder.waitUntil(pressedAt + 1_000);
    const after = recorder.mark();
    await recorder.waitUntil(performance.now() + 800);
    expect(soxStats(recorder.segment(after)).max).toBeLessThan(0.001);
    expect(services.pages.livePages().find((p) => p.title === 'PostgresDown0')?.status).toBe('acknowledged');
    console.log(`alarm through main: page received → audible ${(audibleAt - received).toFixed(0)} ms; Acknowledge → silent ${(silentAt - pressedAt).toFixed(0)} ms`);
  });

  it('a P2 page notifies once, then not again until its repeat interval has passed', async () => {
    const body = { ...firingWebhook(1, { prefix: 'QueueBacklog', severity: 'error', startsAt: new Date().toISOString() }), groupKey: '{}:{alertname="QueueBacklog0"}' };
    expect(await post(body)).toBe(200);
    const isOurs = (n: { summary: string }) => n.summary.startsWith('QueueBacklog0');
    const first = await desktop.waitForNotification(isOurs);
    const firstAt = performance.now();
    expect(first.urgency).toBe(1);
    const repeat = await desktop.waitForNotification((n) => isOurs(n) && n.body === 'Still unacknowledged', 15_000);
    const repeatAt = performance.now();
    // nothing for this page in between, and the repeat not before the interval
    expect(desktop.seen.filter(isOurs)).toEqual([first, repeat]);
    expect(repeatAt - firstAt).toBeGreaterThan(REPEAT_MS - 500);
    await services.handlers['pages:acknowledge']({ groupKey: body.groupKey });
  });
});
