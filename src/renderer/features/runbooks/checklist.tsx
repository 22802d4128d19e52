import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Step } from '../../../core/runbooks/model';
import { runProgress, type ChecklistRun, type RunAction, type RunStepState } from '../../../core/runbooks/run';
import { formatDateTime, formatDuration } from '../../format';
import { RunbookContent, type RunbookHandlers } from './runbook-content';

/** Props only: the parent applies actions with `applyRunAction` and stores the result. */
export interface ChecklistProps {
  run: ChecklistRun;
  /** The current time, ticked by the parent, for elapsed times. */
  now: number;
  /** Who is acting, stamped on every action. */
  by: string;
  /** True when the library's copy of the runbook moved on since the run started. */
  changed?: boolean;
  handlers: RunbookHandlers;
  onAction: (action: RunAction) => void;
}

const PENDING: RunStepState = { status: 'pending', startedAt: null, finishedAt: null, skipReason: null };

function StepItem({ step, props }: { step: Step; props: ChecklistProps }) {
  const { t, i18n } = useTranslation();
  const { run, by, onAction } = props;
  const state = run.stepStates[step.id] ?? PENDING;
  const [mode, setMode] = useState<'none' | 'skip' | 'note'>('none');
  const [text, setText] = useState('');
  const open = run.status === 'running';
  const time = (ms: number | null) => (ms === null ? '' : formatDateTime(ms, i18n.language));
  const submit = () => {
    const value = text.trim();
    if (value === '') return;
    onAction(mode === 'skip' ? { type: 'skip', stepId: step.id, by, reason: value } : { type: 'note', stepId: step.id, by, text: value });
    setText('');
    setMode('none');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') submit();
    if (e.key === 'Escape') setMode('none');
  };
  const notes = run.events.filter((e) => e.kind === 'stepNote' && e.stepId === step.id);
  return (
    <li className="checklist-step" data-step={step.id} data-status={state.status} aria-label={step.text}>
      <div className="checklist-meta">
        <span>{t(`runbooks.checklist.status.${state.status}`)}</span>
        {state.status === 'started' && <span> · {t('runbooks.checklist.startedAt', { time: time(state.startedAt) })}</span>}
        {state.status === 'done' && <span> · {t('runbooks.checklist.doneAt', { time: time(state.finishedAt) })}</span>}
        {state.status === 'skipped' && <span> · {t('runbooks.checklist.skippedAt', { time: time(state.finishedAt), reason: state.skipReason ?? '' })}</span>}
      </div>
      <RunbookContent nodes={step.content} handlers={props.handlers} />
      {notes.length > 0 && (
        <ul className="checklist-notes">
          {notes.map((n, i) => (
            <li key={i}>
              <time dateTime={new Date(n.at).toISOString()}>{time(n.at)}</time> {n.by}: {n.text}
            </li>
          ))}
        </ul>
      )}
      <div className="checklist-actions">
        {open && state.status === 'pending' && (
          <button type="button" onClick={() => onAction({ type: 'start', stepId: step.id, by })}>
            {t('runbooks.checklist.start')}
          </button>
        )}
        {open && (state.status === 'pending' || state.status === 'started') && (
          <>
            <button type="button" className="primary" onClick={() => onAction({ type: 'done', stepId: step.id, by })}>
              {t('runbooks.checklist.done')}
            </button>
            <button type="button" onClick={() => setMode('skip')}>
              {t('runbooks.checklist.skip')}
            </button>
          </>
        )}
        {open && (state.status === 'done' || state.status === 'skipped') && (
          <button type="button" onClick={() => onAction({ type: 'reopen', stepId: step.id, by })}>
            {t('runbooks.checklist.reopen')}
          </button>
        )}
        <button type="button" onClick={() => setMode('note')}>
          {t('runbooks.checklist.addNote')}
        </button>
      </div>
      {mode !== 'none' && (
        <div className="checklist-actions">
          <input autoFocus aria-label={mode === 'skip' ? t('runbooks.checklist.skipReason') : t('runbooks.checklist.note')} value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKey} />
          <button type="button" disabled={text.trim() === ''} onClick={submit}>
            {mode === 'skip' ? t('runbooks.checklist.confirmSkip') : t('runbooks.checklist.addNote')}
          </button>
          <button type="button" onClick={() => setMode('none')}>
            {t('runbooks.checklist.cancel')}
          </button>
        </div>
      )}
      {step.substeps.length > 0 && (
        <ol className="checklist-substeps">
          {step.substeps.map((s) => (
            <StepItem key={s.id} step={s} props={props} />
          ))}
        </ol>
      )}
    </li>
  );
}

/** A runbook run as a checklist: each step with its status, timestamps, and Start / Done / Skip / Note. */
export function Checklist(props: ChecklistProps) {
  const { t, i18n } = useTranslation();
  const { run, now } = props;
  const progress = runProgress(run);
  return (
    <section className="checklist" aria-label={t('runbooks.checklist.label', { title: run.runbookTitle })}>
      <header className="checklist-header">
        <h2>{run.runbookTitle}</h2>
        <span className="checklist-meta" role="timer">
          {t('runbooks.checklist.elapsed', { time: formatDuration(run.startedAt, run.endedAt ?? now, i18n.language) })}
        </span>
        <span className="checklist-meta">{t('runbooks.checklist.progress', { handled: progress.done + progress.skipped, total: progress.total })}</span>
        {run.status === 'running' && (
          <button type="button" onClick={() => props.onAction({ type: 'finish', by: props.by })}>
            {t('runbooks.checklist.finish')}
          </button>
        )}
        {run.status !== 'running' && run.endedAt !== null && (
          <span className="checklist-meta">{t(run.status === 'finished' ? 'runbooks.checklist.finished' : 'runbooks.checklist.abandoned', { time: formatDateTime(run.endedAt, i18n.language) })}</span>
        )}
      </header>
      {props.changed && (
        <p className="checklist-changed" role="status">
          {t('runbooks.checklist.changed')}
        </p>
      )}
      {run.groups.map((g) => (
        <div className="checklist-group" key={g.id}>
          {g.titlePath.length > 0 && <h3>{g.titlePath.join(' › ')}</h3>}
          <ol>
            {g.steps.map((s) => (
              <StepItem key={s.id} step={s} props={props} />
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}
