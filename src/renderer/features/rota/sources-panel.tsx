import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bridge } from '../../bridge';
import { db } from '../../db/instance';
import { addRotaSource, removeRotaSource } from '../../db/rota-repo';
import { useAppStore } from '../../store';
import { formatShiftTime } from '../../../core/rota/format';
import { useRotaSources } from './use-rota';
import { errorText } from './error-text';

/** Rota sources with their state: last check, last change, and the error if the last read failed. */
export function SourcesPanel({ zone, now }: { zone: string; now: number }) {
  const { t, i18n } = useTranslation();
  const sources = useRotaSources();
  const reportError = useAppStore((s) => s.reportError);
  const [feedUrl, setFeedUrl] = useState('');
  const [feedLabel, setFeedLabel] = useState('');
  const [folder, setFolder] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const fmt = (ms: number) => formatShiftTime(ms, zone, i18n.language, now);
  const add = (kind: 'ical' | 'file', label: string, location: string, reset: () => void) =>
    addRotaSource(db, { kind, label, location }, `${kind}-${crypto.randomUUID()}`).then(
      () => {
        reset();
        setFormError(null);
      },
      (e: Error) => setFormError(errorText(e, t)),
    );

  return (
    <section className="card sources" aria-label={t('rota.sources')}>
      <h2>{t('rota.sources')}</h2>
      <ul className="source-list">
        {(sources ?? []).map((s) => (
          <li key={s.id} data-source={s.id} data-status={s.status}>
            <strong>{s.kind === 'app' ? t('rota.sourceApp') : s.label}</strong>{' '}
            <span className="muted">{s.kind === 'file' ? t('rota.sourceFile') : s.kind === 'ical' ? t('rota.sourceIcal') : ''}</span>{' '}
            {s.kind !== 'app' && (
              <>
                <span className={`badge source-${s.status}`}>{t(`rota.status${s.status[0]!.toUpperCase()}${s.status.slice(1)}`)}</span>{' '}
                {s.checkedAt && <span className="muted">{t('rota.checkedAt', { time: fmt(s.checkedAt) })}</span>}{' '}
                {s.updatedAt && <span className="muted">{t('rota.changedAt', { time: fmt(s.updatedAt) })}</span>}
                {s.error && (
                  <p className="field-error" role="alert">
                    {s.error}
                  </p>
                )}
                <button type="button" onClick={() => bridge().refreshRotaSource({ sourceId: s.id }).catch((e: Error) => reportError(errorText(e, t)))}>
                  {t('rota.refresh')}
                </button>{' '}
                <button type="button" className="danger" onClick={() => window.confirm(t('rota.removeConfirm')) && removeRotaSource(db, s.id).catch((e: Error) => reportError(errorText(e, t)))}>
                  {t('rota.remove')}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={(e) => {
          e.preventDefault();
          void add('ical', feedLabel, feedUrl, () => {
            setFeedUrl('');
            setFeedLabel('');
          });
        }}>
        <strong>{t('rota.addFeed')}</strong>
        <input aria-label={t('rota.label')} placeholder={t('rota.label')} value={feedLabel} onChange={(e) => setFeedLabel(e.target.value)} />
        <input aria-label={t('rota.feedUrl')} placeholder="https://…/schedule.ics" value={feedUrl} onChange={(e) => setFeedUrl(e.target.value)} className="wide" />
        <button type="submit">{t('rota.add')}</button>
      </form>
      <form className="inline-form" onSubmit={(e) => {
          e.preventDefault();
          void add('file', '', folder, () => setFolder(''));
        }}>
        <strong>{t('rota.addFolder')}</strong>
        <input aria-label={t('rota.folderPath')} placeholder="/home/me/src/ops" value={folder} onChange={(e) => setFolder(e.target.value)} className="wide" />
        <button type="button" onClick={() => bridge().pickFolder().then((r) => r.folder && setFolder(r.folder), (e: Error) => reportError(errorText(e, t)))}>
          {t('rota.chooseFolder')}
        </button>
        <button type="submit">{t('rota.add')}</button>
      </form>
      {formError && (
        <p className="field-error" role="alert">
          {formError}
        </p>
      )}
    </section>
  );
}
