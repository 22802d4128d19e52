import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { groupSync, readJsonLines, type BadLine } from '../../src/main/services/jsonl';

describe('readJsonLines', () => {
  it('reads lines split across read chunks, and reports torn or garbage lines by number', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'occ-jsonl-')), 'j.jsonl');
    const big = 'x'.repeat(5 * 1024 * 1024); // longer than one read chunk
    writeFileSync(file, `{"a":1}\n\n{"big":"${big}"}\nnot json\n[1,2]\n{"torn":`);
    const values: unknown[] = [];
    const bad: BadLine[] = [];
    readJsonLines(file, (v) => values.push(v), (b) => bad.push(b));
    expect(values).toHaveLength(3);
    expect((values[1] as { big: string }).big).toHaveLength(big.length);
    expect(bad.map((b) => b.line)).toEqual([4, 6]);
  });

  it('a missing file is empty', () => {
    const values: unknown[] = [];
    readJsonLines('/nonexistent/file.jsonl', (v) => values.push(v), () => undefined);
    expect(values).toEqual([]);
  });
});

describe('groupSync (fsyncs off the event loop, by group commit)', () => {
  it('durable() resolves after an fsync that began after every write before it; many writes share a few fsyncs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'occ-group-'));
    const file = path.join(dir, 'j.jsonl');
    const sync = groupSync(file, (err) => {
      throw err;
    });
    // nothing written yet: durable at once
    await sync.durable();
    const fsyncs = vi.spyOn((await import('node:fs')).promises, 'open');
    for (let i = 0; i < 50; i++) {
      appendFileSync(file, `{"i":${i}}\n`);
      sync.wrote();
    }
    await sync.durable();
    // one fsync for the first write, then one for the 49 written while it ran
    expect(fsyncs.mock.calls.length).toBeLessThanOrEqual(2);
    fsyncs.mockRestore();
    const values: unknown[] = [];
    readJsonLines(file, (v) => values.push(v), () => undefined);
    expect(values).toHaveLength(50);
  });

  it('after a failed fsync durable() rejects, and keeps rejecting until the file is rewritten (a later fsync proves nothing)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'occ-group-'));
    const file = path.join(dir, 'j.jsonl');
    // a folder where the journal should be: the fsync cannot open it for writing (tests run as root)
    mkdirSync(file);
    const errors: string[] = [];
    let repairs = 0;
    const sync = groupSync(
      file,
      (err) => errors.push(err.message),
      () => {
        repairs++;
      },
    );
    sync.wrote();
    await expect(sync.durable()).rejects.toThrow(/EISDIR/);
    expect(errors).toEqual([expect.stringMatching(/EISDIR/)]);
    expect(sync.broken()).toBe(true);
    // the disk is fine again and a new line's fsync would succeed: still not durable, the lost lines are not back
    rmSync(file, { recursive: true });
    appendFileSync(file, '{}\n');
    sync.wrote();
    await expect(sync.durable()).rejects.toThrow(/EISDIR/);
    // a durable() while broken asks the owner to rewrite the file; once it has, durable() resolves
    expect(repairs).toBe(1);
    sync.rewritten();
    await expect(sync.durable()).resolves.toBeUndefined();
    expect(sync.broken()).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a journal removed meanwhile (a restore) is not created again by its fsync', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'occ-group-'));
    const file = path.join(dir, 'outbox.jsonl');
    appendFileSync(file, '{}\n');
    const sync = groupSync(file, (err) => {
      throw err;
    });
    sync.wrote();
    rmSync(file);
    await sync.durable();
    expect(existsSync(file)).toBe(false);
  });
});
