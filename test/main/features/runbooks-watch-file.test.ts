import { mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchSingleFile } from '../../../src/main/features/runbooks';

/**
 * The real watch on a real file. Each change callback reads what the file holds now, and the
 * test waits until a callback has seen the text it wrote: events, not sleeps.
 */
describe('watching one runbook file on disk', () => {
  let dir: string;
  let file: string;
  let stop: () => void = () => undefined;
  const seen: string[] = [];
  let waiters: Array<() => void> = [];
  const read = () => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '<missing>';
    }
  };
  const sees = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => (seen.includes(text) ? resolve() : waiters.push(check));
      check();
    });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'occ-runbook-watch-'));
    file = path.join(dir, 'KubePodCrashLooping.md');
    seen.length = 0;
    waiters = [];
  });
  afterEach(() => {
    stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fires for saves in place, keeps firing after an editor replaces the file by rename, and sees it vanish and come back', async () => {
    writeFileSync(file, 'v1');
    stop = watchSingleFile(file, () => {
      seen.push(read());
      waiters.splice(0).forEach((w) => w());
    });

    writeFileSync(file, 'v2');
    await sees('v2');

    // vim / VS Code safe write: a new file renamed over the old one (a new inode)
    writeFileSync(`${file}.tmp`, 'v3');
    renameSync(`${file}.tmp`, file);
    await sees('v3');

    // the watch now follows the new inode: a plain save is still noticed
    writeFileSync(file, 'v4');
    await sees('v4');

    unlinkSync(file);
    await sees('<missing>');
    writeFileSync(file, 'v5');
    await sees('v5');
    writeFileSync(file, 'v6');
    await sees('v6');
  }, 20_000);

  it('stops firing once closed', async () => {
    writeFileSync(file, 'a');
    const other = path.join(dir, 'sentinel.md');
    writeFileSync(other, 'x');
    let fired = 0;
    const close = watchSingleFile(file, () => fired++);
    close();
    // a second watch on a sibling proves the events were delivered meanwhile
    let sentinel: () => void = () => undefined;
    const delivered = new Promise<void>((resolve) => (sentinel = resolve));
    stop = watchSingleFile(other, () => sentinel());
    writeFileSync(file, 'b');
    writeFileSync(other, 'y');
    await delivered;
    expect(fired).toBe(0);
  }, 20_000);
});
