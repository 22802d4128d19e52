import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startThreadedApp, type ThreadedApp } from './main-thread-host';
import { oneAlertWebhook, postHook, RELAY_SUBSCRIBER_TOKEN, startRelayProcess, tempDir, type RelayProcess } from '../main/relay/relay-process';


const tmp = tempDir('relay-threads-');
let relay: RelayProcess | null = null;
let app: ThreadedApp | null = null;
afterAll(async () => {
  await app?.stop();
  await relay?.kill();
  tmp.remove();
});

// The layout bench/relay.ts measures the latency bar in: if it stops delivering, the figure means nothing.
describe('the app laid out as Electron lays it out (main services on a thread of their own, a plain Chromium window)', () => {
  it('relayed pages ring in main and are stored in the window, with times comparable across threads', async () => {
    relay = await startRelayProcess({ dataDir: tmp.dir });
    const dataDir = path.join(tmp.dir, 'app');
    mkdirSync(path.join(dataDir, 'secrets'), { recursive: true });
    writeFileSync(path.join(dataDir, 'secrets', 'relay.team.token'), RELAY_SUBSCRIBER_TOKEN);
    writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ listener: { host: '127.0.0.1', port: 0 }, relays: [{ id: 'team', name: 'Team relay', mode: 'relay', url: relay.base, channel: 'ops' }] }));
    app = await startThreadedApp({ dataDir });
    const main = app.callMain;
    await vi.waitFor(async () => expect(await main('relayState')).toBe('connected'), { timeout: 20_000, interval: 50 });
    await vi.waitFor(async () => expect(await main('catchingUp')).toBe(false), { timeout: 20_000, interval: 50 });

    const sentAt = new Map<string, number>();
    const send = async (name: string) => {
      sentAt.set(`alertmanager:fp-${name}`, performance.timeOrigin + performance.now());
      expect(await postHook(relay!.base, oneAlertWebhook(name))).not.toBeNull();
    };
    // two while the window is closed, then one with it open
    await send('DiskFull');
    await send('HighLatency');
    await vi.waitFor(async () => expect(await main('livePageCount')).toBe(2), { timeout: 10_000, interval: 20 });
    const window = await app.openWindow('plain');
    await vi.waitFor(async () => expect(await window('storedCount')).toBe(2), { timeout: 30_000, interval: 50 });
    await send('ErrorBudget');
    await vi.waitFor(async () => expect(await window('storedCount')).toBe(3), { timeout: 30_000, interval: 50 });

    const ids = [...sentAt.keys()];
    const notified = await main('notifiedAt', ids);
    ids.forEach((id, i) => {
      // rung after it was sent, on the same clock, and not absurdly later
      expect(notified[i]).toBeGreaterThanOrEqual(sentAt.get(id)!);
      expect(notified[i]! - sentAt.get(id)!).toBeLessThan(10_000);
    });
    // the journals were written (and timed) on main's thread, and the window's IPC went through
    expect(Object.keys(await main('syncFileCalls'))).toEqual(expect.arrayContaining(['outbox.jsonl', 'pager-journal.jsonl']));
    const traffic = await window('traffic');
    expect(traffic['invoke deliveries:pull']).toBeGreaterThan(0);
    expect(traffic['invoke deliveries:confirm']).toBeGreaterThan(0);
  });
});
