import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWebhookListener, tokenMatches } from '../../src/main/services/webhook-listener';
import { connect } from 'node:net';
import { capture, firingWebhook } from '../helpers/fixtures';
import { failingFsync } from '../helpers/failing-fsync';
import { startHarness, type Harness } from '../helpers/main-harness';

describe('webhook listener (real HTTP on 127.0.0.1)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());

  const firing = JSON.stringify(capture('webhook-firing.json'));

  it('accepts the captured Alertmanager webhook: notifies, queues for the renderer, sets the tray', async () => {
    const res = await h.post(firing);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1 });
    expect(h.rec.notifications).toEqual([
      {
        title: 'DiskAlmostFull · P1',
        body: 'Disk on db-1 is 97% full — db-1:9100',
        urgency: 'critical',
        pageId: 'alertmanager:cdfe032e9f2869d1',
        route: `#/pages/${encodeURIComponent(capture('webhook-firing.json')['groupKey'] as string)}`,
      },
    ]);
    expect(h.services.outbox.pending()).toHaveLength(1);
    expect(h.rec.tray.at(-1)).toEqual({ unacknowledged: 1, firing: 1 });
    expect(h.rec.events.map((e) => e.channel)).toContain('deliveries:available');
  });

  it('does not ring again for a repeat, nor for the stale firing re-sent after its resolve', async () => {
    await h.post(firing);
    await h.post(firing);
    expect(h.rec.notifications).toHaveLength(1);
    await h.post(JSON.stringify(capture('webhook-resolved.json')));
    expect(h.rec.notifications).toHaveLength(1);
    await h.post(firing);
    expect(h.rec.notifications).toHaveLength(1);
    // repeats change nothing, so they are neither delivered nor journaled: the firing and the resolve
    expect(h.services.outbox.pending().map((d) => d.signals.map((s) => s.status))).toEqual([['firing'], ['resolved']]);
  });

  it('tells the window which pages it has never seen, so it can write them without reading first', async () => {
    await h.post(JSON.stringify(firingWebhook(2, { prefix: 'A' })));
    // A1 again, resolved, plus a new A2: only A2 is new
    const second = firingWebhook(3, { prefix: 'A' });
    second.alerts = [{ ...second.alerts[1]!, status: 'resolved', endsAt: '2026-11-21T06:00:00Z' }, second.alerts[2]!];
    await h.post(JSON.stringify(second));
    const [first, next] = h.services.outbox.pending();
    expect(first!.newIds).toEqual(first!.signals.map((s) => s.id));
    expect(first!.newIds).toHaveLength(2);
    expect(next!.signals).toHaveLength(2);
    expect(next!.newIds).toEqual([next!.signals[1]!.id]);
  });

  const bad: Array<[string, () => Promise<Response>, number, RegExp]> = [
    ['no token', () => h.post(firing, { authorization: '' }), 401, /missing Authorization/],
    ['wrong token', () => h.post(firing, { authorization: 'Bearer not-the-token-at-all' }), 401, /wrong bearer token/],
    ['basic auth instead of bearer', () => h.post(firing, { authorization: 'Basic dXNlcjpwYXNz' }), 401, /not a Bearer token/],
    ['invalid JSON', () => h.post('{"version": "4", '), 400, /invalid JSON/],
    ['wrong shape', () => h.post(JSON.stringify({ version: '4', alerts: 'x' })), 422, /not an Alertmanager v4 webhook: .*alerts/],
    ['33 MiB body', () => h.post(Buffer.alloc(33 * 1024 * 1024, 0x20)), 413, /body exceeds 33554432 bytes/],
    ['not JSON content type', () => h.post(firing, { 'content-type': 'text/plain' }), 415, /application\/json/],
    ['GET', () => fetch(h.url, { headers: { authorization: `Bearer ${h.token}` } }), 405, /use POST/],
    ['unknown path', () => fetch(h.url.replace('alertmanager', 'grafana'), { method: 'POST' }), 404, /no webhook at/],
  ];

  it.each(bad)('%s → the right 4xx with a reason, nothing stored, still serving', async (_name, send, status, reason) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toMatch(reason);
    expect(h.services.outbox.pending()).toHaveLength(0);
    expect(h.rec.notifications).toHaveLength(0);
    const ok = await h.post(firing);
    expect(ok.status).toBe(200);
    expect(h.services.outbox.pending()).toHaveLength(1);
  });

  it('401 answers carry WWW-Authenticate: Bearer', async () => {
    const res = await h.post(firing, { authorization: '' });
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('a body that streams past the limit without Content-Length is refused too', async () => {
    const big = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 34; i++) c.enqueue(new Uint8Array(1024 * 1024).fill(0x20));
        c.close();
      },
    });
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.token}` },
      body: big,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(h.services.outbox.pending()).toHaveLength(0);
  });

  it('accepts a 10,000-alert group (over 6 MiB), queues every alert, rings once, and says what Alertmanager left out', async () => {
    const hook = { ...firingWebhook(10_000, { severity: 'warning', kube: true }), truncatedAlerts: 250 };
    const body = JSON.stringify(hook);
    expect(body.length).toBeGreaterThan(6 * 1024 * 1024);
    const res = await h.post(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 10_000 });
    expect(h.rec.notifications).toHaveLength(1);
    expect(h.rec.notifications[0]!.title).toBe('Alert0 +9999 more · P3');
    // handed to the window in slices: drain them all as the window would
    const queued = [];
    for (let batch = h.services.outbox.pending(); batch.length > 0; batch = h.services.outbox.pending()) {
      queued.push(...batch);
      h.services.outbox.confirm(batch.map((d) => d.id));
    }
    expect(queued.reduce((n, d) => n + d.signals.length, 0)).toBe(10_000);
    expect(queued[0]!.groups).toEqual([{ groupKey: hook.groupKey, truncatedAlerts: 250 }]);
  });

  it('counts refusals per route and shows the last one in Settings and the tray until a delivery succeeds', async () => {
    await h.post(firing, { authorization: 'Bearer not-the-token-at-all' });
    await h.post(firing, { authorization: 'Bearer not-the-token-at-all' });
    const route = h.services.settings.view().routes.find((r) => r.path === '/hooks/alertmanager')!;
    expect(route.refusal).toMatchObject({ count: 2, lastStatus: 401, lastReason: 'wrong bearer token' });
    expect(route.lastDeliveredAt).toBeNull();
    expect(h.rec.warnings.at(-1)).toEqual([expect.stringMatching(/^Alertmanager was refused 2 times since \d\d:\d\d: wrong bearer token$/)]);
    expect(h.rec.events.some((e) => e.channel === 'settings:changed')).toBe(true);
    await h.post(firing);
    const after = h.services.settings.view().routes[0]!;
    expect(after.refusal).toBeNull();
    expect(after.lastDeliveredAt).not.toBeNull();
    expect(h.rec.warnings.at(-1)).toEqual([]);
  });

  it('a malformed request target gets 400 before authentication, and the listener keeps serving', async () => {
    const port = h.services.listenerPort()!;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end('POST http://[ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toMatch(/malformed request target/);
    expect((await h.post(firing)).status).toBe(200);
  });

  it('"Send a test page" goes through the real listener and the real notifier', async () => {
    const result = await h.services.handlers['settings:send-test-page'](undefined);
    expect(result).toEqual({ status: 200 });
    expect(h.rec.notifications).toHaveLength(1);
    expect(h.rec.notifications[0]!.title).toBe('OnCallCompanionTestPage · P3');
    expect(h.services.settings.view().routes[0]!.lastDeliveredAt).not.toBeNull();
  });

  it('while fsync fails: the page still rings, the webhook gets 500, an acknowledgement still answers; once the disk is back the retry gets 200 and the journals are whole', async () => {
    const disk = failingFsync();
    try {
      const res = await h.post(firing);
      expect(res.status).toBe(500);
      expect(((await res.json()) as { error: string }).error).toMatch(/EIO/);
      expect(h.rec.notifications).toHaveLength(1);
      expect(await h.services.handlers['pages:acknowledge']!({ ids: ['alertmanager:cdfe032e9f2869d1'] } as never)).toMatchObject({ acknowledged: 1 });
      disk.failing = false;
      // Alertmanager sends the group again: nothing new to journal, yet the lines lost with the failed
      // fsync are rewritten first, so the 200 is true
      expect((await h.post(firing)).status).toBe(200);
      expect(h.rec.notifications).toHaveLength(1);
    } finally {
      disk.restore();
    }
    const dir = h.dataDir;
    await h.stop(true);
    h = await startHarness({ dataDir: dir });
    expect(h.services.pages.state().pages.get('alertmanager:cdfe032e9f2869d1')).toMatchObject({ status: 'acknowledged' });
    expect(h.services.outbox.pending().flatMap((d) => d.signals.map((sig) => sig.id))).toContain('alertmanager:cdfe032e9f2869d1');
  });

  it('binds to 127.0.0.1 only', async () => {
    const other = await fetch(`http://127.0.0.2:${h.services.listenerPort()}/hooks/alertmanager`).then(
      () => 'reachable',
      () => 'unreachable',
    );
    expect(other).toBe('unreachable');
  });
});

