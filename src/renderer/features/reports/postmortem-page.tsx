import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { editPostmortem, postmortemToJson, prefillPostmortem, type Postmortem, type PostmortemEdit } from '../../../core/reports/postmortem';
import { postmortemToHtml } from '../../../core/reports/postmortem-html';
import { postmortemToMarkdown } from '../../../core/reports/postmortem-markdown';
import { bridge } from '../../bridge';
import { db } from '../../db/instance';
import { loadIncidentDetail } from '../../db/incidents-repo';
import { importPostmortemJson, postmortemOfIncident, savePostmortem } from '../../db/reports-repo';
import { useAppStore } from '../../store';
import { systemZone } from '../rota/use-rota';
import { useMe } from '../runbooks/work-state';
import { PostmortemEditor, type ReportFormat } from './postmortem-editor';

/** Edits are stored this long after the last keystroke; the draft survives a restart. */
export const AUTOSAVE_MS = 400;

type Translated = Error & { code?: string; params?: Record<string, unknown> };

/** The report text for a format; PDF is printed by main from the HTML. */
export function reportContent(pm: Postmortem, format: ReportFormat, t: (k: string, p?: Record<string, unknown>) => string, lang: string): string {
  if (format === 'markdown') return postmortemToMarkdown(pm, t);
  if (format === 'json') return postmortemToJson(pm);
  return postmortemToHtml(pm, t, lang);
}

/**
 * The postmortem of an incident: prefilled from its timeline and runs the first time, then edited
 * with autosave, exported through main's save dialog, copied as Markdown, or re-imported from JSON.
 */
export function PostmortemPage({ incidentId }: { incidentId: string }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const reportError = useAppStore((s) => s.reportError);
  const [pm, setPm] = useState<Postmortem | null>(null);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const [savedTo, setSavedTo] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef<Postmortem | null>(null);
  const tr = (k: string, p?: Record<string, unknown>) => t(k, p);
  const fail = (err: Translated) => reportError(err.code && i18n.exists(`reports.errors.${err.code}`) ? t(`reports.errors.${err.code}`, err.params) : err.message);

  useEffect(() => {
    let live = true;
    void (async () => {
      let draft = await postmortemOfIncident(db, incidentId);
      if (!draft) {
        const detail = await loadIncidentDetail(db, incidentId, me);
        if (!detail) return;
        draft = prefillPostmortem({ id: crypto.randomUUID(), incident: detail.incident, timeline: detail.timeline, runs: detail.runs, authors: [me], timeZone: systemZone(), t: tr }, Date.now());
        await savePostmortem(db, draft);
      }
      if (live) {
        latest.current = draft;
        setPm(draft);
        setSavedAt(draft.updatedAt);
      }
    })().catch(fail);
    return () => {
      live = false;
    };
    // prefilled once per incident; later edits are the engineer's
  }, [incidentId]);

  // a pending autosave is written when the editor closes, never dropped
  useEffect(
    () => () => {
      if (timer.current && latest.current) void savePostmortem(db, latest.current);
    },
    [],
  );

  const onEdit = (edit: PostmortemEdit) => {
    if (!pm) return;
    let next: Postmortem;
    try {
      next = editPostmortem(pm, edit, Date.now());
    } catch (err) {
      return fail(err as Translated);
    }
    latest.current = next;
    setPm(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      savePostmortem(db, next)
        .then(() => setSavedAt(next.updatedAt))
        .catch(fail);
    }, AUTOSAVE_MS);
  };
  const onExport = (format: ReportFormat) => {
    if (!pm) return;
    bridge()
      .saveReport({ format, fileName: `postmortem ${pm.date} ${pm.title}`, content: reportContent(pm, format, tr, i18n.language) })
      .then((r) => setSavedTo(r.path))
      .catch(fail);
  };
  const onImport = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    void file
      .text()
      .then((text) => importPostmortemJson(db, text))
      .then((imported) => {
        latest.current = imported;
        setPm(imported);
      })
      .catch(fail);
  };
  if (!pm) return null;
  return (
    <section className="postmortem-page">
      <PostmortemEditor value={pm} onEdit={onEdit} onExport={onExport} onCopyMarkdown={() => void navigator.clipboard?.writeText(postmortemToMarkdown(pm, tr)).catch(fail)} savedAt={savedAt} />
      <div className="inline-form">
        <label>
          {t('reports.importJson')} <input type="file" accept=".json,application/json" onChange={onImport} />
        </label>
        {savedTo && (
          <span role="status" className="ok-text">
            {t('reports.savedTo', { path: savedTo })}
          </span>
        )}
      </div>
    </section>
  );
}
