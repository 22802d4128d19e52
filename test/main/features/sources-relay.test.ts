import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { RECONNECT_CATCH_UP_MS } from '../../../src/main/features/sources';
import { startHarness, type Harness } from '../../helpers/main-harness';
import { cuttableProxy, firstFrame, postHook, RELAY_SUBSCRIBER_TOKEN, startRelayProcess, tempDir, type RelayProcess } from '../relay/relay-process';

/** One Alertmanager group with one alert, its own fingerprint. */
const amBody = (fp: string, status: 'firing' | 'resolved' = 'firing') =>
  JSON.stringify({
    version: '4',
    groupKey: `{}:{alertname="${fp}"}`,
    truncatedAlerts: 0,
    status,
    receiver: 'relay',
    groupLabels: { alertname: fp },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: '',
    alerts: [{ status, labels: { alertname: fp, severity: 'critical' }, annotations: {}, startsAt: '2026-11-21T10:00:00Z', endsAt: status === 'resolved' ? '2026-11-21T10:05:00Z' : '0001-01-01T00:00:00Z', fingerprint: fp }],
  });

function appDataDir(relayBase: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'occ-relay-app-'));
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ listener: { host: '127.0.0.1', port: 0, token: 'relay-test-listener-token-0123456789' }, relays: [{ id: 'team', name: 'Team relay', mode: 'relay', url: relayBase, channel: 'ops' }] }),
  );
  mkdirSync(path.join(dir, 'secrets'));
  writeFileSync(path.join(dir, 'secrets', 'relay.team.token'), RELAY_SUBSCRIBER_TOKEN);
  return dir;
}

const signalIds = (h: Harness) => h.services.outbox.pending().flatMap((d) => d.signals.map((s) => `${s.id}/${s.status}`));

