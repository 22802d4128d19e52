import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SettingsView } from '../../src/core/ipc-contract';
import { capture } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/main-harness';

describe('IPC router', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());
  const call = (channel: string, payload?: unknown, sender = 'app://test/') => h.services.router.handle(channel, payload, sender);

  it('refuses an untrusted sender before anything runs', async () => {
    await expect(call('settings:regenerate-token', undefined, 'https://evil.example/')).rejects.toThrow(/untrusted sender/);
  });

  it('refuses an unknown channel and a prototype key', async () => {
    await expect(call('fs:read')).rejects.toThrow(/unknown IPC channel/);
    await expect(call('__proto__')).rejects.toThrow(/unknown IPC channel/);
  });

  it('validates payloads and names the field', async () => {
    await expect(call('settings:set-listener-port', { port: 'x' })).rejects.toThrow(/invalid payload for settings:set-listener-port: port/);
    await expect(call('deliveries:confirm', { ids: [1] })).rejects.toThrow(/ids\[0\]/);
    await expect(call('shell:open-external', { url: 'file:///etc/passwd' })).rejects.toThrow(/only http\(s\)/);
    expect(h.rec.opened).toEqual([]);
  });

  it('opens http(s) links outside the app', async () => {
    await call('shell:open-external', { url: 'https://runbooks.example.com/disk-full' });
    expect(h.rec.opened).toEqual(['https://runbooks.example.com/disk-full']);
  });

  it('pull → confirm empties the outbox', async () => {
    await h.post(JSON.stringify(capture('webhook-firing.json')));
    const pulled = (await call('deliveries:pull')) as Array<{ id: string }>;
    expect(pulled).toHaveLength(1);
    await call('deliveries:confirm', { ids: [pulled[0]!.id] });
    expect(await call('deliveries:pull')).toEqual([]);
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
  it('deliveries received before a quit are still pending after a restart', async () => {
    const first = await startHarness();
    await first.post(JSON.stringify(capture('webhook-firing.json')));
    await first.stop(true);
    const second = await startHarness({ dataDir: first.dataDir });
    const pending = (await second.services.router.handle('deliveries:pull', undefined, 'app://test/')) as Array<{ signals: Array<{ id: string }> }>;
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
    const set = (port: number) => h.services.router.handle('settings:set-listener-port', { port }, 'app://test/') as Promise<SettingsView>;
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
