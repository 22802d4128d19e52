import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/main/import/errors';
import { createImportService, defaultWorkerEntry, type ImportService } from '../../../src/main/import/import-service';
import { HOSTILE_RULE, hostileFeed } from './hostile';
import { refusal } from './refusal';

const bytes = (s: string) => new TextEncoder().encode(s);
const ics = readFileSync('test/fixtures/ical/pagerduty-like.ics');
const rotaYaml = readFileSync('test/fixtures/rota.yaml');
const spinEntry = { kind: 'source' as const, file: path.resolve('test/main/import/spin-worker.ts') };
const window = { from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2027-01-01T00:00:00Z') };


describe('the import worker service', { timeout: 20_000 }, () => {
  let service: ImportService | null = null;
  afterEach(async () => {
    await service?.stop();
    service = null;
  });

  it('finds the bundled worker next to main.cjs, else the source entry', () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'occ-dist-main-'));
    writeFileSync(path.join(dist, 'import-worker.cjs'), '');
    expect(defaultWorkerEntry(dist)).toEqual({ kind: 'bundle', file: path.join(dist, 'import-worker.cjs') });
    expect(defaultWorkerEntry(path.resolve('src/main/import'))).toEqual({ kind: 'source', file: path.resolve('src/main/import/import-worker.ts') });
    expect(defaultWorkerEntry(path.resolve('src/main'))).toEqual({ kind: 'source', file: path.resolve('src/main/import/import-worker.ts') });
    expect(() => defaultWorkerEntry(path.resolve('test'))).toThrow(/import worker not found/);
  });

  it('imports an iCal feed and a rota file in the worker', async () => {
    service = createImportService();
    const feed = await service.run('ical', { bytes: new Uint8Array(ics), ...window });
    expect(feed.name).toBe('Platform Primary');
    expect(feed.shifts.length).toBeGreaterThan(0);
    const schedules = await service.run('rota-file', { bytes: new Uint8Array(rotaYaml), fileName: 'rota.yaml' });
    expect(schedules.map((s) => s.id)).toEqual(['platform']);
  });

  it("passes an importer's own refusal through with its text, and the worker keeps serving", async () => {
    service = createImportService();
    const err = await refusal(service.run('rota-file', { bytes: bytes(rotaYaml.toString('utf8').replace('Europe/Berlin', 'Nowhere/Land')), fileName: 'rota.yaml' }));
    expect(err.code).toBe('imports.invalid');
    expect(err.params.message).toMatch(/Nowhere\/Land|unknown time zone/); // the text is core's
    expect(await service.run('rota-file', { bytes: new Uint8Array(rotaYaml), fileName: 'rota.yaml' })).toHaveLength(1);
  });

  it('refuses the Feb-30 feed within the time budget, naming the rule, then imports the next feed', async () => {
    service = createImportService({ timeBudgetMs: 1_000 });
    await service.run('ical', { bytes: new Uint8Array(ics), ...window }); // a worker already up, as in a running app
    const started = performance.now();
    const err = await refusal(service.run('ical', { bytes: bytes(hostileFeed), ...window }));
    const took = performance.now() - started;
    expect(took).toBeLessThan(1_900); // the worker was stopped at the budget, not after minutes
    // stopped by the budget, or refused by the importer's own iteration cap: either names the rule
    expect(`${err.params.rule ?? ''} ${err.params.message ?? ''}`).toContain(HOSTILE_RULE);
    const feed = await service.run('ical', { bytes: new Uint8Array(ics), ...window });
    expect(feed.name).toBe('Platform Primary');
  });

  it('stops a job over its time budget and replaces the worker', async () => {
    service = createImportService({ timeBudgetMs: 300, entry: spinEntry });
    const spinning = ['BEGIN:VCALENDAR', 'X-SPIN:1', 'BEGIN:VTIMEZONE', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'END:VTIMEZONE', 'BEGIN:VEVENT', 'RRULE:FREQ=DAI', ' LY;BYHOUR=9', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    const err = await refusal(service.run('ical', { bytes: bytes(spinning), ...window }));
    expect(err.code).toBe('imports.timeBudget');
    // the event's rule, unfolded; not the time zone's
    expect(err.params).toEqual({ seconds: 0.3, rule: 'FREQ=DAILY;BYHOUR=9' });
    expect(await service.run('rota-file', { bytes: new Uint8Array(rotaYaml), fileName: 'rota.yaml' })).toHaveLength(1);
  });

  it('reports a worker killed for memory as such, and a crashed worker is replaced', async () => {
    service = createImportService({ timeBudgetMs: 20_000, maxOldGenerationSizeMb: 32, entry: spinEntry });
    const oom = await refusal(service.run('rota-file', { bytes: bytes('x: 1\n'), fileName: 'hog.yaml' }));
    expect(oom.code).toBe('imports.memoryBudget');
    expect(oom.params.megabytes).toBe(32);
    const crashed = await refusal(service.run('rota-file', { bytes: bytes('x: 1\n'), fileName: 'exit.yaml' }));
    expect(crashed.code).toBe('imports.crashed');
    expect(await service.run('rota-file', { bytes: new Uint8Array(rotaYaml), fileName: 'rota.yaml' })).toHaveLength(1);
  });

  it('queues jobs in order on one worker and refuses what is still queued at stop', async () => {
    service = createImportService({ workers: 1 });
    const a = service.run('rota-file', { bytes: new Uint8Array(rotaYaml), fileName: 'rota.yaml' });
    const b = service.run('ical', { bytes: new Uint8Array(ics), ...window });
    expect((await a).length).toBe(1);
    expect((await b).name).toBe('Platform Primary');
    const c = service.run('ical', { bytes: new Uint8Array(ics), ...window });
    const stopping = service.stop();
    expect((await refusal(c)).code).toBe('imports.crashed');
    await stopping;
    expect((await refusal(service.run('ical', { bytes: new Uint8Array(ics), ...window }))).code).toBe('imports.crashed');
  });

  it('runs two jobs at once on two workers: a runaway job on one does not hold up the other', async () => {
    service = createImportService({ timeBudgetMs: 1_500, entry: spinEntry, workers: 2 });
    const rota = () => service!.run('rota-file', { bytes: new Uint8Array(rotaYaml), fileName: 'rota.yaml' });
    await Promise.all([rota(), rota()]); // both workers up, as in a running app
    const spinning = service.run('ical', { bytes: bytes('BEGIN:VCALENDAR\r\nX-SPIN:1\r\nEND:VCALENDAR'), ...window });
    const order: string[] = [];
    const settled = spinning.then(
      () => order.push('spin'),
      () => order.push('spin'),
    );
    const schedules = await rota();
    order.push('rota');
    expect(schedules.map((s) => s.id)).toEqual(['platform']);
    expect((await refusal(spinning)).code).toBe('imports.timeBudget');
    await settled;
    expect(order).toEqual(['rota', 'spin']);
    // the spinning worker was replaced; both serve again
    const both = await Promise.all([rota(), rota()]);
    expect(both.map((s) => s.length)).toEqual([1, 1]);
  });

  it('a worker that crashes fails only its own job; the job on the other worker completes', async () => {
    service = createImportService({ timeBudgetMs: 20_000, entry: spinEntry, workers: 2 });
    const [crashed, fine] = await Promise.allSettled([
      service.run('rota-file', { bytes: bytes('x: 1\n'), fileName: 'exit.yaml' }),
      service.run('rota-file', { bytes: new Uint8Array(rotaYaml), fileName: 'rota.yaml' }),
    ]);
    expect(crashed.status === 'rejected' && (crashed.reason as ImportError).code).toBe('imports.crashed');
    expect(fine.status === 'fulfilled' && fine.value.map((s) => s.id)).toEqual(['platform']);
  });

  it('a job asked for with first overtakes those still waiting, not the one running', async () => {
    service = createImportService({ workers: 1 });
    const order: string[] = [];
    const job = (name: string, first = false) => service!.run('rota-file', { bytes: new Uint8Array(rotaYaml), fileName: 'rota.yaml' }, { first }).then(() => order.push(name));
    await Promise.all([job('a'), job('b'), job('c'), job('urgent', true)]);
    expect(order).toEqual(['a', 'urgent', 'b', 'c']);
  });

  it('parses runbooks on workers of their own: a feed or rota import does not wait behind a runbook job', async () => {
    service = createImportService({ timeBudgetMs: 1_500, entry: spinEntry, workers: 1 });
    const rota = () => service!.run('rota-file', { bytes: new Uint8Array(rotaYaml), fileName: 'rota.yaml' });
    const runbook = (text: string) => service!.run('runbook', { bytes: bytes(text), path: 'x.md', url: null });
    // both kinds of worker up, as in a running app
    const [, parsed] = await Promise.all([rota(), runbook('# Ready\n\n1. Go\n')]);
    expect(parsed.title).toBe('Ready');
    const order: string[] = [];
    const spinning = runbook('# Runaway X-SPIN\n');
    const settled = spinning.then(
      () => order.push('runbook'),
      () => order.push('runbook'),
    );
    expect(await rota()).toHaveLength(1);
    order.push('rota');
    expect((await refusal(spinning)).code).toBe('imports.timeBudget');
    await settled;
    expect(order).toEqual(['rota', 'runbook']);
  });
});