describe('the relay as a source of the running app', () => {
  let relay: RelayProcess | null = null;
  let app: Harness | null = null;
  const relayDir = tempDir('occ-relay-');
  afterAll(() => relayDir.remove());
  afterEach(async () => {
    await app?.stop();
    await relay?.kill();
    app = null;
    relay = null;
  });

  it('events sent while the app was stopped are replayed once on restart, with one digest notification', async () => {
    relay = await startRelayProcess({ dataDir: relayDir.dir });
    app = await startHarness({ dataDir: appDataDir(relay.base) });
    await vi.waitFor(() => expect(app!.services.sources.view().relays[0]).toMatchObject({ id: 'team', state: 'connected', replay: true }), { timeout: 10_000 });
    expect(await postHook(relay.base, amBody('before'))).not.toBeNull();
    await vi.waitFor(() => expect(signalIds(app!)).toEqual(['alertmanager:before/firing']), { timeout: 10_000 });

    const dataDir = app.dataDir;
    await app.stop(true);
    app = null;
    for (const fp of ['a1', 'a2', 'a3', 'gone']) expect(await postHook(relay.base, amBody(fp))).not.toBeNull();
    expect(await postHook(relay.base, amBody('gone', 'resolved'))).not.toBeNull();

    app = await startHarness({ dataDir });
    const expected = ['alertmanager:a1/firing', 'alertmanager:a2/firing', 'alertmanager:a3/firing', 'alertmanager:gone/firing', 'alertmanager:gone/resolved'];
    await vi.waitFor(() => expect(signalIds(app!).filter((id) => !id.includes(':before/'))).toEqual(expected), { timeout: 15_000 });
    // the page stored before the restart (still in the outbox: no window confirmed it) is not delivered again
    expect(signalIds(app).filter((id) => id === 'alertmanager:before/firing')).toHaveLength(1);
    await vi.waitFor(() => expect(app!.rec.notifications.filter((n) => n.pageId === 'catch-up')).toHaveLength(1), { timeout: 15_000 });
    const digest = app.rec.notifications.find((n) => n.pageId === 'catch-up')!;
    expect(digest).toMatchObject({ title: 'While you were away', body: '4 pages, 3 still firing' });
  }, 60_000);

  it('the last event id is kept only once the window has stored its page: a restart before that replays it, and it is stored once', async () => {
    relay = await startRelayProcess({ dataDir: relayDir.dir });
    app = await startHarness({ dataDir: appDataDir(relay.base) });
    await vi.waitFor(() => expect(app!.services.sources.view().relays[0]).toMatchObject({ state: 'connected' }), { timeout: 10_000 });
    const cursorFile = path.join(app.dataDir, 'relay-cursor-team');
    // the first subscription's place (no events yet) is kept at once
    await vi.waitFor(() => expect(existsSync(cursorFile)).toBe(true), { timeout: 5_000 });
    const start = readFileSync(cursorFile, 'utf8');
    const id = (await postHook(relay.base, amBody('unstored')))!;
    await vi.waitFor(() => expect(signalIds(app!)).toEqual(['alertmanager:unstored/firing']), { timeout: 10_000 });
    // main has it on disk, but no window stored it: quitting keeps the older place
    const dataDir = app.dataDir;
    await app.stop(true);
    app = null;
    expect(readFileSync(cursorFile, 'utf8')).toBe(start);

    app = await startHarness({ dataDir });
    await vi.waitFor(() => expect(app!.services.sources.view().relays[0]).toMatchObject({ state: 'connected', lastDeliveryAt: expect.any(Number) }), { timeout: 10_000 });
    // replayed from the older place, it changes nothing: the window has one delivery of it to store
    expect(signalIds(app)).toEqual(['alertmanager:unstored/firing']);
    expect(app.windowStores()).toBe(1);
    await vi.waitFor(() => expect(readFileSync(cursorFile, 'utf8')).toBe(id), { timeout: 5_000 });
    await app.stop(true);
    app = await startHarness({ dataDir });
    await vi.waitFor(() => expect(app!.services.sources.view().relays[0]).toMatchObject({ state: 'connected' }), { timeout: 10_000 });
    expect(await postHook(relay.base, amBody('next'))).not.toBeNull();
    await vi.waitFor(() => expect(signalIds(app!)).toEqual(['alertmanager:next/firing']), { timeout: 10_000 });
  }, 60_000);

  it('an event that reaches the relay during the catch-up rings at once; the digest counts only what was missed', async () => {
    relay = await startRelayProcess({ dataDir: relayDir.dir });
    app = await startHarness({ dataDir: appDataDir(relay.base) });
    await vi.waitFor(() => expect(app!.services.sources.view().relays[0]).toMatchObject({ state: 'connected' }), { timeout: 10_000 });
    // one event while connected, so the app holds a cursor to replay from
    expect(await postHook(relay.base, amBody('seen'))).not.toBeNull();
    await vi.waitFor(() => expect(signalIds(app!)).toEqual(['alertmanager:seen/firing']), { timeout: 10_000 });
    const dataDir = app.dataDir;
    await app.stop(true);
    app = null;
    for (const fp of ['m1', 'm2']) expect(await postHook(relay.base, amBody(fp))).not.toBeNull();

    // a long quiet period: the catch-up is still running when the live event comes
    app = await startHarness({ dataDir, catchUpQuietMs: 6_000 });
    await vi.waitFor(() => expect(signalIds(app!).filter((id) => !id.includes(':seen/'))).toEqual(['alertmanager:m1/firing', 'alertmanager:m2/firing']), { timeout: 15_000 });
    expect(app.services.sources.catchingUp()).toBe(true);
    expect(app.rec.notifications).toEqual([]);
    expect(await postHook(relay.base, amBody('live'))).not.toBeNull();
    await vi.waitFor(() => expect(app!.rec.notifications.map((n) => n.pageId)).toEqual(['alertmanager:live']), { timeout: 5_000 });
    // it rang before the digest, on its own
    expect(app.services.sources.catchingUp()).toBe(true);
    await vi.waitFor(() => expect(app!.rec.notifications.filter((n) => n.pageId === 'catch-up')).toHaveLength(1), { timeout: 15_000 });
    expect(app.rec.notifications.find((n) => n.pageId === 'catch-up')).toMatchObject({ body: '2 pages, 2 still firing' });
  }, 60_000);

  it('away longer than the relay keeps events: the app is told which time span is gone, at once and as critical', async () => {
    relay = await startRelayProcess({ dataDir: relayDir.dir });
    app = await startHarness({ dataDir: appDataDir(relay.base) });
    await vi.waitFor(() => expect(app!.services.sources.view().relays[0]).toMatchObject({ state: 'connected' }), { timeout: 10_000 });
    const seen = (await postHook(relay.base, amBody('kept-before')))!;
    await vi.waitFor(() => expect(signalIds(app!)).toEqual(['alertmanager:kept-before/firing']), { timeout: 10_000 });
    // the window stores it: only then does the app keep its id as the place to replay from
    expect(app.windowStores()).toBe(1);
    await vi.waitFor(() => expect(readFileSync(path.join(app!.dataDir, 'relay-cursor-team'), 'utf8').trim()).toBe(seen), { timeout: 5_000 });
    const dataDir = app.dataDir;
    await app.stop(true);
    app = null;
    for (const fp of ['lost1', 'lost2']) expect(await postHook(relay.base, amBody(fp))).not.toBeNull();
    // the relay comes back keeping one second: everything sent so far goes
    const port = relay.port;
    await relay.kill();
    relay = await startRelayProcess({ dataDir: relayDir.dir, port, retentionDays: 1 / 86_400 });
    await vi.waitFor(async () => expect(await firstFrame(relay!.base, seen)).toBe('gap'), { timeout: 15_000, interval: 100 });

    app = await startHarness({ dataDir });
    await vi.waitFor(() => expect(app!.rec.notifications.filter((n) => n.pageId === 'gap:team')).toHaveLength(1), { timeout: 10_000 });
    expect(app.rec.notifications.find((n) => n.pageId === 'gap:team')).toMatchObject({ title: 'The relay lost events', urgency: 'critical', body: expect.stringMatching(/^Team relay: events sent to it between .+ and .+ are gone/) });
    expect(app.services.sources.view().relays[0]!.gap).toMatchObject({ after: seen, reason: 'retention' });
    expect(signalIds(app).filter((id) => id.includes('lost'))).toEqual([]);
    // the next reconnect (a wake-up) starts past what is gone: told once, not on every reconnect
    app.services.resume();
    expect(await postHook(relay.base, amBody('after-gap'))).not.toBeNull();
    await vi.waitFor(() => expect(signalIds(app!)).toContain('alertmanager:after-gap/firing'), { timeout: 10_000 });
    expect(app.rec.notifications.filter((n) => n.pageId === 'gap:team')).toHaveLength(1);
  }, 60_000);

  it('an event for a source id the app does not have is shown and rings once, instead of vanishing into a log', async () => {
    relay = await startRelayProcess({ dataDir: relayDir.dir });
    app = await startHarness({ dataDir: appDataDir(relay.base) });
    await vi.waitFor(() => expect(app!.services.sources.view().relays[0]).toMatchObject({ state: 'connected' }), { timeout: 10_000 });
    for (const fp of ['typo1', 'typo2']) expect(await postHook(relay.base, amBody(fp), 'prometheus')).not.toBeNull();
    await vi.waitFor(() => expect(app!.services.sources.view().strays).toEqual([{ source: 'prometheus', channel: 'ops', count: 2, lastAt: expect.any(Number) }]), { timeout: 10_000 });
    const warned = app.rec.notifications.filter((n) => n.pageId.startsWith('stray:'));
    expect(warned).toEqual([expect.objectContaining({ title: 'A relayed event was dropped', urgency: 'critical', route: '#/settings', body: expect.stringContaining('"prometheus"') })]);
    expect(signalIds(app)).toEqual([]);
    // the right source id still works, and the relay stays connected
    expect(await postHook(relay.base, amBody('right'))).not.toBeNull();
    await vi.waitFor(() => expect(signalIds(app!)).toEqual(['alertmanager:right/firing']), { timeout: 10_000 });
    expect(app.services.sources.view().relays[0]).toMatchObject({ state: 'connected', channel: 'ops', retryAt: null });
  }, 60_000);
});

