import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../../src/core/errors';
import { BACKUP_FILES, RELAUNCH_FALLBACK_MS, setupBackup } from '../../../src/main/features/reports';
import { startMainServices, type MainServices } from '../../../src/main/services';
import { firingWebhook } from '../../helpers/fixtures';
import { testDataDir } from '../../helpers/main-harness';

const work = mkdtempSync(path.join(tmpdir(), 'occ-restore-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const APP = 'app://test/';
const DATABASE = { format: 'on-call-companion-db', version: 5, createdAt: 1, schema: { pages: 'id' }, tables: { pages: [] } };

/** The real main services, with the dialogs answering the backup file and a recorded relaunch. */
async function startMain(dataDir: string, relaunches: string[], errors: string[] = []): Promise<MainServices> {
  return startMainServices({
    dataDir,
    notifier: { notify: () => undefined },
    tray: { setAttention: () => undefined },
    events: { emit: () => undefined },
    clock: { now: () => Date.now() },
    logger: { info: () => undefined, error: (m) => void errors.push(m) },
    isTrustedSender: (url) => url === APP,
    openExternal: () => undefined,
    saveDialog: async () => path.join(work, 'backup.json'),
    openDialog: async () => path.join(work, 'backup.json'),
    relaunch: () => void relaunches.push(dataDir),
  });
}

async function call(s: MainServices, channel: string, payload?: unknown): Promise<unknown> {
  const r = (await s.router.handle(channel, payload, APP)) as IpcResult<unknown>;
  if (!r.ok) throw Object.assign(new Error(r.error.code), r.error);
  return r.value;
}

function post(s: MainServices, prefix: string): Promise<Response> {
  const { url, token } = s.settings.view().listener;
  return fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(firingWebhook(1, { prefix })) });
}

const titles = (s: MainServices) => s.pages.livePages().map((p) => `${p.title} ${p.status}`).sort();
const files = (dir: string) => Object.fromEntries(BACKUP_FILES.map((f) => [f, existsSync(path.join(dir, f)) ? readFileSync(path.join(dir, f), 'utf8') : null]));

describe('restore takes effect without a manual restart', () => {
  it('main stops writing, writes the backup, relaunches; the new main has the backup’s pages and nothing from after it', async () => {
    const dataDir = testDataDir();
    const relaunches: string[] = [];
    const old = await startMain(dataDir, relaunches);
    try {
      expect((await post(old, 'BeforeBackup')).status).toBe(200);
      await call(old, 'backup:save', { database: JSON.stringify(DATABASE) });
      expect((await post(old, 'AfterBackup')).status).toBe(200);
      expect(titles(old)).toEqual(['AfterBackup0 firing', 'BeforeBackup0 firing']);

      // step 1 only reads and checks: main is untouched until the window has checked the database too
      const before = files(dataDir);
      const { database } = (await call(old, 'backup:restore', {})) as { database: string };
      expect(JSON.parse(database)).toEqual(DATABASE);
      expect(files(dataDir)).toEqual(before);
      expect((await post(old, 'StillPaging')).status).toBe(200);

      await call(old, 'backup:apply');
      const restored = files(dataDir);
      const backup = JSON.parse(readFileSync(path.join(work, 'backup.json'), 'utf8')) as { main: Record<string, string | null> };
      expect(restored['pager-journal.jsonl']).toBe(backup.main['pager-journal.jsonl']);
      expect(restored['pager-state.json']).toBe(backup.main['pager-state.json']);
      expect(existsSync(path.join(dataDir, 'outbox.jsonl'))).toBe(false);

      // everything the old main could still do: a webhook, the window, the tray, the quit
      await expect(post(old, 'TooLate')).rejects.toThrow();
      await expect(call(old, 'settings:regenerate-token')).rejects.toMatchObject({ code: 'restoreInProgress' });
      await expect(call(old, 'pages:acknowledge', { all: true })).rejects.toMatchObject({ code: 'restoreInProgress' });
      old.pages.acknowledgeAll();
      old.alarms.setDoNotDisturb({ until: null });
      expect(relaunches).toEqual([]);

      await call(old, 'backup:relaunch');
      expect(relaunches).toEqual([dataDir]);
      await old.stop();
      expect(files(dataDir)).toEqual(restored);
      // the tray's acknowledgement above never reaches the new main's window
      expect(existsSync(path.join(dataDir, 'outbox.jsonl'))).toBe(false);
    } finally {
      await old.stop();
    }

    // what app.relaunch() starts: a new main on the same data folder
    const fresh = await startMain(dataDir, []);
    try {
      expect(titles(fresh)).toEqual(['BeforeBackup0 firing']);
      expect(fresh.listenerPort()).not.toBeNull();
    } finally {
      await fresh.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a restart without a backup restored first is refused; applying twice writes once', async () => {
    const dir = testDataDir();
    const b = setupBackup({ dataDir: dir, clock: { now: () => 0 }, relaunch: () => undefined });
    await expect(Promise.resolve().then(() => b.handlers['backup:relaunch']())).rejects.toMatchObject({ code: 'backupInvalid' });
    await expect(b.handlers['backup:apply']()).rejects.toMatchObject({ code: 'backupInvalid' });
    expect(b.restoring()).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('if the window never asks, main restarts on its own: a stopped main pages nobody', async () => {
    const dir = testDataDir();
    const file = path.join(work, 'fallback.json');
    writeFileSync(file, JSON.stringify({ format: 'on-call-companion-backup', version: 1, createdAt: 0, database: DATABASE, main: { 'pager-state.json': null } }));
    const due: Array<{ fn: () => void; ms: number }> = [];
    let relaunched = 0;
    let quiesced = 0;
    const b = setupBackup({
      dataDir: dir,
      clock: { now: () => 0 },
      openDialog: async () => file,
      quiesce: async () => void quiesced++,
      relaunch: () => void relaunched++,
      timers: { setTimeout: (fn, ms) => due.push({ fn, ms }), clearTimeout: () => undefined },
    });
    await b.handlers['backup:restore']();
    await b.handlers['backup:apply']();
    await b.handlers['backup:apply']();
    expect(quiesced).toBe(1);
    expect(due.map((d) => d.ms)).toEqual([RELAUNCH_FALLBACK_MS]);
    due[0]!.fn();
    b.handlers['backup:relaunch']();
    expect(relaunched).toBe(1);
    rmSync(dir, { recursive: true, force: true });
  });
});
