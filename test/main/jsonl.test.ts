import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonLines, type BadLine } from '../../src/main/services/jsonl';

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
