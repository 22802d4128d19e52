import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
