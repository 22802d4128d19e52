import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_RUNBOOK_FILES } from '../../../core/runbooks/ipc-schemas';
import { checklistAsRunbook, defaultRecurringChecklists } from '../../../core/runbooks/recurring';
import type { Runbook } from '../../../core/runbooks/model';
import { runbookChangedSince, type RunAction } from '../../../core/runbooks/run';
import { systemZone } from '../rota/use-rota';
import { bridge } from '../../bridge';
import { db } from '../../db/instance';
import { applyStoredRunAction, startRunbookRun } from '../../db/incidents-repo';
import { addRunbookFiles, addRunbookUrl, removeRunbookFile, removeRunbookUrl, setLibraryFolder, type LibrarySource } from '../../db/runbooks-repo';
import { useAppStore } from '../../store';
import { useNow } from '../pages/use-pages';
import { Checklist } from './checklist';
import type { RunbookHandlers } from './runbook-content';
import { RunbookView } from './runbook-view';
import { resyncRunbooks, useMe, useWorkUi } from './work-state';
import './work.css';

/** Links, copy and runbook-to-runbook navigation, the same for every runbook the app shows. */
export function useRunbookHandlers(): RunbookHandlers {
  const reportError = useAppStore((s) => s.reportError);
  const openRunbook = useWorkUi((s) => s.openRunbook);
  return useMemo(
    () => ({
      onOpenExternal: (url) => void bridge().openExternal({ url }).catch((err: Error) => reportError(err.message)),
      onOpenRunbook: (path) => {
        useAppStore.getState().setView('runbooks');
        openRunbook(path);
      },
      onCopy: (text) => void navigator.clipboard?.writeText(text).catch((err: Error) => reportError(err.message)),
    }),
    [reportError, openRunbook],
  );
}

