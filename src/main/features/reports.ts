import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppError } from '../../core/errors';
import type { ReportSave } from '../../core/reports/ipc-schemas';
import { writeFileAtomic } from '../services/atomic-file';
import { openSecrets, sealSecrets, type SealedSecrets } from '../services/backup-secrets';

/** Turns a self-contained HTML report into PDF bytes (Electron's printToPDF; Chromium's page.pdf in tests). */
export type PdfRenderer = (html: string) => Promise<Uint8Array>;
/** Asks the user where to save (Electron's save dialog); null when cancelled. */
export type SaveDialog = (suggestedName: string, format: ReportSave['format']) => Promise<string | null>;

/** What report exports need from the platform. */
export interface ReportsDeps {
  renderPdf?: PdfRenderer;
  saveDialog?: SaveDialog;
}

const EXTENSIONS: Record<ReportSave['format'], string> = { markdown: '.md', html: '.html', pdf: '.pdf', json: '.json' };

/** A file name safe on every desktop file system, with the format's extension. */
export function reportFileName(name: string, format: ReportSave['format']): string {
  const base = name
    .replace(/\.(md|html|pdf|json)$/i, '')
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
  return `${base || 'report'}${EXTENSIONS[format]}`;
}

/**
 * Writes next to the target and renames over it, so a full disk or a cut-off write never leaves a
 * half report where the old one was. Errors name the path and the reason.
 */
export async function writeReportFile(target: string, bytes: Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    await fs.promises.writeFile(tmp, bytes, { flag: 'w' });
    await fs.promises.rename(tmp, target);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    const e = err as NodeJS.ErrnoException;
    throw new AppError('reportSaveFailed', { path: target, reason: e.code ?? e.message }, `cannot save ${target}: ${e.message}`);
  }
}

/** Report exports in main: PDF rendering from the report's HTML, and saving through the save dialog. */
export function setupReports(deps: ReportsDeps) {
  async function toBytes(req: ReportSave): Promise<Uint8Array> {
    if (req.format !== 'pdf') return new TextEncoder().encode(req.content);
    if (!deps.renderPdf) throw new AppError('reportPdfUnavailable', {}, 'PDF export is not available here');
    try {
      return await deps.renderPdf(req.content);
    } catch (err) {
      throw new AppError('reportPdfFailed', { reason: (err as Error).message.slice(0, 300) }, `PDF rendering failed: ${(err as Error).message}`);
    }
  }
  return {
    handlers: {
      'reports:save': async (req: ReportSave): Promise<{ path: string | null }> => {
        const name = reportFileName(req.fileName, req.format);
        // render first: a PDF that cannot be made is said before the user picks a place for it
        const bytes = await toBytes(req);
        const target = deps.saveDialog ? await deps.saveDialog(name, req.format) : null;
        if (target === null) return { path: null };
        await writeReportFile(target, bytes);
        return { path: target };
      },
    },
  };
}

/** The files of the data folder a backup carries: config and main's live page state. Secrets never. */
export const BACKUP_FILES = ['config.json', 'pager-state.json', 'pager-journal.jsonl'] as const;
/** A backup larger than this is refused unread. */
export const MAX_BACKUP_BYTES = 512 * 1024 * 1024;
const SECRET_KEY = /token|secret|password|passphrase|api[-_]?key|credential/i;

/** Drops every key that looks like a secret, at any depth (a v1 config.json still carried the token). */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => !SECRET_KEY.test(k)).map(([k, v]) => [k, withoutSecrets(v)]));
}

