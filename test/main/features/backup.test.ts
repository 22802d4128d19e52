import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setupBackup, withoutSecrets } from '../../../src/main/features/reports';

const root = mkdtempSync(path.join(tmpdir(), 'occ-backup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function dataDir(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, body] of Object.entries(files)) writeFileSync(path.join(dir, f), body);
  return dir;
}

describe('backup and restore in main', () => {
  it('one file holds the database, config.json without secrets and the page state; restoring it elsewhere brings them back', async () => {
    const config = { version: 1, listener: { host: '127.0.0.1', port: 9797, token: 'SECRET-TOKEN' }, relays: [{ id: 'r', apiKey: 'k' }], coalesceSeconds: 15 };
    const from = dataDir('laptop-a', {
      'config.json': JSON.stringify(config),
      'pager-state.json': '{"pages":[{"id":"p1"}]}',
      'pager-journal.jsonl': '{"seq":1}\n',
      secrets: 'never in a backup',
    });
    let file = '';
    const a = setupBackup({ dataDir: from, clock: { now: () => Date.parse('2026-11-21T10:00:00Z') }, saveDialog: async (name) => (file = path.join(root, name)) });
    expect(await a.handlers['backup:save']({ database: '{"format":"on-call-companion-db","tables":{"pages":[{"id":"p1"}]}}' })).toEqual({ path: path.join(root, 'on-call-companion-backup-2026-11-21.json') });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('SECRET-TOKEN');
    expect(text).not.toContain('never in a backup');
    expect(text).not.toContain('apiKey');

    // another laptop, with a journal of its own that must not replay over the restored state
    const to = dataDir('laptop-b', { 'pager-journal.jsonl': '{"seq":99}\n' });
    const fromA = JSON.parse(text) as { main: Record<string, string | null> };
    fromA.main['pager-journal.jsonl'] = null;
    writeFileSync(file, JSON.stringify(fromA));
    const b = setupBackup({ dataDir: to, clock: { now: () => 0 }, openDialog: async () => file });
    const restored = await b.handlers['backup:restore']();
    expect(JSON.parse(restored.database!)).toEqual({ format: 'on-call-companion-db', tables: { pages: [{ id: 'p1' }] } });
    // main's files are written only once the window has checked the database and says go
    expect(existsSync(path.join(to, 'config.json'))).toBe(false);
    await b.handlers['backup:apply']();
    expect(JSON.parse(readFileSync(path.join(to, 'config.json'), 'utf8'))).toEqual({ version: 1, listener: { host: '127.0.0.1', port: 9797 }, relays: [{ id: 'r' }], coalesceSeconds: 15 });
    expect(readFileSync(path.join(to, 'pager-state.json'), 'utf8')).toBe('{"pages":[{"id":"p1"}]}');
    expect(existsSync(path.join(to, 'pager-journal.jsonl'))).toBe(false);
  });

  it('a file that is not a backup is refused before anything is written', async () => {
    const to = dataDir('laptop-c', { 'config.json': '{"version":2}' });
    const bad = path.join(root, 'bad.json');
    for (const body of ['not json', '{"format":"on-call-companion-backup","version":1,"database":{},"main":{"../../etc/passwd":"x"}}', '{"format":"other"}']) {
      writeFileSync(bad, body);
      const b = setupBackup({ dataDir: to, clock: { now: () => 0 }, openDialog: async () => bad });
      await expect(b.handlers['backup:restore']()).rejects.toMatchObject({ code: 'backupInvalid' });
    }
    expect(readFileSync(path.join(to, 'config.json'), 'utf8')).toBe('{"version":2}');
    const cancelled = setupBackup({ dataDir: to, clock: { now: () => 0 }, openDialog: async () => null });
    expect(await cancelled.handlers['backup:restore']()).toEqual({ database: null });
  });

  it('secret-looking keys go at any depth', () => {
    expect(withoutSecrets({ a: [{ password: 1, b: { clientSecret: 2, keep: 3 } }], Token: 'x', ok: true })).toEqual({ a: [{ b: { keep: 3 } }], ok: true });
  });
});