describe('catch-up after a network drop while the app is awake', () => {
  let relay: RelayProcess | null = null;
  let app: Harness | null = null;
  let proxy: Awaited<ReturnType<typeof cuttableProxy>> | null = null;
  const relayDir = tempDir('occ-relay-drop-');
  afterAll(() => relayDir.remove());
  afterEach(async () => {
    await app?.stop();
    await proxy?.close();
    await relay?.kill();
    app = null;
    proxy = null;
    relay = null;
  });

  /** The app connected to the relay through a hop that can be cut, with a clock the test can move on. */
  async function connected() {
    relay = await startRelayProcess({ dataDir: relayDir.dir });
    proxy = await cuttableProxy(relay.port);
    let offset = 0;
    app = await startHarness({ dataDir: appDataDir(`http://127.0.0.1:${proxy.port}`), now: () => Date.now() + offset });
    await vi.waitFor(() => expect(app!.services.sources.view().relays[0]).toMatchObject({ state: 'connected' }), { timeout: 10_000 });
    // one event while connected, so the app holds a cursor to replay from
    expect(await postHook(relay.base, amBody('seen'))).not.toBeNull();
    await vi.waitFor(() => expect(signalIds(app!)).toEqual(['alertmanager:seen/firing']), { timeout: 10_000 });
    // the start's own catch-up is over: what follows happens to an app that has been awake a while
    await vi.waitFor(() => expect(app!.services.sources.catchingUp()).toBe(false), { timeout: 10_000 });
    return { later: (ms: number) => void (offset += ms) };
  }

  const rings = (h: Harness) => h.rec.notifications.map((n) => n.pageId).filter((id) => id !== 'alertmanager:seen');

  it('a relay back after a minute replays what it missed as one digest, not one ring per page', async () => {
    const clock = await connected();
    proxy!.cut();
    await vi.waitFor(() => expect(app!.services.sources.view().relays[0]!.state).not.toBe('connected'), { timeout: 10_000 });
    for (const fp of ['d1', 'd2', 'd3']) expect(await postHook(relay!.base, amBody(fp))).not.toBeNull();
    clock.later(60_000);
    proxy!.restore();
    await vi.waitFor(() => expect(signalIds(app!).filter((id) => !id.includes(':seen/'))).toEqual(['alertmanager:d1/firing', 'alertmanager:d2/firing', 'alertmanager:d3/firing']), { timeout: 15_000 });
    await vi.waitFor(() => expect(rings(app!)).toEqual(['catch-up']), { timeout: 15_000 });
    expect(app!.rec.notifications.find((n) => n.pageId === 'catch-up')).toMatchObject({ body: '3 pages, 3 still firing', urgency: 'critical' });
    // one notification, but the P1s among them still sound the alarm and raise the alert window
    expect(app!.services.alarms.view().playing).toMatchObject({ command: 'play', mode: 'alarm', severity: 'P1' });
    expect(app!.services.alarms.view().alert).toMatchObject({ severity: 'P1', count: 4 });
  }, 60_000);

  it(`a blip shorter than ${RECONNECT_CATCH_UP_MS / 1000} s is no absence: what it missed rings as it would have live`, async () => {
    await connected();
    proxy!.cut();
    await vi.waitFor(() => expect(app!.services.sources.view().relays[0]!.state).not.toBe('connected'), { timeout: 10_000 });
    expect(await postHook(relay!.base, amBody('blip'))).not.toBeNull();
    proxy!.restore();
    await vi.waitFor(() => expect(rings(app!)).toEqual(['alertmanager:blip']), { timeout: 15_000 });
    expect(app!.services.sources.catchingUp()).toBe(false);
  }, 60_000);

  it('the network back (the OS says so): a relay in back-off connects at once, and what it missed is one digest', async () => {
    await connected();
    proxy!.cut();
    // the relay client backs off further with every refused attempt
    await vi.waitFor(() => expect(app!.services.sources.view().relays[0]!.retryAt).toBeGreaterThan(Date.now() + 1_500), { timeout: 20_000 });
    for (const fp of ['n1', 'n2']) expect(await postHook(relay!.base, amBody(fp))).not.toBeNull();
    proxy!.restore();
    const since = Date.now() - 5 * 60_000;
    app!.services.networkBack(since);
    await vi.waitFor(() => expect(rings(app!)).toEqual(['catch-up']), { timeout: 15_000 });
    expect(app!.rec.notifications.find((n) => n.pageId === 'catch-up')).toMatchObject({ body: '2 pages, 2 still firing' });
    // the Pages view's section says since when: the drop, not the app's last alive tick
    expect(app!.services.sources.catchUpHandlers['catchup:get']()).toMatchObject({ since, pages: 2 });
  }, 60_000);
});