/** What backup and restore need: the data folder, the dialogs, and a way to stop and restart main. */
export interface BackupDeps {
  dataDir: string;
  saveDialog?: SaveDialog;
  /** Asks for a file to open (Electron's open dialog); null when cancelled. */
  openDialog?: () => Promise<string | null>;
  clock: { now(): number };
  /**
   * Stops every writer of the data folder for good without saving what it holds (pager store,
   * listener, sources, timers): main's state in memory is the state the restore replaces.
   */
  quiesce?: () => Promise<void>;
  /** Starts the app afresh so the restored files are read (Electron: app.relaunch(); app.exit(0)). */
  relaunch?: () => void;
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  /** The secret store (webhook token, source and relay secrets), for a backup that includes them. */
  secrets?: { names(): string[]; get(name: string): string | null; set(name: string, value: string): void };
}

/**
 * If the window never asks for the restart after a restore (it crashed), main restarts after this
 * long anyway. Long enough for the window to swap in a database of 100,000 pages on a slow laptop:
 * restarting mid-swap would leave the window's old data beside main's restored state.
 */
export const RELAUNCH_FALLBACK_MS = 5 * 60_000;
/** Files of the data folder that hold pages from after the backup and go on a restore. */
export const RESTORE_CLEARS = ['outbox.jsonl'] as const;

/** The one backup file: the window's database, and main's files as text. */
export interface BackupFile {
  format: 'on-call-companion-backup';
  version: 1;
  createdAt: number;
  database: unknown;
  main: Record<string, string | null>;
  /** Only when the user asked for them: the secrets, sealed under their passphrase. */
  secrets?: SealedSecrets;
}

function parseBackup(text: string): BackupFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new AppError('backupInvalid', { reason: (err as Error).message.slice(0, 200) });
  }
  const b = data as Partial<BackupFile> | null;
  if (!b || b.format !== 'on-call-companion-backup' || b.version !== 1 || typeof b.main !== 'object' || b.main === null || b.database === undefined) {
    throw new AppError('backupInvalid', { reason: 'not an On-Call Companion backup' });
  }
  for (const [name, body] of Object.entries(b.main)) {
    if (!(BACKUP_FILES as readonly string[]).includes(name) || (body !== null && typeof body !== 'string')) throw new AppError('backupInvalid', { reason: `unexpected entry ${name.slice(0, 60)}` });
  }
  return b as BackupFile;
}

/**
 * Backup and restore of everything the app keeps. Backup: the renderer's database export plus
 * config.json (secrets removed) and main's page state, in one file through the save dialog.
 * Restore, in three steps so nothing is written until everything was checked:
 * `backup:restore` reads and checks the file whole and hands the database to the window, which
 * checks and upgrades it on the side; `backup:apply` then stops every writer in main (so its old
 * state can never be written over the restored files) and writes main's files; the window swaps
 * in its database and asks for `backup:relaunch`. The app starts afresh from the restored files.
 */
