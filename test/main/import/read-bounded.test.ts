import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBoundedFile } from '../../../src/main/import/read-bounded';
import { refusal } from './refusal';

const dir = mkdtempSync(path.join(tmpdir(), 'occ-read-bounded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


describe('reading a runbook file, bounded', () => {
  it('reads a regular file whole, also through a symlink, and an empty one', async () => {
    const text = `# Disk full\n\n${'- [ ] Free space\n'.repeat(500)}`;
    writeFileSync(path.join(dir, 'disk.md'), text);
    symlinkSync(path.join(dir, 'disk.md'), path.join(dir, 'link.md'));
    writeFileSync(path.join(dir, 'empty.md'), '');
    expect(new TextDecoder().decode(await readBoundedFile(path.join(dir, 'disk.md'), 1024 * 1024))).toBe(text);
    expect(new TextDecoder().decode(await readBoundedFile(path.join(dir, 'link.md'), 1024 * 1024))).toBe(text);
    expect((await readBoundedFile(path.join(dir, 'empty.md'), 1024)).byteLength).toBe(0);
  });

  it('refuses a file over the limit, a folder, a FIFO and a device, without hanging', async () => {
    writeFileSync(path.join(dir, 'big.md'), 'x'.repeat(2048));
    expect((await refusal(readBoundedFile(path.join(dir, 'big.md'), 1024))).code).toBe('imports.tooLarge');
    expect((await readBoundedFile(path.join(dir, 'big.md'), 2048)).byteLength).toBe(2048); // exactly the limit is fine
    expect((await refusal(readBoundedFile(dir, 1024))).code).toBe('imports.notRegularFile');
    execFileSync('mkfifo', [path.join(dir, 'fifo.md')]);
    expect((await refusal(readBoundedFile(path.join(dir, 'fifo.md'), 1024))).code).toBe('imports.notRegularFile');
    symlinkSync('/dev/urandom', path.join(dir, 'random.md'));
    expect((await refusal(readBoundedFile(path.join(dir, 'random.md'), 1024))).params).toEqual({ file: path.join(dir, 'random.md') });
  });

  it('says when the file is missing, with the system code the library turns into "file missing"', async () => {
    const err = await readBoundedFile(path.join(dir, 'gone.md'), 1024).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
