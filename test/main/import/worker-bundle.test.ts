import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/main/import/errors';
import { createImportService, defaultWorkerEntry, type ImportService } from '../../../src/main/import/import-service';
import { packRunbookBatch } from '../../../src/main/import/jobs';
import { DEFAULT_SEVERITY_MAPPING } from '../../../src/core/severity';
import { firingWebhook } from '../../helpers/fixtures';

// What ships: the worker as scripts/build.mjs bundles it (into a scratch folder, not dist/),
// found next to "main.cjs" and run without tsx.
describe('the bundled import worker', { timeout: 60_000 }, () => {
  let dir: string;
  let service: ImportService;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'occ-worker-bundle-'));
    execFileSync(process.execPath, ['scripts/build.mjs', 'import-worker', dir], { stdio: 'pipe' });
    service = createImportService({ entry: defaultWorkerEntry(dir) });
  });
  afterAll(async () => {
    await service?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is found as the bundle and imports a feed and a rota file', async () => {
    expect(defaultWorkerEntry(dir)).toEqual({ kind: 'bundle', file: path.join(dir, 'import-worker.cjs') });
    const feed = await service.run('ical', { bytes: new Uint8Array(readFileSync('test/fixtures/ical/pagerduty-like.ics')), from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2027-01-01T00:00:00Z') });
    expect(feed.name).toBe('Platform Primary');
    const schedules = await service.run('rota-file', { bytes: new Uint8Array(readFileSync('test/fixtures/rota.yaml')), fileName: 'rota.yaml' });
    expect(schedules.map((s) => s.id)).toEqual(['platform']);
  });

  it('starts warm, before any job, and parses a batch of runbooks with one outcome per file', async () => {
    service.warm?.();
    const enc = (s: string) => new TextEncoder().encode(s);
    const outcomes = await service.run('runbooks', packRunbookBatch([
      { path: 'kubernetes/KubePodCrashLooping.md', bytes: enc('---\ntitle: Pod crash looping\n---\n## Mitigation\n1. Roll back\n') },
      { path: 'bad.md', bytes: enc('\u0000') },
      { path: 'disk.md', url: 'https://x.dev/disk.md', bytes: enc('# Disk full\n\n- [ ] Free space\n') },
    ]));
    expect(outcomes.map((o) => (o.ok ? [o.runbook.path, o.runbook.title, o.runbook.url] : [o.error.code, o.error.params]))).toEqual([
      ['kubernetes/KubePodCrashLooping.md', 'Pod crash looping', null],
      ['binary', { path: 'bad.md' }],
      ['disk.md', 'Disk full', 'https://x.dev/disk.md'],
    ]);
  });

  it('after the warm start, a big webhook is parsed by the general worker it started', async () => {
    service.warm?.();
    const body = JSON.stringify(firingWebhook(600, { kube: true }));
    expect(body.length).toBeGreaterThan(256 * 1024);
    const parsed = await service.run('alertmanager-webhook', { bytes: new TextEncoder().encode(body), mapping: DEFAULT_SEVERITY_MAPPING });
    expect(parsed.signals).toHaveLength(600);
    expect(parsed.signals[0]).toMatchObject({ status: 'firing', severity: 'P1' });
  });

  it("passes the importer's refusal through with its code", async () => {
    const err = await service.run('rota-file', { bytes: new TextEncoder().encode('schedules: []\n'), fileName: 'rota.yaml' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).params).toMatchObject({ jobError: 'RotaImportError' });
  });
});
