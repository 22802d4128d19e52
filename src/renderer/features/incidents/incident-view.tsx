import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentAction } from '../../../core/incidents/incident';
import { INCIDENT_STATUSES, type Incident } from '../../../core/incidents/model';
import { nextStatusUpdateDue, responseBreached, responseDueAt, type WorkingHours } from '../../../core/incidents/targets';
import { computeMetrics, formatDuration, type TimelineItem } from '../../../core/incidents/timeline';
import { runProgress, type ChecklistRun } from '../../../core/runbooks/run';
import { formatDateTime } from '../../format';
import { IncidentTimeline } from './incident-timeline';

/** Props only: the parent applies actions with `applyIncidentAction` and stores the result. */
export interface IncidentViewProps {
  incident: Incident;
  timeline: readonly TimelineItem[];
  runs: readonly ChecklistRun[];
  now: number;
  by: string;
  workingHours: WorkingHours;
  onAction: (action: IncidentAction) => void;
  onOpenRun?: (runId: string) => void;
}

const METRICS = ['timeToDetect', 'timeToAcknowledge', 'timeToMitigate', 'timeToResolve'] as const;

/** The incident page: status, targets, roles, metrics, running checklists, a note box and the timeline. */
export function IncidentView(props: IncidentViewProps) {
  const { t, i18n } = useTranslation();
  const { incident, by, onAction } = props;
  const [note, setNote] = useState('');
  const [person, setPerson] = useState('');
  const metrics = computeMetrics(incident, props.timeline);
  const due = responseDueAt(incident, props.workingHours);
  const updateDue = nextStatusUpdateDue(incident);
  const time = (ms: number) => formatDateTime(ms, i18n.language);
  const addNote = () => {
    if (note.trim() === '') return;
    onAction({ type: 'note', by, text: note });
    setNote('');
  };
  const assign = (role: 'commander' | 'communications' | 'contributor') => {
    onAction(role === 'contributor' ? { type: 'addContributor', by, person } : { type: 'assignRole', by, role, person });
    setPerson('');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      addNote();
    }
  };
  return (
    <article className="incident" aria-label={incident.title}>
      <header className="incident-header">
        <h2>
          <span className={`severity severity-${incident.severity}`}>{incident.severity}</span> {incident.title}
        </h2>
        <label>
          {t('reports.handover.status')}{' '}
          <select value={incident.status} onChange={(e) => onAction({ type: 'setStatus', by, status: e.target.value as Incident['status'] })}>
            {INCIDENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`incidents.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </header>
      <p className="incident-targets">
        {due !== null && <span>{t('incidents.targets.due', { time: time(due) })}</span>}
        {responseBreached(incident, props.workingHours, props.now) && (
          <strong role="alert" className="breached">
            {' '}
            {t('incidents.targets.breached')}
          </strong>
        )}
        {updateDue !== null && <span> · {t('incidents.targets.updateDue', { time: time(updateDue) })}</span>}
      </p>
      <dl className="incident-roles">
        <dt>{t('incidents.roles.commander')}</dt>
        <dd>{incident.roles.commander ?? t('incidents.roles.unassigned')}</dd>
        <dt>{t('incidents.roles.communications')}</dt>
        <dd>{incident.roles.communications ?? t('incidents.roles.unassigned')}</dd>
        <dt>{t('incidents.roles.contributors')}</dt>
        <dd>{incident.roles.contributors.length > 0 ? incident.roles.contributors.join(', ') : t('incidents.roles.unassigned')}</dd>
      </dl>
      <div className="incident-role-form">
        <input aria-label={t('incidents.roles.contributors')} value={person} onChange={(e) => setPerson(e.target.value)} />
        <button type="button" disabled={person.trim() === ''} onClick={() => assign('commander')}>
          {t('incidents.roles.commander')}
        </button>
        <button type="button" disabled={person.trim() === ''} onClick={() => assign('communications')}>
          {t('incidents.roles.communications')}
        </button>
        <button type="button" disabled={person.trim() === ''} onClick={() => assign('contributor')}>
          {t('incidents.roles.contributors')}
        </button>
      </div>
      <dl className="incident-metrics" aria-label={t('reports.postmortem.fields.metrics')}>
        {METRICS.map((m) => (
          <div key={m}>
            <dt>{t(`incidents.metrics.${m}`)}</dt>
            <dd data-metric={m}>{metrics[m] === null ? t('incidents.metrics.notYet') : formatDuration(metrics[m]!)}</dd>
          </div>
        ))}
      </dl>
      {props.runs.length > 0 && (
        <ul className="incident-runs" aria-label={t('reports.handover.openRuns')}>
          {props.runs.map((r) => {
            const p = runProgress(r);
            return (
              <li key={r.id}>
                <button type="button" onClick={() => props.onOpenRun?.(r.id)}>
                  {r.runbookTitle}
                </button>{' '}
                {t('runbooks.checklist.progress', { handled: p.done + p.skipped, total: p.total })}
              </li>
            );
          })}
        </ul>
      )}
      <div className="incident-note">
        <input aria-label={t('runbooks.checklist.note')} value={note} onChange={(e) => setNote(e.target.value)} onKeyDown={onKey} />
        <button type="button" disabled={note.trim() === ''} onClick={addNote}>
          {t('runbooks.checklist.addNote')}
        </button>
        <button
          type="button"
          disabled={note.trim() === ''}
          onClick={() => {
            // a status update resets the reminder clock; a note does not
            onAction({ type: 'postUpdate', by, text: note });
            setNote('');
          }}
        >
          {t('incidents.page.postUpdate')}
        </button>
      </div>
      <IncidentTimeline items={props.timeline} />
    </article>
  );
}
