import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SettingsView } from '../../src/core/ipc-contract';
import { capture, firingWebhook } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/main-harness';

describe('IPC router', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());
  const raw = (channel: string, payload?: unknown, sender = 'app://test/') => h.services.router.handle(channel, payload, sender);
  /** The value, or the typed error thrown as an AppError-like object. */
  const call = async (channel: string, payload?: unknown, sender?: string): Promise<unknown> => {
    const r = await raw(channel, payload, sender);
    if (r.ok) return r.value;
    throw Object.assign(new Error(`${r.error.code} ${JSON.stringify(r.error.params)}`), r.error);
  };

  it('refuses an untrusted sender before anything runs, as a typed error', async () => {
    const before = h.token;
    expect(await raw('settings:regenerate-token', undefined, 'https://evil.example/')).toEqual({ ok: false, error: { code: 'ipc.untrusted', params: { sender: 'https://evil.example/' } } });
    expect(h.services.settings.view().listener.token).toBe(before);
  });

  it('refuses an unknown channel and a prototype key', async () => {
    await expect(call('fs:read')).rejects.toMatchObject({ code: 'ipc.unknownChannel', params: { channel: 'fs:read' } });
    await expect(call('__proto__')).rejects.toMatchObject({ code: 'ipc.unknownChannel' });
  });

  it('validates payloads and names the field', async () => {
    await expect(call('settings:set-listener-port', { port: 'x' })).rejects.toMatchObject({ code: 'ipc.invalidPayload', params: { channel: 'settings:set-listener-port', issues: expect.stringMatching(/^port/) } });
    await expect(call('deliveries:confirm', { ids: [1] })).rejects.toThrow(/ids\[0\]/);
    await expect(call('pages:acknowledge', { ids: [] })).rejects.toMatchObject({ code: 'ipc.invalidPayload' });
    await expect(call('shell:open-external', { url: 'file:///etc/passwd' })).rejects.toMatchObject({ code: 'openExternalRefused' });
    expect(h.rec.opened).toEqual([]);
  });

  it('acknowledges through main: the command reaches the outbox, the tray follows, a repeat changes nothing', async () => {
    await h.post(JSON.stringify(capture('webhook-firing.json')));
    expect(await call('pages:acknowledge', { all: true })).toEqual({ acknowledged: 1, ids: ['alertmanager:cdfe032e9f2869d1'] });
    expect(h.rec.tray.at(-1)).toEqual({ unacknowledged: 0, firing: 1 });
    const commands = h.services.outbox.pending().flatMap((d) => d.commands);
    expect(commands).toEqual([{ type: 'acknowledge', ids: ['alertmanager:cdfe032e9f2869d1'], at: expect.any(Number), by: expect.any(String) }]);
    expect(await call('pages:acknowledge', { ids: ['alertmanager:cdfe032e9f2869d1'] })).toEqual({ acknowledged: 0, ids: [] });
  });

  it('opens http(s) links outside the app, passing on only the URL as parsed and re-serialized', async () => {
    await call('shell:open-external', { url: 'https://runbooks.example.com/disk-full' });
    await call('shell:open-external', { url: 'HTTPS://Runbooks.Example.COM/a b?q=<x>' });
    expect(h.rec.opened).toEqual(['https://runbooks.example.com/disk-full', 'https://runbooks.example.com/a%20b?q=%3Cx%3E']);
  });

  it('announces deliveries once until the window pulls, however many arrive meanwhile', async () => {
    const announced = () => h.rec.events.filter((e) => e.channel === 'deliveries:available').length;
    for (let i = 0; i < 3; i++) await h.post(JSON.stringify(firingWebhook(1, { prefix: `A${i}-` })));
    expect(announced()).toBe(1);
    const pulled = (await call('deliveries:pull', { after: null })) as Array<{ id: string }>;
    expect(pulled).toHaveLength(3);
    // after a pull, the next page is announced again
    await h.post(JSON.stringify(firingWebhook(1, { prefix: 'B-' })));
    expect(announced()).toBe(2);
  });

  it('pull → confirm empties the outbox', async () => {
    await h.post(JSON.stringify(capture('webhook-firing.json')));
    const pulled = (await call('deliveries:pull', { after: null })) as Array<{ id: string }>;
    expect(pulled).toHaveLength(1);
    await call('deliveries:confirm', { ids: [pulled[0]!.id] });
    expect(await call('deliveries:pull', { after: null })).toEqual([]);
  });

  it('a new token locks out the old one at once', async () => {
    const old = h.token;
    const view = (await call('settings:regenerate-token')) as { listener: { token: string } };
    expect(view.listener.token).not.toBe(old);
    expect((await h.post(JSON.stringify(capture('webhook-firing.json')))).status).toBe(401);
    expect(h.rec.events.some((e) => e.channel === 'settings:changed')).toBe(true);
  });
});

describe('main restart', () => {
  it('alerts still firing after a restart never ring again, acknowledged or not', async () => {
    const first = await startHarness();
    const hook = JSON.stringify(firingWebhook(3));
    await first.post(hook);
    expect(first.rec.notifications).toHaveLength(1);
    await first.services.router.handle('pages:acknowledge', { ids: ['alertmanager:fp000000000000'] }, 'app://test/');
    await first.stop(true);
    const second = await startHarness({ dataDir: first.dataDir });
    expect((await second.post(hook)).status).toBe(200);
    expect(second.rec.notifications).toEqual([]);
    expect(second.rec.tray.at(-1)).toEqual({ unacknowledged: 2, firing: 3 });
    await second.stop();
  });

  it('deliveries received before a quit are still pending after a restart', async () => {
    const first = await startHarness();
    await first.post(JSON.stringify(capture('webhook-firing.json')));
    await first.stop(true);
    const second = await startHarness({ dataDir: first.dataDir });
    const pending = second.services.outbox.pending();
    expect(pending.map((d) => d.signals[0]!.id)).toEqual(['alertmanager:cdfe032e9f2869d1']);
    expect(second.token).toBe(first.token);
    await second.stop();
  });
});

describe('listener port from Settings', () => {
  it('moves the listener to the new port; a port in use is reported, not silent', async () => {
    const { freePort } = await import('../e2e/peers/process');
    const { createServer } = await import('node:net');
    const h = await startHarness();
    const set = async (port: number) => {
      const r = await h.services.router.handle('settings:set-listener-port', { port }, 'app://test/');
      if (!r.ok) throw new Error(r.error.code);
      return r.value as SettingsView;
    };
    const post = (url: string) =>
      fetch(url, { method: 'POST', headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' }, body: JSON.stringify(capture('webhook-firing.json')) }).then(
        (r) => r.status,
        () => 'refused',
      );

    const target = await freePort();
    const moved = await set(target);
    expect(moved.listener).toMatchObject({ port: target, listening: true, error: null, url: `http://127.0.0.1:${target}/hooks/alertmanager` });
    expect(await post(moved.listener.url)).toBe(200);
    expect(await post(h.url)).toBe('refused');

    const blocker = createServer();
    const busy = await freePort();
    await new Promise<void>((r) => blocker.listen(busy, '127.0.0.1', r));
    const failed = await set(busy);
    expect(failed.listener.listening).toBe(false);
    expect(failed.listener.error).toMatch(new RegExp(`cannot listen on 127.0.0.1:${busy}: .*EADDRINUSE`));
    expect(h.rec.errors.some((e) => e.includes('EADDRINUSE'))).toBe(true);
    await new Promise((r) => blocker.close(r));
    expect((await set(target)).listener.listening).toBe(true);
    await h.stop();
  });
});
