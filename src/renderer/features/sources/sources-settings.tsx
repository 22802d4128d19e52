import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SourceInfo, SourcesView } from '../../../core/sources/ipc-schemas';
import { bridge } from '../../bridge';
import { RelaySettings } from './relay-settings';
import { SourceList, type SourceRow } from './source-list';

/** Main's source status as a row of the list; the listener token stands in where a source cannot sign. */
export function toRow(s: SourceInfo, listenerToken: string, reveal: (id: string) => Promise<string | null>): SourceRow {
  const row = { id: s.id, kind: s.kind, name: s.name, state: s.state, lastDeliveryAt: s.lastDeliveryAt, lastError: s.lastError, webhookUrl: s.webhookUrl };
  return s.signed ? { ...row, secret: null, reveal: () => reveal(s.id) } : { ...row, secret: listenerToken };
}

/** Settings → Alert sources: the list with state, relays, refused config entries, and a small editor. */
export function SourcesSettings({ listenerToken, onError }: { listenerToken: string; onError(message: string): void }) {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<SourcesView | null>(null);
  const [draft, setDraft] = useState('{\n  "id": "",\n  "kind": "pagerduty",\n  "name": ""\n}');
  const [secretFor, setSecretFor] = useState({ id: '', which: 'signing' as 'signing' | 'api' | 'relayToken', value: '' });
  const [polling, setPolling] = useState(false);

  useEffect(() => {
    const api = bridge();
    api.listSources().then(setView, (e: Error) => onError(e.message));
    return api.onSourcesChanged(setView);
  }, [onError]);
  if (!view) return null;

  // 24-hour everywhere, so "03:09:12" never reads as "3:09:12 AM" in one place and 03:09 in another
  const formatTime = (at: number) => new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(at);
  const copy = (text: string) => void navigator.clipboard.writeText(text).catch((e: Error) => onError(e.message));
  const reveal = (id: string) => bridge().revealSourceSecret({ id, which: 'signing' }).then((r) => r.value);
  const save = () => {
    let source: unknown;
    try {
      source = JSON.parse(draft);
    } catch (e) {
      return onError(t('sources.settings.notJson', { reason: (e as Error).message }));
    }
    bridge().saveSource({ source }).then(setView, (e: Error) => onError(e.message));
  };
  const setSecret = () =>
    bridge()
      .setSourceSecret(secretFor)
      .then(
        (v) => {
          setView(v);
          setSecretFor({ ...secretFor, value: '' });
        },
        (e: Error) => onError(e.message),
      );
  const pollNow = () => {
    setPolling(true);
    bridge()
      .pollSourcesNow()
      .then(setView, (e: Error) => onError(e.message))
      .finally(() => setPolling(false));
  };

  return (
    <>
      <SourceList sources={view.sources.map((s) => toRow(s, listenerToken, reveal))} formatTime={formatTime} onCopy={copy} />
      <section className="card" aria-label={t('sources.settings.manage')}>
        <button type="button" onClick={pollNow} disabled={polling}>
          {t('sources.settings.pollNow')}
        </button>
        {view.broken.length > 0 && (
          <div className="banner error" role="alert">
            <strong>{t('sources.settings.broken')}</strong>
            <ul>
              {view.broken.map((b) => (
                <li key={b.index} data-testid="source-broken">
                  {t('sources.settings.brokenEntry', { index: b.index + 1, id: b.id ?? '—', error: t(`sources.errors.${b.code}`, b.params) })}
                </li>
              ))}
            </ul>
          </div>
        )}
        <RelaySettings view={view} onView={setView} onError={onError} formatTime={formatTime} />
        <h3>{t('sources.settings.editor')}</h3>
        <p className="help">{t('sources.settings.editorHelp')}</p>
        {/* the draft is data, not UI text: its label is the heading above */}
        <label className="source-editor">
          <textarea aria-label={t('sources.settings.editor')} rows={6} value={draft} onChange={(e) => setDraft(e.target.value)} spellCheck={false} />
        </label>
        <button type="button" onClick={save}>
          {t('sources.settings.save')}
        </button>
        <h3>{t('sources.settings.setSecret')}</h3>
        <div className="row">
          <select aria-label={t('sources.settings.secretSource')} value={secretFor.id} onChange={(e) => setSecretFor({ ...secretFor, id: e.target.value })}>
            <option value="">—</option>
            {[...view.sources, ...view.relays].map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <select aria-label={t('sources.settings.secretKind')} value={secretFor.which} onChange={(e) => setSecretFor({ ...secretFor, which: e.target.value as typeof secretFor.which })}>
            {(['signing', 'api', 'relayToken'] as const).map((w) => (
              <option key={w} value={w}>
                {t(`sources.settings.secretKinds.${w}`)}
              </option>
            ))}
          </select>
          <input type="password" aria-label={t('sources.settings.secret')} value={secretFor.value} onChange={(e) => setSecretFor({ ...secretFor, value: e.target.value })} autoComplete="off" />
          <button type="button" onClick={setSecret} disabled={secretFor.id === ''}>
            {t('sources.settings.save')}
          </button>
        </div>
      </section>
    </>
  );
}
