import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../core/ipc-contract';
import { SEVERITIES, type Severity } from '../../../core/severity';
import { bridge } from '../../bridge';
import { formatDateTime } from '../../format';
import { useAppStore } from '../../store';

/**
 * Is the pager working? Each source's last delivery and refusals, heartbeats, storage trouble,
 * the fallback priority, and a test page through the real listener and notifier.
 */
export function PagerHealth({ settings, onChange }: { settings: SettingsView; onChange: (s: SettingsView) => void }) {
  const { t, i18n } = useTranslation();
  const reportError = useAppStore((s) => s.reportError);
  const [testResult, setTestResult] = useState<string | null>(null);
  const when = (ms: number) => formatDateTime(ms, i18n.language);
  const hm = (ms: number) => new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);

  const sendTest = () => {
    setTestResult(null);
    bridge()
      .sendTestPage()
      .then(
        (r) => setTestResult(r.status === 200 ? t('settings.testPageSent') : t('settings.testPageRefused', { status: r.status })),
        (e: Error) => reportError(t('errors.generic', { message: e.message })),
      );
  };

  return (
    <section className="card" data-testid="pager-health">
      <h2>{t('settings.health')}</h2>
      {settings.storageError && (
        <p className="banner error" role="alert" data-testid="storage-error">
          <strong>{t('settings.storageError')}</strong> <code>{settings.storageError}</code>
        </p>
      )}
      <ul className="health-list">
        {settings.routes.map((route) => (
          <li key={route.path} data-testid={`route-${route.label}`}>
            <strong>{route.label}</strong>{' '}
            <span className="muted">
              {route.lastDeliveredAt !== null ? t('settings.lastDelivered', { time: when(route.lastDeliveredAt) }) : t('settings.neverDelivered')}
            </span>
            {route.refusal && (
              <p className="banner error" role="alert" data-testid="refusal">
                {t('settings.refused', {
                  source: route.label,
                  count: route.refusal.count,
                  since: hm(route.refusal.since),
                  reason: route.refusal.lastReason,
                  last: when(route.refusal.lastAt),
                })}
              </p>
            )}
          </li>
        ))}
      </ul>
      <h3>{t('settings.heartbeats')}</h3>
      {settings.heartbeats.length === 0 ? (
        <p className="help" data-testid="no-heartbeats">{t('settings.noHeartbeats')}</p>
      ) : (
        <ul className="health-list" data-testid="heartbeats">
          {settings.heartbeats.map((h) => (
            <li key={h.key}>
              <strong>{h.title}</strong> <span className="muted">{t('settings.heartbeatSeen', { time: when(h.lastSeenAt) })}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="help">{t('settings.heartbeatHelp', { matchers: settings.heartbeatMatchers.map((all) => all.map((m) => `${m.name}="${m.value}"`).join(', ')).join(t('settings.or')) })}</p>
      <dl className="fields">
        <dt>
          <label htmlFor="fallback">{t('settings.fallback')}</label>
        </dt>
        <dd>
          <select
            id="fallback"
            value={settings.severityMapping.fallback}
            onChange={(e) => bridge().setSeverityFallback({ fallback: e.target.value as Severity }).then(onChange, (err: Error) => reportError(t('errors.generic', { message: err.message })))}
          >
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </dd>
      </dl>
      <p>
        <button type="button" className="primary" onClick={sendTest} data-testid="send-test-page">
          {t('settings.sendTestPage')}
        </button>{' '}
        {testResult && <span role="status">{testResult}</span>}
      </p>
    </section>
  );
}
