import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NotificationContent } from '../../src/core/notification';
import type { RendererEvents } from '../../src/main/adapters';
import { isAppUrl } from '../../src/main/security';
import { startMainServices } from '../../src/main/services';
import { fixtureText } from '../helpers/vendor-fake';
import { firstFrame, postHook, RELAY_INGEST_TOKEN, RELAY_SUBSCRIBER_TOKEN, startRelayProcess, tempDir } from '../main/relay/relay-process';
import { freePort } from './peers/process';
import { startRenderer } from './renderer-host';

const ARTIFACTS = path.resolve(process.cwd(), 'test-results');
const PD_SECRET = 'pd-signing-secret-for-the-relay-e2e';

const amBody = (name: string, status: 'firing' | 'resolved' = 'firing') =>
  JSON.stringify({
    version: '4',
    groupKey: `{}:{alertname="${name}"}`,
    truncatedAlerts: 0,
    status,
    receiver: 'relay',
    groupLabels: { alertname: name },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: '',
    alerts: [{ status, labels: { alertname: name, severity: 'warning', instance: 'db-1:9100' }, annotations: { summary: `${name} via the relay` }, startsAt: '2026-11-21T10:00:00Z', endsAt: status === 'resolved' ? '2026-11-21T10:05:00Z' : '0001-01-01T00:00:00Z', fingerprint: `fp-${name}` }],
  });

/** One app life: main services plus the renderer in Chromium with a persistent profile (IndexedDB survives). */
async function launch(dataDir: string, profileDir: string, rendererPort: number) {
  let events: RendererEvents | null = null;
  let appUrl = '';
  const notifications: NotificationContent[] = [];
  const services = await startMainServices({
    dataDir,
    notifier: { notify: (n) => void notifications.push(n) },
    tray: { setAttention: () => undefined },
    events: { emit: (c, p) => events?.emit(c, p) },
    clock: { now: () => Date.now() },
    logger: { info: () => undefined, error: (m) => console.error(m) },
    isTrustedSender: (url) => isAppUrl(url, appUrl),
    openExternal: () => undefined,
  });
  const ui = await startRenderer({ router: () => services.router, onAppUrl: (u) => (appUrl = u), userDataDir: profileDir, port: rendererPort });
  events = ui.events;
  return {
    services,
    ui,
    notifications,
    /** Page ids as Chromium's IndexedDB holds them. */
    storedIds: () =>
      ui.page.evaluate(
        () =>
          new Promise<string[]>((resolve, reject) => {
            const open = indexedDB.open('on-call-companion');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const req = open.result.transaction('pages').objectStore('pages').getAllKeys();
              req.onsuccess = () => {
                open.result.close();
                resolve((req.result as string[]).sort());
              };
              req.onerror = () => reject(req.error);
            };
          }),
      ),
    quit: async () => {
      await ui.stop().catch(() => undefined);
      await services.stop();
    },
  };
}