/** Single runbook files, each with its state and the error naming it; removable. */
function LibraryFiles({ sources }: { sources: LibrarySource[] }) {
  const { t } = useTranslation();
  const reportError = useAppStore((s) => s.reportError);
  const files = sources.filter((s) => s.kind === 'file');
  if (files.length === 0) return null;
  return (
    <ul className="rb-files" aria-label={t('runbooks.library.files')}>
      {files.map((s) => (
        <li key={s.id} data-status={s.status}>
          <span className="rb-file-path">{s.location}</span>{' '}
          <span className="muted">{t(`runbooks.library.fileStatus.${s.status}`)}</span>{' '}
          <button type="button" aria-label={t('runbooks.library.removeFile', { file: s.location })} onClick={() => void removeRunbookFile(db, s.id).then(resyncRunbooks).catch((err: Error) => reportError(err.message))}>
            {t('runbooks.library.remove')}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** A problem's text; a single file's names the file, whatever the underlying error said. */
function problemText(t: (key: string, params?: Record<string, unknown>) => string, source: LibrarySource, p: LibrarySource['problems'][number]): string {
  const text = t(p.code, { ...p.params, path: p.path });
  return source.kind === 'file' && !text.includes(source.location) ? t('runbooks.library.fileProblem', { file: source.location, problem: text }) : text;
}

function LibrarySources() {
  const { t } = useTranslation();
  const sources = (useLiveQuery(() => db.runbookSources.toArray(), []) ?? []) as LibrarySource[];
  const reportError = useAppStore((s) => s.reportError);
  const [url, setUrl] = useState('');
  const fail = (err: Error) => reportError(err.message);
  const pick = async () => {
    const { folder } = await bridge().pickFolder();
    if (folder === null) return;
    await setLibraryFolder(db, folder);
    await resyncRunbooks();
  };
  const addFiles = async () => {
    const { files } = await bridge().pickRunbookFiles();
    if (files.length === 0) return;
    try {
      await addRunbookFiles(db, files);
    } catch (err) {
      if (err instanceof RangeError) return reportError(t('runbooks.library.tooManyFiles', { max: MAX_RUNBOOK_FILES }));
      throw err;
    }
    await resyncRunbooks();
  };
  const add = async () => {
    if (!/^https:\/\//i.test(url.trim())) return reportError(t('runbooks.errors.urlNotHttps', { url }));
    await addRunbookUrl(db, url);
    setUrl('');
    await resyncRunbooks();
  };
  const folder = sources.find((s) => s.kind === 'folder');
  return (
    <section className="rb-sources" aria-label={t('runbooks.library.sources')}>
      <div className="inline-form">
        <span>{folder ? t('runbooks.library.folder', { folder: folder.location }) : t('runbooks.library.noFolder')}</span>
        <button type="button" onClick={() => void pick().catch(fail)}>
          {t('runbooks.library.pickFolder')}
        </button>
        <button type="button" onClick={() => void addFiles().catch(fail)}>
          {t('runbooks.library.addFiles')}
        </button>
        <button type="button" onClick={() => void bridge().refreshRunbooks().catch(fail)}>
          {t('runbooks.library.refresh')}
        </button>
      </div>
      <LibraryFiles sources={sources} />
      <div className="inline-form">
        <input className="wide" aria-label={t('runbooks.library.url')} placeholder="https://…/runbook.md" value={url} onChange={(e) => setUrl(e.target.value)} />
        <button type="button" disabled={url.trim() === ''} onClick={() => void add().catch(fail)}>
          {t('runbooks.library.addUrl')}
        </button>
      </div>
      {sources.filter((s) => s.kind === 'url').length > 0 && (
        <ul className="rb-urls">
          {sources
            .filter((s) => s.kind === 'url')
            .map((s) => (
              <li key={s.id}>
                {s.location}{' '}
                <button type="button" onClick={() => void removeRunbookUrl(db, s.id).then(resyncRunbooks).catch(fail)}>
                  {t('runbooks.library.remove')}
                </button>
              </li>
            ))}
        </ul>
      )}
      {sources.some((s) => s.problems.length > 0) && (
        <ul className="rb-problems" role="status" aria-label={t('runbooks.library.problems')}>
          {sources.flatMap((s) =>
            s.problems.map((p, i) => (
              <li key={`${s.id}:${i}`} data-path={p.path}>
                {problemText(t, s, p)}
              </li>
            )),
          )}
        </ul>
      )}
    </section>
  );
}

/** The Runbooks view: the library (folder, URLs, problems per file), a runbook, or a running checklist. */
export function RunbooksPage() {
  const { t } = useTranslation();
  const { runbookKey, runId, openRunbook, openRun } = useWorkUi();
  const [filter, setFilter] = useState('');
  const me = useMe();
  const now = useNow(1000);
  const handlers = useRunbookHandlers();
  const reportError = useAppStore((s) => s.reportError);
  const runbooks = useLiveQuery(() => db.runbooks.orderBy('path').toArray(), []) ?? [];
  const runs = useLiveQuery(() => db.runs.where('status').equals('running').reverse().sortBy('startedAt'), []) ?? [];
  const run = useLiveQuery(() => (runId ? db.runs.get(runId) : undefined), [runId]);
  const runbook = useLiveQuery(async () => (runbookKey ? ((await db.runbooks.get(runbookKey)) ?? (await db.runbooks.where('path').equals(runbookKey).first())) : undefined), [runbookKey]);
  const current = useLiveQuery(async () => (run ? ((await db.runbooks.where('path').equals(run.runbookPath).first()) ?? null) : null), [run?.runbookPath]);
  const shown = runbooks.filter((r) => filter.trim() === '' || `${r.title} ${r.path}`.toLowerCase().includes(filter.trim().toLowerCase()));
  const act = (action: RunAction) => {
    if (!run) return;
    applyStoredRunAction(db, run.id, action, Date.now()).catch((err: Error & { code?: string; params?: Record<string, unknown> }) => reportError(err.code ? t(`runbooks.errors.${err.code}`, err.params) : err.message));
  };
  const start = async (which: Runbook | undefined = runbook) => {
    if (!which) return;
    const started = await startRunbookRun(db, which, { id: crypto.randomUUID(), by: me }, Date.now());
    openRun(started.id);
  };
  // the handbook's maintenance and shift-start checklists, run and recorded like any runbook
  const checklists = useMemo(() => defaultRecurringChecklists((k) => t(k), systemZone()), [t]);
  return (
    <main className="view runbooks-view">
      <header className="view-header">
        <h1>{t('runbooks.library.title')}</h1>
      </header>
      <LibrarySources />
      <div className="work-split">
        <nav className="work-list" aria-label={t('runbooks.library.list')}>
          {runs.length > 0 && (
            <>
              <h2>{t('runbooks.library.running')}</h2>
              <ul>
                {runs.map((r) => (
                  <li key={r.id}>
                    <button type="button" className={r.id === runId ? 'active' : ''} onClick={() => openRun(r.id)}>
                      {r.runbookTitle}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2>{t('runbooks.library.checklists')}</h2>
          <ul>
            {checklists.map((c) => (
              <li key={c.id}>
                <button type="button" title={c.items.join('\n')} onClick={() => void start(checklistAsRunbook(c)).catch((err: Error) => reportError(err.message))}>
                  {t('runbooks.library.startChecklist', { title: c.title })}
                </button>
              </li>
            ))}
          </ul>
          <h2>{t('runbooks.library.list')}</h2>
          <input type="search" aria-label={t('runbooks.library.filter')} placeholder={t('runbooks.library.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
          {runbooks.length === 0 ? (
            <p className="muted">{t('runbooks.library.empty')}</p>
          ) : (
            <ul>
              {shown.map((r) => (
                <li key={r.key}>
                  <button type="button" className={r.key === runbookKey && !runId ? 'active' : ''} title={r.url ?? r.key} onClick={() => openRunbook(r.key)}>
                    {r.title}
                    <span className="muted"> {r.path}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <div className="work-detail">
          {runId && run ? (
            <>
              <button type="button" onClick={() => openRun(null)}>
                {t('runbooks.library.backToRunbook')}
              </button>
              <Checklist run={run} now={now} by={me} changed={runbookChangedSince(run, current ?? null)} handlers={handlers} onAction={act} />
            </>
          ) : runbook ? (
            <>
              <div className="inline-form">
                <button type="button" className="primary" disabled={runbook.outline === true} onClick={() => void start(runbook).catch((err: Error) => reportError(err.message))}>
                  {t('runbooks.library.startRun')}
                </button>
                <span className="muted">{runbook.url ?? runbook.key}</span>
              </div>
              <RunbookView runbook={runbook} handlers={handlers} />
            </>
          ) : (
            <p className="muted">{t('runbooks.library.pick')}</p>
          )}
        </div>
      </div>
    </main>
  );
}
