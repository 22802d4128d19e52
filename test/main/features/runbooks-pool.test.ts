import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunbookResult } from '../../../src/core/runbooks/ipc-schemas';
import { setupRunbooks } from '../../../src/main/features/runbooks';
import { createImportService, type ImportService } from '../../../src/main/import/import-service';

const spinEntry = { kind: 'source' as const, file: path.resolve('test/main/import/spin-worker.ts') };
const manualTimers = { setTimeout: () => null, clearTimeout: () => undefined };
const logger = { info: () => undefined, error: () => undefined };

/** A runbook in one of the styles the issue lists, ~2 KiB, numbered so each is distinct. */
function runbook(i: number): string {
  const fm = i % 2 === 0 ? `---\ntitle: Alert ${i}\naliases: [alias-${i}]\nmatchers:\n  - alertname=Alert${i}\nseverity: ${i % 3 === 0 ? 'critical' : 'warning'}\n---\n` : '';
  const intro = `# Alert${i}\n\n## Meaning\n\n${'Why this alert fires. '.repeat(30)}\n\n`;
  const code = `\`\`\`sh\nkubectl -n ns-${i} logs deploy/svc --since=10m\n\`\`\`\n`;
  switch (i % 4) {
    case 0:
      return `${fm}${intro}## Diagnosis\n\nCheck the dashboards.\n\n${code}\n## Mitigation\n\nRoll back.\n`;
    case 1:
      return `${fm}${intro}## Steps\n\n${[1, 2, 3].map((s) => `${s}. Step ${s}\n   ${code.replace(/\n/g, '\n   ')}`).join('\n')}\n`;
    case 2:
      return `${fm}${intro}## Checklist\n\n- [ ] Task\n  - [ ] Sub-task with \`code\`\n  - [x] Done\n\n<details>raw</details>\n`;
    default:
      return `${fm}${intro}## Mitigation\n\n### Option A\n\n**Restart**\n\n${code}\n### Option B\n\n| a | b |\n| - | - |\n| 1 | 2 |\n`;
  }
}

/** Scans `folder` once from scratch and resolves with main's full result (after the outlines, if any). */
async function fullScan(imports: ImportService, folder: string): Promise<Extract<RunbookResult, { kind: 'folder' }>> {
  let last: ((r: RunbookResult) => void) | null = null;
  const lib = setupRunbooks({ clock: { now: () => 1000 }, timers: manualTimers, fetch, events: { emit: (_c, p) => last?.(p as RunbookResult) }, logger, imports });
  try {
    lib.handlers['runbooks:configure']({ folder, urls: [] });
    for (;;) {
      const r = await new Promise<RunbookResult>((resolve) => (last = resolve));
      if (r.kind !== 'folder') throw new Error(`expected a folder scan, got ${r.kind}`);
      if (!r.runbooks.some((b) => b.outline)) return r;
    }
  } finally {
    lib.stop();
  }
}

describe('a runbook folder parsed by two workers', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'occ-runbooks-pool-'));
  const services: ImportService[] = [];
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });
  const service = (workers: number) => {
    const s = createImportService({ timeBudgetMs: 10_000, entry: spinEntry, workers });
    services.push(s);
    return s;
  };

  it('gives exactly what one worker gives: every runbook, in folder order, and the same problems', async () => {
    const folder = path.join(dir, 'same');
    for (let i = 0; i < 90; i++) {
      mkdirSync(path.join(folder, `team-${i % 3}`), { recursive: true });
      writeFileSync(path.join(folder, `team-${i % 3}`, `Alert${i}.md`), runbook(i));
    }
    writeFileSync(path.join(folder, 'binary.md'), 'PK\u0000\u0003');
    const [one, two] = await Promise.all([fullScan(service(1), folder), fullScan(service(2), folder)]);
    expect(two.runbooks).toHaveLength(90);
    expect(two.runbooks.map((r) => r.path)).toEqual([...two.runbooks.map((r) => r.path)].sort((a, b) => a.localeCompare(b)));
    expect(two.runbooks.filter((r) => r.groups.length > 0)).toHaveLength(90);
    expect(two.problems).toEqual([{ path: 'binary.md', code: 'runbooks.errors.binary', params: { path: 'binary.md' } }]);
    expect(two).toEqual(one);
  }, 60_000);

  it('a worker that dies mid-scan costs only the file that killed it: every other runbook is parsed, the culprit is named', async () => {
    const folder = path.join(dir, 'crash');
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < 60; i++) writeFileSync(path.join(folder, `Alert${String(i).padStart(2, '0')}.md`), i === 37 ? `# Killer X-EXIT\n\n${runbook(i)}` : runbook(i));
    const result = await fullScan(service(2), folder);
    expect(result.runbooks.map((r) => r.path)).toEqual(Array.from({ length: 60 }, (_, i) => `Alert${String(i).padStart(2, '0')}.md`).filter((p) => p !== 'Alert37.md'));
    expect(result.runbooks.every((r) => r.outline === undefined && r.groups.length > 0)).toBe(true);
    expect(result.problems).toEqual([{ path: 'Alert37.md', code: 'imports.crashed', params: { path: 'Alert37.md', reason: 'worker exited with code 3' } }]);
  }, 60_000);
});
