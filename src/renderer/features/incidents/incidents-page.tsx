import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createIncident, type IncidentAction } from '../../../core/incidents/incident';
import { defaultWorkingHours } from '../../../core/incidents/targets';
import { SEVERITIES, type Severity } from '../../../core/severity';
import { db } from '../../db/instance';
import { applyStoredIncidentAction, loadIncidentDetail } from '../../db/incidents-repo';
import { useAppStore } from '../../store';
import { useNow } from '../pages/use-pages';
import { HandoverPage } from '../reports/handover-page';
import { PostmortemPage } from '../reports/postmortem-page';
import { systemZone } from '../rota/use-rota';
import { useMe, useWorkUi } from '../runbooks/work-state';
import { IncidentView } from './incident-view';
import { IncidentsList } from './incidents-list';
import '../runbooks/work.css';

type Translated = Error & { code?: string; params?: Record<string, unknown> };

function NewIncidentForm({ by, onCreated }: { by: string; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const reportError = useAppStore((s) => s.reportError);
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('P2');
  const create = async () => {
    const { incident } = createIncident({ id: crypto.randomUUID(), by, title, severity }, Date.now());
    await db.incidents.put(incident);
    setTitle('');
    onCreated(incident.id);
  };
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        create().catch((err: Translated) => reportError(err.code ? t(`incidents.errors.${err.code}`) : err.message));
      }}
    >
      <input aria-label={t('incidents.page.newTitle')} placeholder={t('incidents.page.newTitle')} value={title} onChange={(e) => setTitle(e.target.value)} />
      <select aria-label={t('reports.handover.severity')} value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
        {SEVERITIES.map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
      <button type="submit" disabled={title.trim() === ''}>
        {t('incidents.page.new')}
      </button>
    </form>
  );
}

/** The Incidents view: open and recent incidents, the incident page, and its postmortem. */
export function IncidentsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const now = useNow(1000);
  const reportError = useAppStore((s) => s.reportError);
  const { incidentId, postmortemOf, handover, openIncident, openPostmortem, openRun, openHandover } = useWorkUi();
  const incidents = useLiveQuery(() => db.incidents.orderBy('createdAt').reverse().limit(200).toArray(), []) ?? [];
  const detail = useLiveQuery(() => (incidentId ? loadIncidentDetail(db, incidentId, me) : Promise.resolve(null)), [incidentId, me]);
  const act = (action: IncidentAction) => {
    if (!incidentId) return;
    applyStoredIncidentAction(db, incidentId, action, Date.now()).catch((err: Translated) => reportError(err.code ? t(`incidents.errors.${err.code}`, err.params) : err.message));
  };
  return (
    <main className="view incidents-view">
      <header className="view-header">
        <h1>{t('incidents.page.title')}</h1>
        <NewIncidentForm by={me} onCreated={openIncident} />
        <button type="button" className={handover ? 'active' : ''} onClick={() => openHandover(!handover)}>
          {t('reports.handover.title')}
        </button>
      </header>
      <div className="work-split">
        <nav className="work-list" aria-label={t('incidents.page.list')}>
          {incidents.length === 0 ? <p className="muted">{t('incidents.page.empty')}</p> : <IncidentsList incidents={incidents} onOpen={openIncident} />}
        </nav>
        <div className="work-detail">
          {handover ? (
            <HandoverPage />
          ) : detail && postmortemOf === detail.incident.id ? (
            <>
              <button type="button" onClick={() => openPostmortem(null)}>
                {t('incidents.page.backToIncident')}
              </button>
              <PostmortemPage incidentId={detail.incident.id} />
            </>
          ) : detail ? (
            <>
              <div className="inline-form">
                <button type="button" onClick={() => openPostmortem(detail.incident.id)}>
                  {t('incidents.page.postmortem')}
                </button>
              </div>
              <IncidentView
                incident={detail.incident}
                timeline={detail.timeline}
                runs={detail.runs}
                now={now}
                by={me}
                workingHours={defaultWorkingHours(systemZone())}
                onAction={act}
                onOpenRun={(runId) => {
                  useAppStore.getState().setView('runbooks');
                  openRun(runId);
                }}
              />
            </>
          ) : (
            <p className="muted">{t('incidents.page.pick')}</p>
          )}
        </div>
      </div>
    </main>
  );
}
