import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../../../core/i18n';
import { SEVERITIES } from '../../../core/severity';
import { bridge } from '../../bridge';
import { db } from '../../db/instance';
import { setPref } from '../../db/rota-repo';
import { useAppStore } from '../../store';
import { alertmanagerSnippet } from './alertmanager-snippet';
import { PagerHealth } from './pager-health';
import { AlarmSettings } from '../alarm/alarm-settings';
import { BackupPanel } from '../reports/backup-panel';
import { SourcesSettings } from '../sources/sources-settings';
import { useSettings } from './use-settings';

/** Settings: where to point Alertmanager (URL, token, port), language, severity mapping. */
export function SettingsView() {
  const { t, i18n } = useTranslation();
  const [settings, setSettings] = useSettings();
  const reportError = useAppStore((s) => s.reportError);
  const [showToken, setShowToken] = useState(false);
  const [port, setPort] = useState('');
  const [portError, setPortError] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  if (!settings) return <main className="view settings-view" />;
  const l = settings.listener;

  const copy = (what: string, text: string) =>
    navigator.clipboard.writeText(text).then(() => setCopied(what), (e: Error) => reportError(e.message));
  const applyPort = () => {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535) return setPortError(t('errors.portInvalid'));
    setPortError(null);
    bridge().setListenerPort({ port: n }).then(setSettings, (e: Error) => reportError(e.message));
  };
  const regenerate = () => {
    if (!window.confirm(t('settings.regenerateConfirm'))) return;
    bridge().regenerateToken().then(setSettings, (e: Error) => reportError(e.message));
  };

  return (
    <main className="view settings-view">
      <header className="view-header">
        <h1>{t('settings.title')}</h1>
      </header>
      {settings.configError && (
        <div className="banner error" role="alert">
          <strong>{t('settings.configError')}</strong> <code>{settings.configError}</code>
        </div>
      )}
      <PagerHealth settings={settings} onChange={setSettings} />
      <SourcesSettings listenerToken={l.token} onError={reportError} />
      <AlarmSettings />
      <BackupPanel />
      <section className="card">
        <h2>
          {t('settings.listener')}{' '}
          <span className={`badge ${l.listening ? 'ok' : 'bad'}`} data-testid="listener-state">
            {l.listening ? t('settings.listening') : t('settings.notListening')}
          </span>
        </h2>
        {l.error && <p className="banner error" role="alert">{l.error}</p>}
        <p className="help">{t('settings.listenerHelp')}</p>
        <dl className="fields">
          <dt>{t('settings.url')}</dt>
          <dd>
            <code data-testid="listener-url">{l.url}</code>
            <button type="button" onClick={() => copy('url', l.url)}>{copied === 'url' ? t('settings.copied') : t('settings.copy')}</button>
          </dd>
          <dt>{t('settings.token')}</dt>
          <dd>
            <code data-testid="listener-token">{showToken ? l.token : '•'.repeat(24)}</code>
            <button type="button" onClick={() => setShowToken(!showToken)}>{showToken ? t('settings.hideToken') : t('settings.showToken')}</button>
            <button type="button" onClick={() => copy('token', l.token)}>{copied === 'token' ? t('settings.copied') : t('settings.copy')}</button>
            <button type="button" className="danger" onClick={regenerate}>{t('settings.regenerate')}</button>
          </dd>
          <dt>
            <label htmlFor="port">{t('settings.port')}</label>
          </dt>
          <dd>
            <input id="port" inputMode="numeric" value={port} placeholder={String(l.port)} onChange={(e) => setPort(e.target.value)} />
            <button type="button" onClick={applyPort}>{t('settings.savePort')}</button>
            {portError && <span className="field-error" role="alert">{portError}</span>}
          </dd>
        </dl>
        <h3>{t('settings.exampleConfig')}</h3>
        <pre className="snippet">{alertmanagerSnippet(settings, showToken)}</pre>
      </section>
      <section className="card">
        <h2>
          <label htmlFor="language">{t('settings.language')}</label>
        </h2>
        <select
          id="language"
          value={i18n.language}
          onChange={(e) => {
            void i18n.changeLanguage(e.target.value);
            setPref(db, 'language', e.target.value).catch((err: Error) => reportError(err.message));
          }}
        >
          {LANGUAGES.map((lng) => (
            <option key={lng} value={lng}>
              {lng === 'en' ? 'English' : 'Deutsch'}
            </option>
          ))}
        </select>
      </section>
      <section className="card">
        <h2>{t('settings.severityMapping')}</h2>
        <dl className="fields">
          {SEVERITIES.map((sev) => (
            <div key={sev} className="mapping-row">
              <dt>{sev}</dt>
              <dd>{settings.severityMapping[sev].join(', ') || '—'}</dd>
            </div>
          ))}
        </dl>
        <p className="help">
          {t('settings.configFile')}: <code>{settings.configPath}</code>
        </p>
      </section>
    </main>
  );
}
