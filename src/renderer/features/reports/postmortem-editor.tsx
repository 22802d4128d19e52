import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTION_TYPES, POSTMORTEM_STATUSES, type ActionItem, type Postmortem, type PostmortemEdit } from '../../../core/reports/postmortem';
import { PROSE_FIELDS } from '../../../core/reports/postmortem-markdown';
import { formatExactDuration, formatReportTime } from '../../../core/reports/format';

/** Export formats the editor offers; saving goes through main's save dialog. */
export type ReportFormat = 'markdown' | 'html' | 'pdf' | 'json';

/** Props only: the parent applies edits with `editPostmortem`, autosaves, and exports. */
export interface PostmortemEditorProps {
  value: Postmortem;
  onEdit: (edit: PostmortemEdit) => void;
  onExport: (format: ReportFormat) => void;
  onCopyMarkdown: () => void;
  /** Last autosave time, shown so the engineer trusts the draft is kept. */
  savedAt?: number | null;
}

const LESSONS = ['wentWell', 'wentWrong', 'gotLucky'] as const;
const METRICS = ['timeToDetect', 'timeToAcknowledge', 'timeToMitigate', 'timeToResolve'] as const;

/** The postmortem editor: prose fields, action items, lessons; timeline and metrics read-only. */
export function PostmortemEditor({ value: pm, onEdit, onExport, onCopyMarkdown, savedAt }: PostmortemEditorProps) {
  const { t, i18n } = useTranslation();
  const f = (k: string) => t(`reports.postmortem.fields.${k}`);
  const [authors, setAuthors] = useState(pm.authors.join(', '));
  const setItem = (i: number, patch: Partial<ActionItem>) => onEdit({ actionItems: pm.actionItems.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  return (
    <form className="postmortem-editor" aria-label={`${t('reports.postmortem.title')}: ${pm.title}`} onSubmit={(e) => e.preventDefault()}>
      <header>
        <label>
          {t('reports.postmortem.title')}
          <input value={pm.title} onChange={(e) => onEdit({ title: e.target.value })} />
        </label>
        <label>
          {f('status')}
          <select value={pm.status} onChange={(e) => onEdit({ status: e.target.value as Postmortem['status'] })}>
            {POSTMORTEM_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`reports.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {f('owner')}
          <input value={pm.owner} onChange={(e) => onEdit({ owner: e.target.value })} />
        </label>
        <label>
          {f('authors')}
          <input
            value={authors}
            onChange={(e) => setAuthors(e.target.value)}
            onBlur={() =>
              onEdit({
                authors: authors
                  .split(',')
                  .map((a) => a.trim())
                  .filter((a) => a !== ''),
              })
            }
          />
        </label>
        <label>
          {f('reviewDueBy')}
          <input type="date" value={pm.reviewDueBy} onChange={(e) => e.target.value && onEdit({ reviewDueBy: e.target.value })} />
        </label>
        <span className="severity">{pm.severity}</span>
        {savedAt !== undefined && savedAt !== null && <span className="checklist-meta">{t('reports.savedAt', { time: formatReportTime(savedAt, pm.timeZone) })}</span>}
      </header>
      <p className="note">{t('reports.postmortem.blameless')}</p>
      {PROSE_FIELDS.map((k) => (
        <label key={k} className="postmortem-field">
          <span>{f(k)}</span>
          <textarea rows={k === 'summary' || k === 'rootCause' ? 4 : 3} value={pm[k]} onChange={(e) => onEdit({ [k]: e.target.value })} />
        </label>
      ))}
      <fieldset>
        <legend>{f('actionItems')}</legend>
        {pm.actionItems.map((a, i) => (
          <div key={i} className="action-item" role="group" aria-label={`${f('actionItems')} ${i + 1}`}>
            <input aria-label={t('reports.postmortem.actionColumns.item')} value={a.item} onChange={(e) => setItem(i, { item: e.target.value })} />
            <select aria-label={t('reports.postmortem.actionColumns.type')} value={a.type} onChange={(e) => setItem(i, { type: e.target.value as ActionItem['type'] })}>
              {ACTION_TYPES.map((ty) => (
                <option key={ty} value={ty}>
                  {t(`reports.actionType.${ty}`)}
                </option>
              ))}
            </select>
            <input aria-label={t('reports.postmortem.actionColumns.owner')} value={a.owner} onChange={(e) => setItem(i, { owner: e.target.value })} />
            <input aria-label={t('reports.postmortem.actionColumns.due')} type="date" value={a.due ?? ''} onChange={(e) => setItem(i, { due: e.target.value || null })} />
            <input aria-label={t('reports.postmortem.actionColumns.ticket')} value={a.ticket ?? ''} onChange={(e) => setItem(i, { ticket: e.target.value || null })} />
            <button type="button" aria-label={t('reports.removeItem', { item: a.item })} onClick={() => onEdit({ actionItems: pm.actionItems.filter((_, j) => j !== i) })}>
              −
            </button>
          </div>
        ))}
        <button type="button" onClick={() => onEdit({ actionItems: [...pm.actionItems, { item: t('reports.addItem'), type: 'prevent', owner: pm.owner, due: null, ticket: null }] })}>
          {t('reports.addItem')}
        </button>
      </fieldset>
      <fieldset>
        <legend>{f('lessons')}</legend>
        {LESSONS.map((l) => (
          <label key={l} className="postmortem-field">
            <span>{t(`reports.postmortem.lessons.${l}`)}</span>
            <textarea rows={2} value={pm.lessons[l]} onChange={(e) => onEdit({ lessons: { ...pm.lessons, [l]: e.target.value } })} />
          </label>
        ))}
      </fieldset>
      <section aria-label={f('metrics')}>
        <h3>{f('metrics')}</h3>
        <dl>
          {METRICS.map((m) => (
            <div key={m}>
              <dt>{t(`incidents.metrics.${m}`)}</dt>
              <dd>{pm.metrics[m] === null ? t('incidents.metrics.notYet') : formatExactDuration(pm.metrics[m]!)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-label={f('timeline')}>
        <h3>{f('timeline')}</h3>
        <ol className="postmortem-timeline">
          {pm.timeline.map((e, i) => (
            <li key={i} className={e.marker ? 'marker' : undefined}>
              <time dateTime={new Date(e.at).toISOString()}>{new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium', hourCycle: 'h23', timeZone: pm.timeZone }).format(e.at)}</time> {e.by} {e.text}
            </li>
          ))}
        </ol>
      </section>
      <footer className="checklist-actions">
        <button type="button" onClick={onCopyMarkdown}>
          {t('reports.copyMarkdown')}
        </button>
        {(['markdown', 'html', 'pdf', 'json'] as const).map((fmt) => (
          <button key={fmt} type="button" onClick={() => onExport(fmt)}>
            {t(`reports.export.${fmt}`)}
          </button>
        ))}
      </footer>
    </form>
  );
}
