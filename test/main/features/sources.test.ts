import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Delivery } from '../../../src/core/ipc-contract';
import { startHarness, type Harness } from '../../helpers/main-harness';
import { fixtureJson, fixtureText, serveOpsgenie, servePagerDuty, startVendorFake, type VendorFake } from '../../helpers/vendor-fake';

const SIGNING = 'pd-signing-secret-for-tests';
const API_KEY = 'pd-api-key-for-tests';

/** A data folder whose config.json lists sources, and whose secret store holds the given secrets. */
function dataDirWith(sources: unknown[], secrets: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'occ-sources-'));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ listener: { host: '127.0.0.1', port: 0, token: 'sources-test-token-0123456789abcdef' }, sources }));
  mkdirSync(path.join(dir, 'secrets'), { recursive: true });
  for (const [name, value] of Object.entries(secrets)) writeFileSync(path.join(dir, 'secrets', name), value);
  return dir;
}

const signed = (body: string) => `v1=${createHmac('sha256', SIGNING).update(body, 'utf8').digest('hex')}`;
const pending = (h: Harness): Delivery[] => h.services.outbox.pending();
const signalIds = (h: Harness) => pending(h).flatMap((d) => d.signals.map((s) => s.id));

describe('alert sources wired into the running services', () => {
  let h: Harness | null = null;
  let fake: VendorFake | null = null;
  afterEach(async () => {
    await h?.stop();
    await fake?.stop();
    h = null;
    fake = null;
  });

  const base = () => `http://127.0.0.1:${h!.services.listenerPort()}`;

  it('a signed PagerDuty v3 webhook becomes a page; the same body with one byte changed is refused 401 and nothing is stored', async () => {
    h = await startHarness({ dataDir: dataDirWith([{ id: 'pd', kind: 'pagerduty', name: 'PagerDuty' }], { 'source.pd.signing': SIGNING }) });
    const body = fixtureText('pagerduty', 'webhook-incident-triggered.json');
    const tampered = body.replace('PGR0VU2', 'PGR0VU3');
    const bad = await fetch(`${base()}/webhook/pd`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pagerduty-signature': signed(body) }, body: tampered });
    expect(bad.status).toBe(401);
    expect(signalIds(h)).toEqual([]);
    const good = await fetch(`${base()}/webhook/pd`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pagerduty-signature': signed(body) }, body });
    expect(good.status).toBe(200);
    expect(signalIds(h)).toEqual(['pd:PGR0VU2']);
    const view = h.services.sources.view();
    const pd = view.sources.find((s) => s.id === 'pd')!;
    expect(pd).toMatchObject({ kind: 'pagerduty', state: 'connected', hasSigningSecret: true, webhookUrl: `${base()}/webhook/pd` });
    expect(pd.lastDeliveryAt).not.toBeNull();
    // the secret is never part of what Settings lists, only of an explicit request
    expect(JSON.stringify(view)).not.toContain(SIGNING);
    expect(await h.services.handlers['sources:reveal-secret']!({ id: 'pd', which: 'signing' } as never)).toEqual({ value: SIGNING });
  });

  it('a signing secret changed in Settings holds for the very next webhook (the secret is read once, not per webhook)', async () => {
    h = await startHarness({ dataDir: dataDirWith([{ id: 'pd', kind: 'pagerduty', name: 'PagerDuty' }], { 'source.pd.signing': SIGNING }) });
    const body = fixtureText('pagerduty', 'webhook-incident-triggered.json');
    const post = (signature: string) => fetch(`${base()}/webhook/pd`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pagerduty-signature': signature }, body });
    expect((await post(signed(body))).status).toBe(200);
    const rotated = 'pd-signing-secret-rotated';
    await h.services.handlers['sources:set-secret']!({ id: 'pd', which: 'signing', value: rotated } as never);
    // the old secret no longer opens the door; the new one does
    expect((await post(signed(body))).status).toBe(401);
    expect((await post(`v1=${createHmac('sha256', rotated).update(body, 'utf8').digest('hex')}`)).status).toBe(200);
  });

  it('a source that cannot sign needs the listener token, as Bearer or ?token= (GoAlert)', async () => {
    h = await startHarness({ dataDir: dataDirWith([{ id: 'ga', kind: 'goalert', name: 'GoAlert' }]) });
    const body = fixtureText('goalert', 'alert.json');
    const none = await fetch(`${base()}/webhook/ga`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(none.status).toBe(401);
    expect(h.services.sources.view().sources.find((s) => s.id === 'ga')).toMatchObject({ state: 'failing', lastError: { code: 'wrongToken' } });
    const wrong = await fetch(`${base()}/webhook/ga?token=nope`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(wrong.status).toBe(401);
    expect(signalIds(h)).toEqual([]);
    const ok = await fetch(`${base()}/webhook/ga?token=${h.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(ok.status).toBe(200);
    expect(signalIds(h)).toHaveLength(1);
    expect(signalIds(h)[0]).toMatch(/^ga:/);
    // webhooks alone have nothing to replay: no catch-up, so no digest on top of the page's own notification
    expect(h.services.sources.catchingUp()).toBe(false);
    await h.services.sources.resume();
    expect(h.services.sources.catchingUp()).toBe(false);
  });

  it('one broken source entry is refused with its error, and the others run', async () => {
    h = await startHarness({ dataDir: dataDirWith([{ id: 'Bad Id', kind: 'grafana', name: 'x' }, { id: 'ga', kind: 'goalert', name: 'GoAlert' }]) });
    const view = h.services.sources.view();
    expect(view.broken).toEqual([expect.objectContaining({ index: 0, id: 'Bad Id', code: 'wrongShape' })]);
    expect(view.sources.map((s) => s.id)).toEqual(['alertmanager', 'ga']);
    // the default Alertmanager webhook keeps working
    expect((await h.post(JSON.stringify(fixtureJson('alertmanager', 'webhook-firing.json')))).status).toBe(200);
  });

  it('saving a source through IPC checks it with the core schema, adds its route, and survives a restart', async () => {
    h = await startHarness({ dataDir: dataDirWith([]) });
    const save = h.services.handlers['sources:save']!;
    await expect(save({ source: { id: 'gf', kind: 'grafana', name: 'Grafana', options: { nope: 1 } } } as never)).rejects.toMatchObject({ code: 'sourceInvalid' });
    const view = (await save({ source: { id: 'gf', kind: 'grafana', name: 'Grafana' } } as never)) as { sources: Array<{ id: string }> };
    expect(view.sources.map((s) => s.id)).toEqual(['alertmanager', 'gf']);
    const body = fixtureText('grafana', 'webhook-v1-firing.json');
    expect((await fetch(`${base()}/webhook/gf`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${h.token}` }, body })).status).toBe(200);
    const dir = h.dataDir;
    await h.stop(true);
    h = await startHarness({ dataDir: dir });
    expect(h.services.sources.view().sources.map((s) => s.id)).toEqual(['alertmanager', 'gf']);
    await h.services.handlers['sources:remove']!({ id: 'gf' } as never);
    expect((await fetch(`${base()}/webhook/gf`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${h.token}` }, body })).status).toBe(404);
  });

  it('acknowledging in the app writes back to PagerDuty and puts the result on the page timeline', async () => {
    fake = await startVendorFake();
    const incidents = fixtureJson<{ incidents: Array<{ id: string; status: string }> }>('pagerduty', 'incidents-page-1.json').incidents.filter((i) => i.status === 'triggered');
    servePagerDuty(fake, { apiKey: API_KEY, incidents });
    h = await startHarness({ dataDir: dataDirWith([{ id: 'pd', kind: 'pagerduty', name: 'PagerDuty', options: { apiBase: fake.base, from: 'oncall@example.com' } }], { 'source.pd.api': API_KEY }) });
    const first = `pd:${incidents[0]!.id}`;
    await vi.waitFor(() => expect(signalIds(h!)).toContain(first), { timeout: 5_000 });
    await h.services.handlers['pages:acknowledge']!({ ids: [first] } as never);
    await vi.waitFor(() => expect(fake!.requests.some((r) => r.method === 'PUT' && r.url.startsWith('/incidents'))).toBe(true), { timeout: 5_000 });
    await vi.waitFor(() => expect(pending(h!).flatMap((d) => d.events).find((e) => e.kind === 'writeBack')).toMatchObject({ pageId: first, detail: expect.stringMatching(/^ack sent to PagerDuty \d\d:\d\d:\d\d ✓$/) }), { timeout: 5_000 });
    expect(incidents[0]!.status).toBe('acknowledged');
  });

  it('Undo after acknowledging: the page fires again, and PagerDuty, which cannot take an ack back, is named on the timeline', async () => {
    fake = await startVendorFake();
    const incidents = fixtureJson<{ incidents: Array<{ id: string; status: string }> }>('pagerduty', 'incidents-page-1.json').incidents.filter((i) => i.status === 'triggered');
    servePagerDuty(fake, { apiKey: API_KEY, incidents });
    h = await startHarness({ dataDir: dataDirWith([{ id: 'pd', kind: 'pagerduty', name: 'PagerDuty', options: { apiBase: fake.base, from: 'oncall@example.com' } }], { 'source.pd.api': API_KEY }) });
    const first = `pd:${incidents[0]!.id}`;
    await vi.waitFor(() => expect(signalIds(h!)).toContain(first), { timeout: 5_000 });
    await h.services.handlers['pages:acknowledge']!({ ids: [first] } as never);
    expect(await h.services.handlers['pages:unacknowledge']!({ ids: [first] } as never)).toEqual({ unacknowledged: 1 });
    // a second Undo of the same page changes nothing
    expect(await h.services.handlers['pages:unacknowledge']!({ ids: [first] } as never)).toEqual({ unacknowledged: 0 });
    expect(h.services.pages.state().pages.get(first)).toMatchObject({ status: 'firing', acknowledgedAt: null });
    expect(pending(h).flatMap((d) => d.commands).map((c) => `${c.type} ${c.ids.join(',')}`)).toEqual([`acknowledge ${first}`, `unacknowledge ${first}`]);
    const writeBacks = () => pending(h!).flatMap((d) => d.events).filter((e) => e.kind === 'writeBack').map((e) => e.detail);
    await vi.waitFor(() => expect(writeBacks()).toHaveLength(2), { timeout: 5_000 });
    expect(writeBacks()[0]).toMatch(/^ack sent to PagerDuty \d\d:\d\d:\d\d ✓$/);
    expect(writeBacks()[1]).toBe('unack to PagerDuty failed: PagerDuty has no way to take an acknowledgement back; it stays acknowledged there');
    expect(fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('an acknowledgement waits out the Undo window: taken back in time it never reaches PagerDuty; kept, it goes out after', async () => {
    fake = await startVendorFake();
    const triggered = fixtureJson<{ incidents: Array<{ id: string; status: string }> }>('pagerduty', 'incidents-page-1.json').incidents.filter((i) => i.status === 'triggered');
    const incidents = [triggered[0]!, { ...triggered[0]!, id: 'PSECOND1' }];
    servePagerDuty(fake, { apiKey: API_KEY, incidents });
    h = await startHarness({ writeBackDelayMs: 1_500, dataDir: dataDirWith([{ id: 'pd', kind: 'pagerduty', name: 'PagerDuty', options: { apiBase: fake.base, from: 'oncall@example.com' } }], { 'source.pd.api': API_KEY }) });
    const [first, second] = [`pd:${incidents[0]!.id}`, `pd:${incidents[1]!.id}`];
    await vi.waitFor(() => expect(signalIds(h!)).toEqual(expect.arrayContaining([first, second])), { timeout: 5_000 });
    await h.services.handlers['pages:acknowledge']!({ ids: [first, second] } as never);
    // the local acknowledgement acts at once
    expect(h.services.pages.state().pages.get(first)?.status).toBe('acknowledged');
    await h.services.handlers['pages:unacknowledge']!({ ids: [first] } as never);
    const puts = () => fake!.requests.filter((r) => r.method === 'PUT').map((r) => r.body);
    await vi.waitFor(() => expect(puts()).toHaveLength(1), { timeout: 5_000 });
    expect(puts()[0]).toContain(incidents[1]!.id);
    expect(puts()[0]).not.toContain(incidents[0]!.id);
    // nothing was sent for the first, so there is nothing to take back and no "unsupported" line
    const written = () => pending(h!).flatMap((d) => d.events).filter((e) => e.kind === 'writeBack').map((e) => e.pageId);
    // the timeline line follows PagerDuty's answer
    await vi.waitFor(() => expect(written()).toEqual([second]), { timeout: 5_000 });
    expect(incidents[0]!.status).toBe('triggered');
  });

  it('quitting inside the Undo window sends the held acknowledgement before main stops', async () => {
    fake = await startVendorFake();
    const triggered = fixtureJson<{ incidents: Array<{ id: string; status: string }> }>('pagerduty', 'incidents-page-1.json').incidents.filter((i) => i.status === 'triggered');
    servePagerDuty(fake, { apiKey: API_KEY, incidents: triggered });
    h = await startHarness({ writeBackDelayMs: 60_000, dataDir: dataDirWith([{ id: 'pd', kind: 'pagerduty', name: 'PagerDuty', options: { apiBase: fake.base, from: 'oncall@example.com' } }], { 'source.pd.api': API_KEY }) });
    const id = `pd:${triggered[0]!.id}`;
    await vi.waitFor(() => expect(signalIds(h!)).toContain(id), { timeout: 5_000 });
    await h.services.handlers['pages:acknowledge']!({ ids: [id] } as never);
    expect(fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    await h.stop();
    h = null;
    expect(fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect(triggered[0]!.status).toBe('acknowledged');
  });

  it('an ack and its Undo right after reach Opsgenie in order, and both outcomes are on the timeline', async () => {
    fake = await startVendorFake();
    const alerts = fixtureJson<{ data: unknown[] }>('opsgenie', 'alerts-page-1.json').data;
    serveOpsgenie(fake, { apiKey: 'genie-key', alerts, pageSize: 50 });
    h = await startHarness({ dataDir: dataDirWith([{ id: 'og', kind: 'opsgenie', name: 'Opsgenie', options: { apiBase: fake.base } }], { 'source.og.api': 'genie-key' }) });
    await vi.waitFor(() => expect(signalIds(h!)).toContain('og:alias-1'), { timeout: 5_000 });
    // no await in between: the Undo's write-back must wait for the ack's
    void h.services.handlers['pages:acknowledge']!({ ids: ['og:alias-1'] } as never);
    void h.services.handlers['pages:unacknowledge']!({ ids: ['og:alias-1'] } as never);
    const writeBacks = () => pending(h!).flatMap((d) => d.events).filter((e) => e.kind === 'writeBack').map((e) => e.detail ?? '');
    await vi.waitFor(() => expect(writeBacks()).toHaveLength(2), { timeout: 5_000 });
    expect(writeBacks().map((d) => d.replace(/\d\d:\d\d:\d\d/, 'hh:mm:ss'))).toEqual(['ack sent to Opsgenie hh:mm:ss ✓', 'unack sent to Opsgenie hh:mm:ss ✓']);
    const posts = fake.requests.filter((r) => r.method === 'POST').map((r) => r.url.split('?')[0]!.split('/').at(-1));
    expect(posts).toEqual(['acknowledge', 'unacknowledge']);
    expect(h.services.pages.state().pages.get('og:alias-1')?.status).toBe('firing');
  });

  it("a quiet source raises P1 'Paging path broken' through the normal path, and its next delivery clears it", async () => {
    let now = Date.parse('2026-11-21T03:00:00Z');
    h = await startHarness({ now: () => now, dataDir: dataDirWith([{ id: 'ga', kind: 'goalert', name: 'GoAlert', deadman: { watch: 'any-delivery', maxSilenceMinutes: 10 } }]) });
    now += 11 * 60_000;
    await h.services.sources.resume();
    const alarm = pending(h).flatMap((d) => d.signals).find((s) => s.id === 'ga:deadman');
    expect(alarm).toMatchObject({ status: 'firing', severity: 'P1', title: 'Paging path broken: GoAlert' });
    expect(h.rec.notifications.some((n) => n.title.includes('Paging path broken: GoAlert'))).toBe(true);
    const body = fixtureText('goalert', 'alert.json');
    expect((await fetch(`${base()}/webhook/ga?token=${h.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(200);
    expect(pending(h).flatMap((d) => d.signals).filter((s) => s.id === 'ga:deadman').map((s) => s.status)).toEqual(['firing', 'resolved']);
  });

  /** A PagerDuty fake with one triggered incident, PA, and the app polling it hourly: the incidents list can be changed between polls. */
  async function pollPagerDuty(firstTitle: string, now?: () => number) {
    fake = await startVendorFake();
    const template = fixtureJson<{ incidents: Array<{ id: string; status: string; title: string }> }>('pagerduty', 'incidents-page-1.json').incidents[0]!;
    const incident = (id: string, title: string) => ({ ...template, id, title, status: 'triggered' });
    const incidents = [incident('PA', firstTitle)];
    servePagerDuty(fake, { apiKey: API_KEY, incidents });
    h = await startHarness({ ...(now ? { now } : {}), dataDir: dataDirWith([{ id: 'pd', kind: 'pagerduty', name: 'PagerDuty', options: { apiBase: fake.base, pollIntervalMs: 3_600_000 } }], { 'source.pd.api': API_KEY }) });
    return { app: h, vendor: fake, incident, incidents };
  }

  it('on resume every polling source polls at once, and what changed while away comes as one digest', async () => {
    const { app, vendor, incident, incidents } = await pollPagerDuty('Before sleep');
    const digests = () => app.rec.notifications.filter((n) => n.pageId === 'catch-up');
    expect(app.services.sources.catchingUp()).toBe(true);
    // starting is a catch-up too: the page found by the first poll
    await vi.waitFor(() => expect(digests()).toHaveLength(1), { timeout: 10_000 });
    expect(digests()[0]!.body).toBe('1 page, 1 still firing');

    // asleep: PA was resolved, PB and PC fired
    incidents.splice(0, 1, incident('PB', 'While asleep 1'), incident('PC', 'While asleep 2'));
    const polls = vendor.requests.filter((r) => r.method === 'GET').length;
    await app.services.sources.resume();
    expect(vendor.requests.filter((r) => r.method === 'GET').length).toBe(polls + 1);
    // a live webhook during the catch-up rings on its own, and is not part of "while you were away"
    expect(app.services.sources.catchingUp()).toBe(true);
    expect((await app.post(JSON.stringify(fixtureJson('alertmanager', 'webhook-firing.json')))).status).toBe(200);
    expect(app.rec.notifications.filter((n) => n.pageId.startsWith('alertmanager:'))).toHaveLength(1);
    await vi.waitFor(() => expect(digests()).toHaveLength(2), { timeout: 10_000 });
    expect(digests()[1]).toMatchObject({ title: 'While you were away', body: '3 pages, 2 still firing' });
    // what the poll brought rang only as the digest
    expect(app.rec.notifications.filter((n) => ['pd:PB', 'pd:PC'].includes(n.pageId))).toEqual([]);
    expect(app.services.pages.livePages().find((p) => p.id === 'pd:PA')?.status).toBe('resolved');
  });

  it('polls failing 30 s or more (a drop the OS did not report) and working again bring one digest; a shorter failure rings as live', async () => {
    let skew = 0;
    const { app, vendor, incident, incidents } = await pollPagerDuty('Before the drop', () => Date.now() + skew);
    const digests = () => app.rec.notifications.filter((n) => n.pageId === 'catch-up');
    const rang = (id: string) => app.rec.notifications.filter((n) => n.pageId === id);
    const pollNow = () => app.services.router.handle('sources:poll-now', undefined, 'app://test/');
    await vi.waitFor(() => expect(digests()).toHaveLength(1), { timeout: 10_000 });
    await vi.waitFor(() => expect(app.services.sources.catchingUp()).toBe(false), { timeout: 10_000 });

    // the VPN drops: the source cannot be reached for a minute, and the OS still says "online"
    vendor.queue({ status: 503, body: { error: { message: 'Service Unavailable' } } }, (r) => r.method === 'GET');
    await pollNow();
    expect(app.services.sources.view().sources.find((s) => s.id === 'pd')?.state).toBe('failing');
    skew += 60_000;
    incidents.push(incident('PB', 'During the drop 1'), incident('PC', 'During the drop 2'));
    await pollNow();
    await vi.waitFor(() => expect(digests()).toHaveLength(2), { timeout: 10_000 });
    expect(digests()[1]).toMatchObject({ title: 'While you were away', body: '2 pages, 2 still firing' });
    expect([...rang('pd:PB'), ...rang('pd:PC')]).toEqual([]);

    // a failure of a few seconds is no absence: what the next poll finds rings on its own
    await vi.waitFor(() => expect(app.services.sources.catchingUp()).toBe(false), { timeout: 10_000 });
    // an hour on, past the group's coalescing window (a new alert in it would join the last notification)
    skew += 3_600_000;
    vendor.queue({ status: 503, body: { error: { message: 'Service Unavailable' } } }, (r) => r.method === 'GET');
    await pollNow();
    skew += 5_000;
    incidents.push(incident('PD', 'After a blip'));
    await pollNow();
    await vi.waitFor(() => expect(rang('pd:PD')).toHaveLength(1), { timeout: 10_000 });
    expect(app.services.sources.catchingUp()).toBe(false);
    expect(digests()).toHaveLength(2);
  }, 30_000);
});
