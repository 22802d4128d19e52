import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RotaSourceResult, RotaSync } from '../../src/core/ipc-contract';
import type { NotificationContent } from '../../src/core/notification';
import type { Schedule } from '../../src/core/rota/model';
import { setupRota, type RotaDeps } from '../../src/main/features/rota';
import { createImportService } from '../../src/main/import/import-service';
import { createNodeRotaFs, nodeRotaFs } from '../../src/main/services/rota-fs';
import { HOSTILE_RULE, hostileFeed } from './import/hostile';

const ics = readFileSync('test/fixtures/ical/pagerduty-like.ics', 'utf8');

function harness(extra: Partial<RotaDeps> = {}) {
  const results: RotaSourceResult[] = [];
  const waiters: Array<() => void> = [];
  const notifications: NotificationContent[] = [];
  const lines: Array<string | null> = [];
  const rota = setupRota({
    clock: { now: () => Date.now() },
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    fetch,
    fs: nodeRotaFs,
    notifier: { notify: (n) => notifications.push(n) },
    tray: { setAttention: () => undefined, setRotaLine: (l) => lines.push(l) },
    events: {
      emit: (channel, payload) => {
        if (channel === 'rota:source-result') results.push(payload as RotaSourceResult);
        waiters.splice(0).forEach((w) => w());
      },
    },
    logger: { info: () => undefined, error: () => undefined },
    ...extra,
  });
  return {
    rota,
    results,
    notifications,
    lines,
    /** Resolves at the next result matching pred (past ones count). */
    next(pred: (r: RotaSourceResult) => boolean, from = 0): Promise<RotaSourceResult> {
      return new Promise((resolve) => {
        const check = () => {
          const hit = results.slice(from).find(pred);
          if (hit) resolve(hit);
          else waiters.push(check);
        };
        check();
      });
    },
  };
}

const base: RotaSync = { sources: [], schedules: [], me: '', timeZone: 'Europe/Berlin', language: 'en', reminderLeadMinutes: 15 };

