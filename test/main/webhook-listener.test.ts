import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenMatches } from '../../src/main/services/webhook-listener';
import { capture } from '../helpers/fixtures';
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
      { title: 'DiskAlmostFull · P1', body: 'Disk on db-1 is 97% full — db-1:9100', urgency: 'critical', pageId: 'alertmanager:cdfe032e9f2869d1' },
    ]);
    expect(h.services.outbox.pending()).toHaveLength(1);
    expect(h.rec.tray.at(-1)).toEqual({ unacknowledged: 1, firing: 1 });
    expect(h.rec.events.map((e) => e.channel)).toContain('deliveries:available');
  });

  it('does not ring again for a repeat of the same firing alert, but does after it resolved and re-fired', async () => {
    await h.post(firing);
    await h.post(firing);
    expect(h.rec.notifications).toHaveLength(1);
    await h.post(JSON.stringify(capture('webhook-resolved.json')));
    expect(h.rec.notifications).toHaveLength(1);
    await h.post(firing);
    expect(h.rec.notifications).toHaveLength(2);
    expect(h.services.outbox.pending()).toHaveLength(4);
  });

  const bad: Array<[string, () => Promise<Response>, number, RegExp]> = [
    ['no token', () => h.post(firing, { authorization: '' }), 401, /missing Authorization/],
    ['wrong token', () => h.post(firing, { authorization: 'Bearer not-the-token-at-all' }), 401, /wrong bearer token/],
    ['basic auth instead of bearer', () => h.post(firing, { authorization: 'Basic dXNlcjpwYXNz' }), 401, /not a Bearer token/],
    ['invalid JSON', () => h.post('{"version": "4", '), 400, /invalid JSON/],
    ['wrong shape', () => h.post(JSON.stringify({ version: '4', alerts: 'x' })), 422, /not an Alertmanager v4 webhook: .*alerts/],
    ['2 MiB body', () => h.post(Buffer.alloc(2 * 1024 * 1024, 0x20)), 413, /body exceeds 1048576 bytes/],
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

  it('a body that streams past 1 MiB without Content-Length is refused too', async () => {
    const big = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 3; i++) c.enqueue(new Uint8Array(1024 * 1024).fill(0x20));
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
