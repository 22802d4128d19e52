import { useTranslation } from 'react-i18next';
import { sortIncidents } from '../../../core/incidents/incident';
import type { Incident } from '../../../core/incidents/model';
import { formatDateTime } from '../../format';

/** Open incidents first (most urgent first), then recently resolved ones. */
export function IncidentsList({ incidents, onOpen }: { incidents: readonly Incident[]; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="incidents-list">
      {sortIncidents(incidents).map((i) => (
        <li key={i.id} data-status={i.status}>
          <button type="button" onClick={() => onOpen(i.id)}>
            <span className={`severity severity-${i.severity}`}>{i.severity}</span> {i.title}
          </button>{' '}
          <span>{t(`incidents.status.${i.status}`)}</span> <time dateTime={new Date(i.createdAt).toISOString()}>{formatDateTime(i.createdAt, i18n.language)}</time>
        </li>
      ))}
    </ul>
  );
}
