import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format';
import { useTimeline } from './use-pages';

/** What happened to one page, with timestamps: received, notified, acknowledged, resolved. */
export function PageTimeline({ pageId }: { pageId: string }) {
  const { t, i18n } = useTranslation();
  const events = useTimeline(pageId);
  if (!events) return null;
  return (
    <section className="timeline" aria-label={t('pages.timeline')}>
      <h3>{t('pages.timeline')}</h3>
      <ol>
        {events.map((e) => (
          <li key={e.seq} data-kind={e.kind}>
            <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at, i18n.language)}</time>
            <span>{t(`pages.events.${e.kind}`)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
