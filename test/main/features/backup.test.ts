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

  it('secrets go into a backup only when asked, sealed under the passphrase; restoring needs the same passphrase', async () => {
    const memory = (init: Record<string, string>) => {
      const m = new Map(Object.entries(init));
      return { map: m, names: () => [...m.keys()], get: (n: string) => m.get(n) ?? null, set: (n: string, v: string) => void m.set(n, v) };
    };
    const from = dataDir('laptop-s', { 'config.json': '{"version":2}' });
    const here = memory({ 'listener-token': 'TOKEN-0123456789abcdef', 'source.pd.api': 'PD-API-KEY-9876' });
    let file = '';
    const a = setupBackup({ dataDir: from, clock: { now: () => 0 }, saveDialog: async (name) => (file = path.join(root, `s-${name}`)), secrets: here });
    // too short a passphrase writes nothing
    await expect(a.handlers['backup:save']({ database: '{}', passphrase: 'short' })).rejects.toMatchObject({ code: 'backupPassphraseShort' });
    expect(file).toBe('');
    await a.handlers['backup:save']({ database: '{}', passphrase: 'correct horse battery' });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('TOKEN-0123456789abcdef');
    expect(text).not.toContain('PD-API-KEY-9876');
    expect(JSON.parse(text).secrets).toMatchObject({ kdf: 'scrypt' });

    const to = dataDir('laptop-t', { 'config.json': '{"version":2,"mine":true}' });
    const there = memory({});
    const b = () => setupBackup({ dataDir: to, clock: { now: () => 0 }, openDialog: async () => file, secrets: there });
    // without the passphrase, or with a wrong one, nothing is restored
    await expect(b().handlers['backup:restore']({})).rejects.toMatchObject({ code: 'backupNeedsPassphrase' });
    await expect(b().handlers['backup:restore']({ passphrase: 'correct horse battery staple' })).rejects.toMatchObject({ code: 'backupWrongPassphrase' });
    // a changed byte in the sealed secrets is caught the same way
    const tampered = JSON.parse(text) as { secrets: { data: string } };
    tampered.secrets.data = Buffer.from(Buffer.from(tampered.secrets.data, 'base64').map((x, i) => (i === 0 ? x ^ 1 : x))).toString('base64');
    const tamperedFile = path.join(root, 's-tampered.json');
    writeFileSync(tamperedFile, JSON.stringify(tampered));
    await expect(setupBackup({ dataDir: to, clock: { now: () => 0 }, openDialog: async () => tamperedFile, secrets: there }).handlers['backup:restore']({ passphrase: 'correct horse battery' })).rejects.toMatchObject({ code: 'backupWrongPassphrase' });
    expect(there.map.size).toBe(0);
    expect(readFileSync(path.join(to, 'config.json'), 'utf8')).toBe('{"version":2,"mine":true}');
    // the right one brings them back, into this machine's store, when main applies the restore
    const ok = b();
    await ok.handlers['backup:restore']({ passphrase: 'correct horse battery' });
    expect(there.map.size).toBe(0);
    await ok.handlers['backup:apply']();
    expect(Object.fromEntries(there.map)).toEqual({ 'listener-token': 'TOKEN-0123456789abcdef', 'source.pd.api': 'PD-API-KEY-9876' });
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
