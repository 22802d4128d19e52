import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RotaSourceResult } from '../../src/core/ipc-contract';
import { firingWebhook } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/main-harness';
import { HOSTILE_RULE, hostileFeed } from '../main/import/hostile';

/** A valid feed of `n` eight-hour shifts, like a big PagerDuty export. */
function bigFeed(n: number): string {
  const stamp = (t: number) => new Date(t).toISOString().replace(/[-:]|\.\d+/g, '');
  const start = Date.parse('2026-01-01T00:00:00Z');
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//occ tests//big//EN', 'X-WR-CALNAME:Big'];
  for (let i = 0; i < n; i++) {
    const s = start + i * 8 * 3600_000;
    lines.push('BEGIN:VEVENT', `UID:e${i}@test`, `DTSTAMP:${stamp(start)}`, `DTSTART:${stamp(s)}`, `DTEND:${stamp(s + 8 * 3600_000)}`, `SUMMARY:On Call - Person ${i % 20} - Big`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

/** Issue 6, "main never blocks": webhooks are answered while a hostile feed is being imported. */
describe('imports off main', () => {
  let feedServer: ChildProcess;
  let feedDir: string;
  let feedUrl: string;
  let h: Harness;
  beforeAll(async () => {
    // the feeds are served by another process, as on the network: main's thread does only main's work
    feedDir = mkdtempSync(path.join(tmpdir(), 'occ-feeds-'));
    writeFileSync(path.join(feedDir, 'big.ics'), bigFeed(60_000));
    writeFileSync(path.join(feedDir, 'small.ics'), bigFeed(10));
    writeFileSync(path.join(feedDir, 'hostile.ics'), hostileFeed);
    const serve = `const fs = require('node:fs'), path = require('node:path');
      const server = require('node:http').createServer((req, res) => {
        const file = path.join(process.argv[1], path.basename(req.url));
        if (!fs.existsSync(file)) return res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'text/calendar' }).end(fs.readFileSync(file));
      });
      server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
    feedServer = spawn(process.execPath, ['-e', serve, feedDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<string>((resolve) => createInterface({ input: feedServer.stdout! }).once('line', resolve));
    feedUrl = `http://127.0.0.1:${port}/hostile.ics`;
    h = await startHarness();
    // an app that has been running: the import worker is up and the listener has served before
    await sync('small', feedUrl.replace('hostile.ics', 'small.ics'));
    await webhooksUntil(() => resultOf('small') !== undefined, 3, 'Warm');
    expect(resultOf('small')?.status).toBe('updated');
    let n = 0;
    const baseline = (await webhooksUntil(() => ++n > 50, 50, 'Base')).latencies;
    bar = Math.max(100, 2 * Math.max(...baseline));
    console.log(`baseline without an import: slowest of ${baseline.length} webhooks ${Math.max(...baseline).toFixed(1)} ms; bar ${bar.toFixed(0)} ms`);
  });
  afterAll(async () => {
    await h?.stop();
    feedServer?.kill();
    rmSync(feedDir, { recursive: true, force: true });
  });

  const resultOf = (id: string) => h.rec.events.find((e) => e.channel === 'rota:source-result' && (e.payload as RotaSourceResult).sourceId === id)?.payload as RotaSourceResult | undefined;
  const sync = (id: string, location: string) =>
    h.services.handlers['rota:sync']({
      sources: [{ id, kind: 'ical', location, etag: null, lastModified: null }],
      schedules: [],
      me: '',
      timeZone: 'Europe/Berlin',
      language: 'en',
      reminderLeadMinutes: 15,
    } as never);

  /**
   * The bar for "answered promptly": 100 ms, the figure, unless this machine is so busy
   * (other test files on the same 2 cores) that webhooks with no import running are already slow;
   * then twice that baseline. A main blocked by an import would take seconds either way.
   */
  let bar = 100;

  /** Posts webhooks, spread out as from Alertmanager, until `done` and at least `min` went; their latencies. */
  async function webhooksUntil(done: () => boolean, min: number, tag: string): Promise<{ latencies: number[]; whileImporting: number }> {
    const latencies: number[] = [];
    let whileImporting = 0;
    for (let i = 0; !done() || latencies.length < min; i++) {
      const started = performance.now();
      const res = await h.post(JSON.stringify(firingWebhook(3, { prefix: `${tag}${i}-` })));
      latencies.push(performance.now() - started);
      if (!done()) whileImporting++;
      expect(res.status).toBeLessThan(300);
      await new Promise((r) => setTimeout(r, 20));
    }
    return { latencies, whileImporting };
  }

  it('answers each webhook promptly (100 ms) while the Feb-30 feed imports, then refuses the feed', async () => {
    const result = () => resultOf('hostile');
    await sync('hostile', feedUrl);
    const { latencies } = await webhooksUntil(() => result() !== undefined, 10, 'During');
    console.log(`webhooks answered during the hostile import: ${latencies.length}, slowest ${Math.max(...latencies).toFixed(1)} ms`);
    expect(Math.max(...latencies)).toBeLessThan(bar);
    const refused = result()!;
    expect(refused.status).toBe('error');
    expect(refused.status === 'error' && refused.error).toContain(feedUrl);
    expect(refused.status === 'error' && refused.error).toContain(HOSTILE_RULE);
  });

  // The Feb-30 rule may be refused by the importer itself within milliseconds; a big, valid feed
  // keeps the worker busy for a second or two, whatever the importer's own limits. Parsed on
  // main's thread it would hold every webhook that arrives meanwhile for that long; in the worker
  // none waits for it. (The 100 ms figure is the test above; here, with one core busy parsing,
  // other test files' load on the second core is what the tail measures, so the bar is "not held".)
  it('holds no webhook while a 9 MiB feed of 60,000 events is parsed', async () => {
    await sync('big', feedUrl.replace('hostile.ics', 'big.ics'));
    const started = performance.now();
    const { latencies, whileImporting } = await webhooksUntil(() => resultOf('big') !== undefined, 10, 'Big');
    console.log(`webhooks during a ${(performance.now() - started).toFixed(0)} ms import of 60,000 events: ${whileImporting} of ${latencies.length} before it ended, slowest ${Math.max(...latencies).toFixed(1)} ms, outcome ${resultOf('big')!.status}`);
    expect(whileImporting).toBeGreaterThanOrEqual(5); // they really overlapped the import
    const sorted = [...latencies].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(bar); // typically prompt
    expect(sorted.at(-1)).toBeLessThan(Math.max(500, 2 * bar)); // and none held for the parse
  });
});
