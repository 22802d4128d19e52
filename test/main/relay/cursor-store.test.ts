import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
});