describe('the webhook relay as a source, end to end', () => {
  const relayDir = tempDir('occ-relay-e2e-');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'occ-relay-app-e2e-'));
  const profileDir = mkdtempSync(path.join(tmpdir(), 'occ-relay-profile-'));
  afterAll(() => {
    relayDir.remove();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profileDir, { recursive: true, force: true });
  });

  it('events sent while the app was stopped: every page stored exactly once in IndexedDB after restart, one digest; Settings shows the sources', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const relay = await startRelayProcess({ dataDir: relayDir.dir });
    try {
      writeFileSync(
        path.join(dataDir, 'config.json'),
        JSON.stringify({
          listener: { host: '127.0.0.1', port: 0, token: 'relay-e2e-listener-token-0123456789' },
          sources: [{ id: 'pd', kind: 'pagerduty', name: 'PagerDuty EU' }],
          relays: [{ id: 'team', name: 'Team relay', mode: 'relay', url: relay.base, channel: 'ops' }],
        }),
      );
      mkdirSync(path.join(dataDir, 'secrets'));
      writeFileSync(path.join(dataDir, 'secrets', 'relay.team.token'), RELAY_SUBSCRIBER_TOKEN);
      writeFileSync(path.join(dataDir, 'secrets', 'source.pd.signing'), PD_SECRET);
      const rendererPort = await freePort();

      const first = await launch(dataDir, profileDir, rendererPort);
      // The first life quits before any event reaches it: the relay's "you are here" on the first
      // subscription is all it keeps (it used to keep nothing, and everything below was lost).
      await expect.poll(() => first.services.sources.view().relays[0]?.state, { timeout: 10_000 }).toBe('connected');
      await expect.poll(() => existsSync(path.join(dataDir, 'relay-cursor-team')), { timeout: 10_000 }).toBe(true);
      expect(await first.storedIds()).toEqual([]);
      const quitBegan = Date.now();
      await first.quit();
      const quitEnded = Date.now();

      // while the app is stopped: four alerts (one fires and resolves), and a signed PagerDuty webhook
      for (const name of ['Away1', 'Away2', 'Away3', 'AwayGone']) expect(await postHook(relay.base, amBody(name))).not.toBeNull();
      expect(await postHook(relay.base, amBody('AwayGone', 'resolved'))).not.toBeNull();
      const pdBody = fixtureText('pagerduty', 'webhook-incident-triggered.json');
      const pdSignature = `v1=${createHmac('sha256', PD_SECRET).update(pdBody, 'utf8').digest('hex')}`;
      const pdPost = await fetch(`${relay.base}/hooks/ops/pd`, { method: 'POST', headers: { authorization: `Bearer ${RELAY_INGEST_TOKEN}`, 'content-type': 'application/json', 'x-pagerduty-signature': pdSignature }, body: pdBody });
      expect(pdPost.status).toBe(202);

      const second = await launch(dataDir, profileDir, rendererPort);
      try {
        const { page } = second.ui;
        const expected = ['alertmanager:fp-Away1', 'alertmanager:fp-Away2', 'alertmanager:fp-Away3', 'alertmanager:fp-AwayGone', 'pd:PGR0VU2'];
        await expect.poll(() => second.storedIds(), { timeout: 20_000 }).toEqual(expected);
        await expect.poll(() => second.notifications.filter((n) => n.pageId === 'catch-up').length, { timeout: 20_000 }).toBe(1);
        expect(second.notifications.find((n) => n.pageId === 'catch-up')).toMatchObject({ title: 'While you were away', body: '5 pages, 4 still firing', route: '#/pages' });
        // one digest, not a notification per replayed page
        expect(second.notifications.filter((n) => expected.includes(n.pageId))).toEqual([]);
        // the Pages view's "While you were away" section reads the digest from main through the window's preload
        type Away = { ok: boolean; value: { pages: number; stillFiring: number; since: number | null; at: number; ids: string[] } | null };
        const away = await page.evaluate(() => (window as unknown as { oncall: { getAwayDigest(): Promise<unknown> } }).oncall.getAwayDigest());
        expect(away).toMatchObject({ ok: true, value: { pages: 5, stillFiring: 4 } });
        const digest = (away as Away).value!;
        // still-firing pages first, the one that fired and resolved while away last
        expect(digest.ids.slice(0, 4).sort()).toEqual(['alertmanager:fp-Away1', 'alertmanager:fp-Away2', 'alertmanager:fp-Away3', 'pd:PGR0VU2']);
        expect(digest.ids[4]).toBe('alertmanager:fp-AwayGone');
        // away since the first life quit
        expect(digest.since).not.toBeNull();
        expect(digest.since!).toBeGreaterThanOrEqual(quitBegan);
        expect(digest.since!).toBeLessThanOrEqual(quitEnded);
        await page.reload();
        await page.locator('body').waitFor();
        expect(await second.storedIds()).toEqual(expected);

        // P1 pages bring up the alert view; acknowledged, the window is free for the Pages view and Settings
        second.services.pages.acknowledgeAll();
        // the Pages view shows the digest as a section: every page with its stored status, until dismissed
        second.ui.events.emit('app:navigate', { route: '#/pages' });
        const section = page.getByRole('region', { name: /^While you were away \(\d\d:\d\d–\d\d:\d\d\): 5 pages, 4 still firing$/ });
        await section.waitFor();
        await expect.poll(() => section.getByRole('listitem').count()).toBe(5);
        for (const [width, height] of [[1024, 640], [1280, 760]] as const) {
          await page.setViewportSize({ width, height });
          await page.screenshot({ path: path.join(ARTIFACTS, `pages-away-section-${width}x${height}.png`) });
        }
        // dismissed in the window, the digest is gone for good (main keeps that in its data folder)
        await section.getByRole('button', { name: 'Dismiss' }).click();
        await section.waitFor({ state: 'detached' });
        expect(await page.evaluate(() => (window as unknown as { oncall: { getAwayDigest(): Promise<unknown> } }).oncall.getAwayDigest())).toEqual({ ok: true, value: null });
        second.ui.events.emit('app:navigate', { route: '#/settings' });
        const pd = page.getByRole('region', { name: 'PagerDuty EU' });
        await expect.poll(() => page.getByTestId('source-state-pd').textContent(), { timeout: 10_000 }).toBe('Connected');
        await pd.getByText(/^Last delivery: /).waitFor();
        await page.getByTestId('relay-team').getByText('Connected').waitFor();
        await page.getByRole('region', { name: 'Alertmanager' }).waitFor();
        for (const [width, height] of [[1024, 640], [1280, 760]] as const) {
          await page.setViewportSize({ width, height });
          await pd.scrollIntoViewIfNeeded();
          await page.screenshot({ path: path.join(ARTIFACTS, `sources-settings-${width}x${height}.png`) });
        }
        // a second relay, added in the form as a user would, with a token main keeps in the keychain
        const form = page.getByRole('group', { name: 'Add or change a relay' });
        await form.getByLabel('Id', { exact: true }).fill('night');
        await form.getByLabel('Name', { exact: true }).fill('Night relay');
        await form.getByLabel('URL', { exact: true }).fill(relay.base);
        await form.getByLabel('Channel', { exact: true }).fill('ops');
        await form.getByLabel('Subscriber token').fill(RELAY_SUBSCRIBER_TOKEN);
        await form.getByRole('button', { name: 'Save relay' }).click();
        await page.getByTestId('relay-night').getByText('Connected').waitFor({ timeout: 10_000 });
        for (const [width, height] of [[1024, 640], [1280, 760]] as const) {
          await page.setViewportSize({ width, height });
          await form.scrollIntoViewIfNeeded();
          await page.screenshot({ path: path.join(ARTIFACTS, `relay-settings-${width}x${height}.png`) });
        }
        // an error from the bottom of Settings is shown where the user is looking, not a screen above
        await page.setViewportSize({ width: 1024, height: 640 });
        const editor = page.getByRole('textbox', { name: 'Add or change a source (JSON)' });
        await editor.fill('{"id": "x", "kind": "nope", "name": "X"}');
        await page.getByRole('button', { name: 'Save', exact: true }).first().click();
        const banner = page.locator('.error-banner');
        await banner.waitFor();
        const box = (await banner.boundingBox())!;
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height).toBeLessThanOrEqual(640);
        await page.screenshot({ path: path.join(ARTIFACTS, 'settings-error-in-view-1024x640.png') });
        await banner.getByRole('button', { name: 'Dismiss' }).first().click();
        await banner.waitFor({ state: 'detached' });
        // the alarm policy table fits the 1024 px window: no column cut off at the card's edge
        const policy = page.locator('.alarm-policy');
        await policy.locator('table').scrollIntoViewIfNeeded();
        const [tableBox, cardBox] = [(await policy.locator('table').boundingBox())!, (await policy.boundingBox())!];
        expect(tableBox.x + tableBox.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);
        await page.screenshot({ path: path.join(ARTIFACTS, 'alarm-policy-1024x640.png') });
        expect(second.ui.consoleErrors).toEqual([]);
      } finally {
        await second.quit();
      }
    } finally {
      await relay.kill();
    }
  }, 120_000);

  it('away longer than the relay keeps events: Settings says which span is gone, in English and in German', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const gapRelayDir = tempDir('occ-relay-gap-e2e-');
    const appDir = mkdtempSync(path.join(tmpdir(), 'occ-relay-gap-app-'));
    const profile = mkdtempSync(path.join(tmpdir(), 'occ-relay-gap-profile-'));
    let relay = await startRelayProcess({ dataDir: gapRelayDir.dir });
    try {
      writeFileSync(path.join(appDir, 'config.json'), JSON.stringify({ listener: { host: '127.0.0.1', port: 0, token: 'relay-e2e-listener-token-0123456789' }, relays: [{ id: 'team', name: 'Team relay', mode: 'relay', url: relay.base, channel: 'ops' }] }));
      mkdirSync(path.join(appDir, 'secrets'));
      writeFileSync(path.join(appDir, 'secrets', 'relay.team.token'), RELAY_SUBSCRIBER_TOKEN);
      const rendererPort = await freePort();
      const first = await launch(appDir, profile, rendererPort);
      const seen = (await postHook(relay.base, amBody('BeforeTheGap')))!;
      await expect.poll(() => first.storedIds(), { timeout: 10_000 }).toHaveLength(1);
      await first.quit();
      for (const name of ['LostOne', 'LostTwo']) expect(await postHook(relay.base, amBody(name))).not.toBeNull();
      // the relay comes back keeping one second: what the app missed is gone
      const port = relay.port;
      await relay.kill();
      relay = await startRelayProcess({ dataDir: gapRelayDir.dir, port, retentionDays: 1 / 86_400 });
      await expect.poll(() => firstFrame(relay.base, seen), { timeout: 15_000 }).toBe('gap');

      const second = await launch(appDir, profile, rendererPort);
      try {
        const { page } = second.ui;
        second.ui.events.emit('app:navigate', { route: '#/settings' });
        const gap = page.getByTestId('relay-gap-team');
        await gap.waitFor({ timeout: 10_000 });
        expect(await gap.textContent()).toMatch(/^Lost at the relay: events from .+ to .+ \(older than it keeps\)\. Check your alert sources/);
        expect(second.notifications.filter((n) => n.pageId === 'gap:team')).toHaveLength(1);
        for (const [width, height] of [[1024, 640], [1280, 760]] as const) {
          await page.setViewportSize({ width, height });
          await gap.scrollIntoViewIfNeeded();
          // the whole notice in view: nothing to scroll sideways for
          const box = (await gap.boundingBox())!;
          expect(box.x + box.width).toBeLessThanOrEqual(width);
          await page.screenshot({ path: path.join(ARTIFACTS, `relay-gap-${width}x${height}.png`) });
        }
        await page.getByRole('combobox', { name: 'Language' }).selectOption('de');
        await page.getByTestId('relay-gap-team').getByText(/^Beim Relay verloren: Ereignisse von .+ bis .+ \(älter als seine Aufbewahrungszeit\)\. Prüfe deine Alarmquellen/).waitFor();
        await page.setViewportSize({ width: 1024, height: 640 });
        await page.getByTestId('relay-gap-team').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(ARTIFACTS, 'relay-gap-de-1024x640.png') });
        // neither lost event became a page
        expect(await second.storedIds()).toHaveLength(1);
        expect(second.ui.consoleErrors).toEqual([]);
      } finally {
        await second.quit();
      }
    } finally {
      await relay.kill();
      gapRelayDir.remove();
      rmSync(appDir, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    }
  }, 120_000);
});
