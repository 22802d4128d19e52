import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RotaSourceResult } from '../../src/core/ipc-contract';
import { firingWebhook } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/main-harness';
import { HOSTILE_RULE, hostileFeed } from '../main/import/hostile';

/** Issue 6, "main never blocks": webhooks are answered while a hostile feed is being imported. */
describe('imports off main', () => {
  let feedServer: Server;
  let feedUrl: string;
  let h: Harness;
  beforeAll(async () => {
    feedServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/calendar' }).end(hostileFeed));
    await new Promise<void>((r) => feedServer.listen(0, '127.0.0.1', r));
    feedUrl = `http://127.0.0.1:${(feedServer.address() as { port: number }).port}/hostile.ics`;
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
    await new Promise((r) => feedServer.close(r));
  });

  it('answers each webhook within 100 ms while the Feb-30 feed imports, then refuses the feed', async () => {
    const result = () => h.rec.events.find((e) => e.channel === 'rota:source-result' && (e.payload as RotaSourceResult).sourceId === 'hostile')?.payload as RotaSourceResult | undefined;
    // warm the connection and the listener's first-request paths before measuring
    expect((await h.post(JSON.stringify(firingWebhook(1, { prefix: 'Warm' })))).status).toBeLessThan(300);

    await h.services.handlers['rota:sync']({
      sources: [{ id: 'hostile', kind: 'ical', location: feedUrl, etag: null, lastModified: null }],
      schedules: [],
      me: '',
      timeZone: 'Europe/Berlin',
      language: 'en',
      reminderLeadMinutes: 15,
    } as never);

    const latencies: number[] = [];
    for (let i = 0; !result() || latencies.length < 10; i++) {
      const started = performance.now();
      const res = await h.post(JSON.stringify(firingWebhook(3, { prefix: `During${i}-` })));
      latencies.push(performance.now() - started);
      expect(res.status).toBeLessThan(300);
      await new Promise((r) => setTimeout(r, 20)); // webhooks arrive spread out, as from Alertmanager
    }
    console.log(`webhooks answered during the hostile import: ${latencies.length}, slowest ${Math.max(...latencies).toFixed(1)} ms; ${JSON.stringify(result())}`);
    expect(Math.max(...latencies)).toBeLessThan(100);
    const refused = result()!;
    expect(refused.status).toBe('error');
    expect(refused.status === 'error' && refused.error).toContain(feedUrl);
    expect(refused.status === 'error' && refused.error).toContain(HOSTILE_RULE);
  });
});
