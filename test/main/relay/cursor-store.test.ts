import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileCursorStore } from '../../../src/main/relay';

const dir = mkdtempSync(path.join(os.tmpdir(), 'relay-cursor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file cursor store', () => {
  it('keeps the last stored id across instances (restarts)', async () => {
    const file = path.join(dir, 'a', 'cursor');
    expect(await fileCursorStore(file).load()).toBeNull();
    await fileCursorStore(file).save('1732190000000-4');
    expect(await fileCursorStore(file).load()).toBe('1732190000000-4');
  });

  it('treats a damaged file as "no cursor" rather than sending garbage as Last-Event-ID', async () => {
    const file = path.join(dir, 'broken');
    writeFileSync(file, '17321900\u0000garbage');
    expect(await fileCursorStore(file).load()).toBeNull();
  });

  it('saves in quick succession land in order: the file ends with the last id, whole, and no temporary file is left', async () => {
    const sub = path.join(dir, 'burst');
    const file = path.join(sub, 'cursor');
    const store = fileCursorStore(file);
    const ids = Array.from({ length: 40 }, (_, i) => `1732190000000-${i}`);
    await Promise.all(ids.map((id) => store.save(id)));
    expect(readFileSync(file, 'utf8')).toBe(ids.at(-1));
    expect(readdirSync(sub)).toEqual(['cursor']);
  });

  it('a failed write rejects, keeps the last good id on disk, and the next write still works', async () => {
    const file = path.join(dir, 'failing', 'cursor');
    const store = fileCursorStore(file);
    await store.save('1732190000000-1');
    // the temporary file cannot be created while its name is taken by a folder
    const blocker = `${file}.${process.pid}.1.tmp`;
    mkdirSync(blocker);
    await expect(store.save('1732190000000-2')).rejects.toThrow();
    expect(await fileCursorStore(file).load()).toBe('1732190000000-1');
    await store.save('1732190000000-3');
    expect(await fileCursorStore(file).load()).toBe('1732190000000-3');
  });
});
