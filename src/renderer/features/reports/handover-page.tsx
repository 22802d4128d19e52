import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { defaultWorkingHours } from '../../../core/incidents/targets';
import { acknowledgeHandover, buildHandover, editHandover, handoverToJson, lastShiftWindow, type Handover, type HandoverEdit, type SelfTestInfo, type SilenceInfo } from '../../../core/reports/handover';
import { handoverForChat, handoverToHtml, handoverToMarkdown } from '../../../core/reports/handover-export';
import { finalShifts } from '../../../core/rota/engine';
import type { OnCallDb } from '../../db/database';
import { db } from '../../db/instance';
import { loadPrefs, loadRota } from '../../db/rota-repo';
import { bridge } from '../../bridge';
import { useAppStore } from '../../store';
import { systemZone } from '../rota/use-rota';
import { HandoverView } from './handover-view';
import type { ReportFormat } from './postmortem-editor';

const HOUR = 3_600_000;
/** Without a rota shift the handover covers the last 12 hours. */
export const DEFAULT_WINDOW_MS = 12 * HOUR;

/**
 * Collects a handover from the stores: my last shift from the rota (or the last 12 h), its pages
 * and the previous window's, incidents open or resolved in it, and the runs still open.
 */
export async function collectHandover(store: OnCallDb, now: number, zone: string, alarms: { silences: SilenceInfo[]; selfTest: SelfTestInfo | null } = { silences: [], selfTest: null }): Promise<Handover> {
  const [schedules, prefs] = await Promise.all([loadRota(store), loadPrefs(store, zone)]);
  const me = prefs.me.trim() || 'local';
  const shifts = schedules.flatMap((s) => finalShifts(s, now - 14 * 24 * HOUR, now + 24 * HOUR));
  const window = lastShiftWindow(shifts, me, now) ?? { start: now - DEFAULT_WINDOW_MS, end: now, incoming: null };
  const span = window.end - window.start;
  const [pages, incidents, runs, postmortems] = await Promise.all([
    store.pages.where('receivedAt').between(window.start - span, window.end, true, false).toArray(),
    store.incidents.toArray(),
    store.runs.where('status').equals('running').toArray(),
    store.postmortems.toArray(),
  ]);
  return buildHandover(
    {
      window: { start: window.start, end: window.end, timeZone: prefs.timeZone },
      outgoing: me,
      incoming: window.incoming ?? '',
      pages,
      incidents: incidents.filter((i) => i.status !== 'resolved' || (i.resolvedAt ?? 0) >= window.start),
      runs,
      postmortems: Object.fromEntries(postmortems.map((p) => [p.incidentId, p.title])),
      workingHours: defaultWorkingHours(prefs.timeZone),
      silences: alarms.silences,
      selfTest: alarms.selfTest,
    },
    now,
  );
}

/** Snoozes that outlive the shift and the last self-test, from main's alarm view. */
export function alarmFacts(view: Awaited<ReturnType<ReturnType<typeof bridge>['getAlarms']>>, t: (key: string, p?: Record<string, unknown>) => string): { silences: SilenceInfo[]; selfTest: SelfTestInfo | null } {
  const silences = view.snoozes.map((s): SilenceInfo => ({ id: `${s.kind}:${s.target}`, kind: 'snooze', description: s.target, endsAt: s.until }));
  const { failing, lastPassedAt, lastRunAt } = view.selfTest;
  const failed = failing[0];
  const selfTest: SelfTestInfo | null = failed
    ? { ok: false, at: failed.at, detail: failing.map((f) => (f.reason ? t(f.reason.code, f.reason.params) : f.check)).join('; ') }
    : lastPassedAt !== null
      ? { ok: true, at: lastPassedAt, detail: '' }
      : lastRunAt !== null
        ? { ok: true, at: lastRunAt, detail: '' }
        : null;
  return { silences, selfTest };
}

/** The shift handover, prefilled from the stores, edited, exported through main, or copied for chat. */
export function HandoverPage() {
  const { t, i18n } = useTranslation();
  const reportError = useAppStore((s) => s.reportError);
  const [handover, setHandover] = useState<Handover | null>(null);
  const [savedTo, setSavedTo] = useState<string | null>(null);
  const tr = (k: string, p?: Record<string, unknown>) => t(k, p);
  const fail = (err: Error) => reportError(err.message);
  useEffect(() => {
    // snoozes and the self-test come from main's alarm layer; without it the report says "none"
    bridge()
      .getAlarms()
      .then((view) => alarmFacts(view, (key, p) => t(key, p)))
      .catch(() => ({ silences: [], selfTest: null }))
      .then((alarms) => collectHandover(db, Date.now(), systemZone(), alarms))
      .then(setHandover, fail);
    // collected once when opened; the engineer edits from there
  }, []);
  if (!handover) return null;
  const content = (format: ReportFormat) => (format === 'markdown' ? handoverToMarkdown(handover, tr) : format === 'json' ? handoverToJson(handover) : handoverToHtml(handover, tr, i18n.language));
  const onExport = (format: ReportFormat) => {
    const day = new Date(handover.window.end).toISOString().slice(0, 10);
    bridge()
      .saveReport({ format, fileName: `handover ${day} ${handover.outgoing}`, content: content(format) })
      .then((r) => setSavedTo(r.path))
      .catch(fail);
  };
  return (
    <section className="handover-page">
      <HandoverView
        value={handover}
        onEdit={(edit: HandoverEdit) => setHandover(editHandover(handover, edit))}
        onCopyForChat={() => void navigator.clipboard?.writeText(handoverForChat(handover, tr)).catch(fail)}
        onExport={onExport}
        onAcknowledge={() => setHandover(acknowledgeHandover(handover, handover.incoming || 'incoming', Date.now()))}
      />
      {savedTo && (
        <p role="status" className="ok-text">
          {t('reports.savedTo', { path: savedTo })}
        </p>
      )}
    </section>
  );
}