describe('tokenMatches', () => {
  it('matches only the exact token, whatever the lengths', () => {
    expect(tokenMatches('secret-token-123456', 'secret-token-123456')).toBe(true);
    expect(tokenMatches('secret-token-12345', 'secret-token-123456')).toBe(false);
    expect(tokenMatches('', 'secret-token-123456')).toBe(false);
    expect(tokenMatches('', '')).toBe(false);
  });
});

describe('webhook listener answers only once the page is on disk', () => {
  const token = 'listener-token';
  const post = (port: number) => fetch(`http://127.0.0.1:${port}/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });

  it('holds the 200 until durable() resolves, and answers 500 (the sender retries) when the fsync failed', async () => {
    let onDisk: () => void = () => undefined;
    let durable: Promise<void> = new Promise<void>((r) => (onDisk = r));
    const taken: string[] = [];
    let asked = 0;
    const listener = createWebhookListener({
      host: '127.0.0.1',
      port: 0,
      token: () => token,
      routes: {
        '/alertmanager': async () => {
          taken.push('page');
          return { accepted: 1 };
        },
      },
      durable: () => {
        asked++;
        return durable;
      },
    });
    const port = await listener.start();
    try {
      let answered = false;
      const res = post(port).then((r) => {
        answered = true;
        return r;
      });
      // the page was taken in and the listener is waiting for the disk: no answer yet
      await vi.waitFor(() => expect(asked).toBe(1));
      expect(taken).toEqual(['page']);
      await new Promise((r) => setImmediate(r));
      expect(answered).toBe(false);
      onDisk();
      expect((await res).status).toBe(200);
      durable = Promise.reject(new Error('EIO: i/o error, fsync'));
      durable.catch(() => undefined);
      const failed = await post(port);
      expect(failed.status).toBe(500);
      expect(((await failed.json()) as { error: string }).error).toMatch(/could not accept the webhook: EIO/);
    } finally {
      await listener.stop();
    }
  });
});
