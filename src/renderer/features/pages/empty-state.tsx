import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bridge } from '../../bridge';
import { useAppStore } from '../../store';
import { useSettings } from '../settings/use-settings';

/** No page matches what was typed: say so, and offer the way back. */
export function NoMatch({ filter }: { filter: string }) {
  const { t } = useTranslation();
  const setFilter = useAppStore((s) => s.setFilter);
  return (
    <div className="empty" role="status">
      <p>{t('pages.noMatch', { filter })}</p>
      <button type="button" onClick={() => setFilter('')}>
        {t('pages.clearFilter')}
      </button>
    </div>
  );
}

/**
 * No pages at all. Until a source has delivered, "quiet shift" would be a lie: say how to connect
 * one and offer the test page, which goes through the real listener and notifier.
 */
export function NoPages() {
  const { t } = useTranslation();
  const [settings] = useSettings();
  const setView = useAppStore((s) => s.setView);
  const [sent, setSent] = useState<'idle' | 'sending' | 'sent'>('idle');
  const [error, setError] = useState<string | null>(null);
  if (!settings) return null;
  const delivered = settings.routes.some((r) => r.lastDeliveredAt !== null);
  if (delivered) return <p className="empty">{t('pages.empty')}</p>;
  const send = () => {
    setSent('sending');
    setError(null);
    bridge()
      .sendTestPage()
      .then(
        () => setSent('sent'),
        (err: Error) => {
          setSent('idle');
          setError(err.message);
        },
      );
  };
  return (
    <section className="first-run card" aria-labelledby="first-run-title">
      <h2 id="first-run-title">{t('pages.firstRun.title')}</h2>
      <p>{settings.listener.url ? t('pages.firstRun.body', { url: settings.listener.url }) : t('pages.firstRun.bodyNoUrl')}</p>
      <div className="inline-form">
        <button type="button" className="primary" disabled={sent === 'sending'} onClick={send}>
          {t('pages.firstRun.sendTest')}
        </button>
        <button type="button" onClick={() => setView('settings')}>
          {t('pages.firstRun.openSettings')}
        </button>
      </div>
      {sent === 'sent' && <p role="status">{t('pages.firstRun.sent')}</p>}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