export function setupBackup(deps: BackupDeps) {
  const read = async (name: string) => fs.promises.readFile(path.join(deps.dataDir, name), 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
  let pending: BackupFile | null = null;
  let pendingSecrets: Record<string, string> = {};
  let applied = false;
  let relaunched = false;
  let fallback: unknown = null;
  /** Main's files exactly as the backup has them; synchronous, so nothing runs in between. */
  const writeRestoredFiles = (backup: BackupFile) => {
    for (const name of RESTORE_CLEARS) fs.rmSync(path.join(deps.dataDir, name), { force: true });
    for (const name of BACKUP_FILES) {
      const body = backup.main[name] ?? null;
      // a file the backup did not have must not survive either: an old journal would replay over the restored state
      if (body === null) fs.rmSync(path.join(deps.dataDir, name), { force: true });
      else writeFileAtomic(path.join(deps.dataDir, name), body);
    }
    // secrets go through the store, so they are sealed with this machine's keychain again
    for (const [name, value] of Object.entries(pendingSecrets)) deps.secrets?.set(name, value);
  };
  const relaunch = () => {
    if (relaunched) return;
    relaunched = true;
    if (fallback !== null) deps.timers?.clearTimeout(fallback);
    try {
      // once more right before the exit: a tray click since apply (acknowledge, Do Not Disturb) may have written
      if (pending) writeRestoredFiles(pending);
    } catch {
      // apply wrote them already and said so if it could not; restarting beats a stopped pager
    }
    deps.relaunch?.();
  };
  return {
    /** True once a restore has begun replacing main's files: main then answers nothing but the restart. */
    restoring: () => applied,
    handlers: {
      'backup:save': async ({ database, passphrase }: { database: string; passphrase?: string }): Promise<{ path: string | null }> => {
        const main: Record<string, string | null> = {};
        for (const name of BACKUP_FILES) main[name] = await read(name);
        if (main['config.json']) {
          try {
            main['config.json'] = JSON.stringify(withoutSecrets(JSON.parse(main['config.json'])), null, 2);
          } catch {
            // a broken config is backed up as it is: it holds no secrets in a form worth parsing
          }
        }
        const file: BackupFile = { format: 'on-call-companion-backup', version: 1, createdAt: deps.clock.now(), database: JSON.parse(database), main };
        if (passphrase !== undefined) {
          const values: Record<string, string> = {};
          for (const name of deps.secrets?.names() ?? []) {
            const value = deps.secrets!.get(name);
            if (value !== null) values[name] = value;
          }
          file.secrets = await sealSecrets(values, passphrase);
        }
        const day = new Date(file.createdAt).toISOString().slice(0, 10);
        const target = deps.saveDialog ? await deps.saveDialog(`on-call-companion-backup-${day}.json`, 'json') : null;
        if (target === null) return { path: null };
        await writeReportFile(target, new TextEncoder().encode(JSON.stringify(file)));
        return { path: target };
      },
      'backup:restore': async ({ passphrase }: { passphrase?: string } = {}): Promise<{ database: string | null }> => {
        const source = deps.openDialog ? await deps.openDialog() : null;
        if (source === null) return { database: null };
        let text: string;
        try {
          const stat = await fs.promises.stat(source);
          if (!stat.isFile() || stat.size > MAX_BACKUP_BYTES) throw new Error(stat.isFile() ? 'too large' : 'not a file');
          text = await fs.promises.readFile(source, 'utf8');
        } catch (err) {
          throw new AppError('backupInvalid', { reason: (err as Error).message.slice(0, 200) });
        }
        const backup = parseBackup(text);
        // secrets are opened before anything else happens: a wrong passphrase changes nothing
        pendingSecrets = backup.secrets === undefined ? {} : await openSecrets(backup.secrets, passphrase);
        pending = backup;
        return { database: JSON.stringify(backup.database) };
      },
      'backup:apply': async (): Promise<void> => {
        if (applied) return;
        const backup = pending;
        if (backup === null) throw new AppError('backupInvalid', { reason: 'no backup was opened' });
        applied = true;
        // a stopped main pages nobody: if the window never asks, restart anyway
        fallback = deps.timers?.setTimeout(relaunch, RELAUNCH_FALLBACK_MS) ?? null;
        await deps.quiesce?.();
        try {
          writeRestoredFiles(backup);
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          throw new AppError('reportSaveFailed', { path: deps.dataDir, reason: e.code ?? e.message }, `cannot restore into ${deps.dataDir}: ${e.message}`);
        }
      },
      'backup:relaunch': (): void => {
        if (!applied) throw new AppError('backupInvalid', { reason: 'no backup was restored' });
        relaunch();
      },
    },
  };
}

/** Refuses every IPC call but the restart once a restore has begun, so no feature writes again. */
export function refuseWhileRestoring<H extends Record<string, (request: never) => unknown>>(handlers: H, restoring: () => boolean): H {
  const allowed = new Set(['backup:apply', 'backup:relaunch']);
  return Object.fromEntries(
    Object.entries(handlers).map(([channel, handler]) => [
      channel,
      (request: never) => {
        if (restoring() && !allowed.has(channel)) throw new AppError('restoreInProgress', {}, 'the app restarts after a restore');
        return handler(request);
      },
    ]),
  ) as H;
}
