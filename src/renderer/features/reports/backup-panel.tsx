import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bridge } from '../../bridge';
import { db } from '../../db/instance';
import { commitRestore, exportDatabase, prepareRestore } from '../../db/reports-repo';
import { useAppStore } from '../../store';

/**
 * Back up and restore everything the app keeps (pages, incidents, runs, rota, drafts, main's
 * state and config; secrets only when asked, sealed under a passphrase). A restore checks the whole file first (main the file,
 * this window the database, upgraded on the side), then main stops paging and writes its files,
 * this window swaps in its tables, and the app restarts itself to run from the restored state.
 */
export function BackupPanel() {
  const { t } = useTranslation();
  const reportError = useAppStore((s) => s.reportError);
  const [status, setStatus] = useState<string | null>(null);
  const [withSecrets, setWithSecrets] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const fail = (err: Error & { code?: string; params?: Record<string, unknown> }) => reportError(err.code === 'schemaMismatch' ? t('reports.errors.schemaMismatch', err.params) : err.message);
  const backUp = async () => {
    const database = JSON.stringify(await exportDatabase(db, Date.now()));
    const { path } = await bridge().saveBackup(withSecrets ? { database, passphrase } : { database });
    if (path) setStatus(t('reports.savedTo', { path }));
  };
  const restore = async () => {
    const { database } = await bridge().restoreBackup(passphrase ? { passphrase } : {});
    if (database === null) return;
    // a backup this window cannot take fails here, while main still runs on as it was
    const prepared = await prepareRestore(db, JSON.parse(database));
    setStatus(t('reports.backup.restoring'));
    await bridge().applyBackup();
    try {
      await commitRestore(db, prepared);
    } catch (err) {
      // main already holds the restored files: restart now, so the pager is not stopped for longer
      setStatus(t('reports.backup.failedAfterApply', { message: (err as Error).message }));
      await bridge().relaunchAfterRestore();
      return;
    }
    setStatus(t('reports.backup.restored'));
    await bridge().relaunchAfterRestore();
  };
  return (
    <section className="card" aria-label={t('reports.backup.title')}>
      <h2>{t('reports.backup.title')}</h2>
      <p className="help">{t('reports.backup.help')}</p>
      <div className="inline-form">
        <label>
          <input type="checkbox" checked={withSecrets} onChange={(e) => setWithSecrets(e.target.checked)} />
          {t('reports.backup.includeSecrets')}
        </label>
        <label>
          {t('reports.backup.passphrase')}
          <input type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        </label>
      </div>
      <div className="inline-form">
        <button type="button" onClick={() => void backUp().catch(fail)}>
          {t('reports.backup.save')}
        </button>
        <button type="button" onClick={() => void restore().catch(fail)}>
          {t('reports.backup.restore')}
        </button>
      </div>
      {status && (
        <p role="status" className="ok-text">
          {status}
        </p>
      )}
    </section>
  );
}
