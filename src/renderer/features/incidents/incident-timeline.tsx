import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelineItem } from '../../../core/incidents/timeline';
import { timelineText } from '../../../core/reports/postmortem';

/** Lines shown at first; a long incident's page opens fast and the rest is one click away. */
export const TIMELINE_WINDOW = 300;

/** The merged incident timeline, oldest first; each line has its time, who, and what. */
export const IncidentTimeline = memo(function IncidentTimeline({ items, window = TIMELINE_WINDOW }: { items: readonly TimelineItem[]; window?: number }) {
  const { t, i18n } = useTranslation();
  const [all, setAll] = useState(false);
  const hidden = all ? 0 : Math.max(0, items.length - window);
  const shown = hidden > 0 ? items.slice(hidden) : items;
  const tr = (key: string, params?: Record<string, unknown>) => t(key, params);
  // One formatter for all lines: building an Intl.DateTimeFormat per line dominates a 2,000-line render.
  const fmt = useMemo(() => new Intl.DateTimeFormat(i18n.language, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }), [i18n.language]);
  return (
    <section className="timeline incident-timeline" aria-label={t('reports.postmortem.fields.timeline')}>
      <h3>{t('reports.postmortem.fields.timeline')}</h3>
      {hidden > 0 && (
        <button type="button" className="timeline-earlier" onClick={() => setAll(true)}>
          {t('incidents.showEarlier', { count: hidden })}
        </button>
      )}
      <ol>
        {shown.map((item) => (
          <li key={item.key} data-source={item.source} data-kind={item.kind}>
            <time dateTime={new Date(item.at).toISOString()}>{fmt.format(item.at)}</time>
            {item.by !== '' && <span className="timeline-by">{item.by}</span>}
            <span>{timelineText(item, tr)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
});
