import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatReportTime } from '../../../core/reports/format';
import type { Handover, HandoverEdit } from '../../../core/reports/handover';
import type { ReportFormat } from './postmortem-editor';

/** Props only: the parent applies edits with `editHandover`, copies and exports. */
export interface HandoverViewProps {
  value: Handover;
  onEdit: (edit: HandoverEdit) => void;
  onCopyForChat: () => void;
  onExport: (format: ReportFormat) => void;
  onAcknowledge: () => void;
}

const SEV = ['P1', 'P2', 'P3', 'P4'] as const;

function Table({ label, header, rows, none }: { label: string; header: string[]; rows: string[][]; none: string }) {
  return (
    <section aria-label={label}>
      <h3>{label}</h3>
      {rows.length === 0 ? (
        <p className="empty">{none}</p>
      ) : (
        <table>
          <thead>
            <tr>
              {header.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => (
                  <td key={j}>{c}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The shift handover, prefilled: read-only facts, editable notes and watch items, copy and export. */
export function HandoverView({ value: h, onEdit, onCopyForChat, onExport, onAcknowledge }: HandoverViewProps) {
  const { t } = useTranslation();
  const k = (key: string, p?: Record<string, unknown>) => t(`reports.handover.${key}`, p);
  const time = (ms: number | null) => (ms === null ? '' : formatReportTime(ms, h.window.timeZone));
  const [watch, setWatch] = useState(h.watchItems.join('\n'));
  const none = k('none');
  return (
    <article className="handover" aria-label={k('title')}>
      <h2>{k('title')}</h2>
      <dl>
        <dt>{k('window')}</dt>
        <dd>
          {time(h.window.start)} – {time(h.window.end)}
        </dd>
        <dt>{k('outgoing')}</dt>
        <dd>{h.outgoing}</dd>
        <dt>{k('incoming')}</dt>
        <dd>
          <input aria-label={k('incoming')} value={h.incoming} onChange={(e) => onEdit({ incoming: e.target.value })} />
        </dd>
      </dl>
      <Table
        label={k('pages')}
        header={[k('severity'), k('thisShift'), k('previousShift')]}
        rows={[...SEV.map((s) => [s, String(h.pages.thisShift[s]), String(h.pages.previousShift[s])]), [k('total'), String(h.pages.thisShift.total), String(h.pages.previousShift.total)]]}
        none={none}
      />
      <Table label={k('noisiest')} header={[k('alert'), k('count')]} rows={h.noisiest.map((n) => [n.alert, String(n.count)])} none={none} />
      <Table label={k('outOfHours')} header={[k('alert'), k('severity'), k('receivedAt')]} rows={h.outOfHours.map((p) => [p.title, p.severity, time(p.at)])} none={none} />
      <Table
        label={k('openIncidents')}
        header={[k('incident'), k('severity'), k('status'), k('owner'), k('lastUpdate'), k('nextStep')]}
        rows={h.openIncidents.map((i) => [i.title, i.severity, t(`incidents.status.${i.status}`), i.owner ?? t('incidents.roles.unassigned'), i.lastUpdate ?? '', i.nextStep ?? ''])}
        none={none}
      />
      <Table label={k('resolved')} header={[k('incident'), k('severity'), k('resolvedAt'), k('postmortem')]} rows={h.resolved.map((i) => [i.title, i.severity, time(i.resolvedAt), i.postmortem ?? ''])} none={none} />
      <Table label={k('openRuns')} header={[k('runbook'), k('progress'), k('nextStep')]} rows={h.openRuns.map((r) => [r.runbook, `${r.handled}/${r.total}`, r.nextStep ?? ''])} none={none} />
      <Table label={k('silences')} header={[k('what'), k('kind'), k('expires')]} rows={h.silences.map((s) => [s.description, k(s.kind), time(s.endsAt)])} none={none} />
      <section aria-label={k('selfTest')}>
        <h3>{k('selfTest')}</h3>
        <p>{h.selfTest ? (h.selfTest.ok ? k('selfTestOk', { time: time(h.selfTest.at) }) : k('selfTestFailed', { time: time(h.selfTest.at), detail: h.selfTest.detail })) : k('selfTestNone')}</p>
      </section>
      <label className="postmortem-field">
        <span>{k('watchItems')}</span>
        <textarea rows={3} value={watch} onChange={(e) => setWatch(e.target.value)} onBlur={() => onEdit({ watchItems: watch.split('\n') })} />
      </label>
      <label className="postmortem-field">
        <span>{k('notes')}</span>
        <textarea rows={4} value={h.notes} onChange={(e) => onEdit({ notes: e.target.value })} />
      </label>
      <p className="ack">
        {h.acknowledgedBy && h.acknowledgedAt !== null ? (
          k('ackedAt', { incoming: h.acknowledgedBy, time: time(h.acknowledgedAt) })
        ) : (
          <button type="button" onClick={onAcknowledge}>
            {k('ack', { incoming: h.incoming })}
          </button>
        )}
      </p>
      <footer className="checklist-actions">
        <button type="button" onClick={onCopyForChat}>
          {t('reports.copyForChat')}
        </button>
        {(['markdown', 'html', 'pdf', 'json'] as const).map((fmt) => (
          <button key={fmt} type="button" onClick={() => onExport(fmt)}>
            {t(`reports.export.${fmt}`)}
          </button>
        ))}
      </footer>
    </article>
  );
}