describe('rota sources in main', { timeout: 20_000 }, () => {
  let server: Server;
  let url: string;
  const seen: IncomingHttpHeaders[] = [];
  let body = ics;
  let status = 200;
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      if (status !== 200) return void res.writeHead(status).end();
      if (req.headers['if-none-match'] === '"v1"' && body === ics) return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'text/calendar', etag: '"v1"', 'last-modified': 'Sat, 21 Nov 2026 05:00:00 GMT' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/feed.ics`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('polls an iCal feed, then asks with If-None-Match / If-Modified-Since and gets "unchanged"', async () => {
    const h = harness();
    h.rota.handlers['rota:sync']({ ...base, sources: [{ id: 'f1', kind: 'ical', location: url, etag: null, lastModified: null }] });
    const updated = await h.next((r) => r.status === 'updated');
    expect(updated).toMatchObject({ sourceId: 'f1', etag: '"v1"', lastModified: 'Sat, 21 Nov 2026 05:00:00 GMT' });
    if (updated.status !== 'updated') throw new Error('unreachable');
    expect(updated.schedules[0]).toMatchObject({ id: 'f1', name: 'Platform Primary', timeZone: 'Europe/Berlin' });

    // the renderer stored it and tells main the etag it now has
    h.rota.handlers['rota:sync']({ ...base, sources: [{ id: 'f1', kind: 'ical', location: url, etag: '"v1"', lastModified: 'Sat, 21 Nov 2026 05:00:00 GMT' }] });
    const count = h.results.length;
    h.rota.handlers['rota:refresh']({ sourceId: 'f1' });
    expect(await h.next((r) => r.status === 'unchanged', count)).toMatchObject({ sourceId: 'f1' });
    expect(seen.at(-1)).toMatchObject({ 'if-none-match': '"v1"', 'if-modified-since': 'Sat, 21 Nov 2026 05:00:00 GMT' });
    h.rota.stop();
  });

  it('reports HTTP errors and broken iCal on the source, naming the problem', async () => {
    const h = harness();
    status = 404;
    h.rota.handlers['rota:sync']({ ...base, sources: [{ id: 'f2', kind: 'ical', location: url, etag: null, lastModified: null }] });
    expect(await h.next((r) => r.status === 'error')).toMatchObject({ error: `${url}: GET ${url} answered HTTP 404. The rota stored before stays in use.` });
    status = 200;
    body = ics.replace('END:VEVENT', 'BROKEN LINE HERE');
    const count = h.results.length;
    h.rota.handlers['rota:refresh']({ sourceId: 'f2' });
    const err = await h.next((r) => r.status === 'error', count);
    expect(err.status === 'error' && err.error).toMatch(new RegExp(`^${url}: .*line.*The rota stored before stays in use\\.$`, 'i'));
    body = ics;
    h.rota.stop();
  });

  it('reads the rota file from a folder and re-reads it when it changes; a broken edit is an error, not a wipe', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'occ-rota-'));
    writeFileSync(path.join(dir, 'rota.yaml'), readFileSync('test/fixtures/rota.yaml', 'utf8'));
    const h = harness();
    h.rota.handlers['rota:sync']({ ...base, sources: [{ id: 'repo', kind: 'file', location: dir, etag: null, lastModified: null }] });
    const first = await h.next((r) => r.status === 'updated');
    expect(first.status === 'updated' && first.schedules.map((s) => s.id)).toEqual(['repo:platform']);
    const count = h.results.length;
    writeFileSync(path.join(dir, 'rota.yaml'), readFileSync('test/fixtures/rota.yaml', 'utf8').replace('Europe/Berlin', 'Nowhere/Land'));
    const err = await h.next((r) => r.status === 'error', count);
    expect(err.status === 'error' && err.error).toMatch(new RegExp(`^${dir}: .*(Nowhere/Land|unknown time zone)`));
    h.rota.stop();
  });

  it('refuses the Feb-30 feed within the time budget, naming source and rule, in German too', async () => {
    const imports = createImportService({ timeBudgetMs: 1_000 });
    await imports.run('ical', { bytes: new TextEncoder().encode(ics), from: 0, to: 1 }); // a worker already up, as in a running app
    const h = harness({ imports });
    body = hostileFeed;
    const started = performance.now();
    h.rota.handlers['rota:sync']({ ...base, language: 'de', sources: [{ id: 'evil', kind: 'ical', location: url, etag: null, lastModified: null }] });
    const err = await h.next((r) => r.status === 'error');
    expect(performance.now() - started).toBeLessThan(1_900);
    expect(err.status === 'error' && err.error).toMatch(new RegExp(`^${url}: .*${HOSTILE_RULE.replace(/[;=]/g, '.')}.*Der zuvor gespeicherte Dienstplan bleibt in Gebrauch\\.$`));
    expect(h.results.some((r) => r.status === 'updated')).toBe(false); // nothing replaces the stored rota
    body = ics;
    h.rota.stop();
    await imports.stop();
  });

  it('a folder without a rota file says so', async () => {
    const h = harness();
    h.rota.handlers['rota:sync']({ ...base, sources: [{ id: 'empty', kind: 'file', location: mkdtempSync(path.join(tmpdir(), 'occ-empty-')), etag: null, lastModified: null }] });
    expect(await h.next((r) => r.status === 'error')).toMatchObject({ error: expect.stringMatching(/: no rota\.yaml \/ rota\.yml \/ rota\.json in the folder\./) });
    h.rota.stop();
  });
});

describe('bounded rota files', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'occ-rota-fs-'));
  const read = (folder: string, max?: number) => createNodeRotaFs(max).readFirst(folder, ['rota.yaml']);
  const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as { code?: string; params?: Record<string, unknown> });

  it('refuses a rota.yaml linked to /dev/urandom at once instead of reading it', async () => {
    const d = dir();
    symlinkSync('/dev/urandom', path.join(d, 'rota.yaml'));
    const started = performance.now();
    expect(await refusal(read(d))).toMatchObject({ code: 'imports.notRegularFile', params: { file: path.join(d, 'rota.yaml') } });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses a FIFO and a directory named rota.yaml', async () => {
    const fifo = dir();
    execFileSync('mkfifo', [path.join(fifo, 'rota.yaml')]);
    expect(await refusal(read(fifo))).toMatchObject({ code: 'imports.notRegularFile' });
    const folder = dir();
    mkdirSync(path.join(folder, 'rota.yaml'));
    expect(await refusal(read(folder))).toMatchObject({ code: 'imports.notRegularFile' });
  });

  it('refuses a file over the size limit, also behind a symlink, and reads one within it', async () => {
    const d = dir();
    const elsewhere = dir();
    writeFileSync(path.join(elsewhere, 'big.yaml'), Buffer.alloc(2048, 'a'));
    symlinkSync(path.join(elsewhere, 'big.yaml'), path.join(d, 'rota.yaml'));
    expect(await refusal(read(d, 1024))).toMatchObject({ code: 'imports.tooLarge' });
    const file = await read(d, 4096);
    expect(file?.name).toBe('rota.yaml');
    expect(file?.bytes.length).toBe(2048);
  });

  it('shows the refusal on the source in the user\'s words', async () => {
    const d = dir();
    symlinkSync('/dev/zero', path.join(d, 'rota.yaml'));
    const h = harness();
    h.rota.handlers['rota:sync']({ ...base, sources: [{ id: 'zero', kind: 'file', location: d, etag: null, lastModified: null }] });
    expect(await h.next((r) => r.status === 'error')).toMatchObject({
      error: `${d}: ${path.join(d, 'rota.yaml')} is not a regular file (after following links). The rota stored before stays in use.`,
    });
    h.rota.stop();
  });
});

describe('shift reminders and the tray line', () => {
  afterEach(() => vi.useRealTimers());
  const now = Date.parse('2026-01-05T07:30:00Z'); // Monday 08:30 in Berlin
  const schedule: Schedule = {
    id: 'platform',
    name: 'Platform',
    timeZone: 'Europe/Berlin',
    layers: [{ id: 'l', name: '', participants: ['bob', 'alice'], rotation: 'FREQ=DAILY', start: '2026-01-04', handoff: '09:00', restrictions: [] }],
    overrides: [],
    fixedShifts: [],
  };

  it('reminds 15 minutes before my shift and at its end with who follows; the tray says where I stand', () => {
    vi.useFakeTimers({ now });
    const h = harness();
    h.rota.handlers['rota:sync']({ ...base, schedules: [schedule], me: 'alice' });
    expect(h.lines.at(-1)).toBe('Off call; next shift Mon 09:00');
    vi.advanceTimersByTime(14 * 60_000);
    expect(h.notifications).toEqual([]);
    vi.advanceTimersByTime(60_000);
    expect(h.notifications).toEqual([{ title: 'On-call shift in 15 min', body: 'Platform: Mon 09:00 until Tue 09:00', urgency: 'normal', pageId: 'start:platform:1767600000000' }]);
    vi.advanceTimersByTime(15 * 60_000);
    expect(h.lines.at(-1)).toBe('On call until Tue 09:00');
    vi.advanceTimersByTime(24 * 3600_000);
    expect(h.notifications.at(-1)).toMatchObject({ title: 'Your on-call shift ends', body: 'Platform: bob takes over' });
    h.rota.stop();
  });

  it('a sync with an unknown time zone is refused whole: planned reminders and the tray line stay, wake-up does not throw', () => {
    vi.useFakeTimers({ now });
    const h = harness();
    h.rota.handlers['rota:sync']({ ...base, schedules: [schedule], me: 'alice' });
    expect(() => h.rota.handlers['rota:sync']({ ...base, timeZone: 'Not/AZone', schedules: [], me: 'bob' })).toThrow(expect.objectContaining({ code: 'rotaSyncRefused' }));
    expect(() => h.rota.resume()).not.toThrow();
    expect(h.lines.at(-1)).toBe('Off call; next shift Mon 09:00');
    vi.advanceTimersByTime(15 * 60_000);
    expect(h.notifications.map((n) => n.title)).toEqual(['On-call shift in 15 min']);
    h.rota.stop();
  });

  it('the lead time is configurable, a re-sync does not repeat a reminder, and German works', () => {
    vi.useFakeTimers({ now });
    const h = harness();
    h.rota.handlers['rota:sync']({ ...base, schedules: [schedule], me: 'alice', reminderLeadMinutes: 5, language: 'de' });
    vi.advanceTimersByTime(25 * 60_000);
    h.rota.handlers['rota:sync']({ ...base, schedules: [schedule], me: 'alice', reminderLeadMinutes: 5, language: 'de' });
    vi.advanceTimersByTime(5 * 60_000);
    expect(h.notifications.map((n) => n.title)).toEqual(['Bereitschaft beginnt in 5 Min.']);
    expect(h.lines.at(-1)).toBe('Bereitschaft bis Di., 09:00');
    h.rota.stop();
  });
});
