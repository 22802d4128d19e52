import type { Translate } from './errors';
import { escapeHtml, formatExactDuration, formatReportTime, renderNodesToHtml } from './format';
import { htmlDocument, htmlTable } from './html';
import { proseToRenderNodes } from './markdown';
import type { Postmortem } from './postmortem';
import { PROSE_FIELDS } from './postmortem-markdown';

const METRICS = ['timeToDetect', 'timeToAcknowledge', 'timeToMitigate', 'timeToResolve'] as const;

function prose(text: string, t: Translate): string {
  return text.trim() === '' ? `<p class="empty">${escapeHtml(t('reports.empty'))}</p>` : renderNodesToHtml(proseToRenderNodes(text));
}

/** The postmortem as one self-contained HTML file with print CSS; Electron's printToPDF renders the same. */
export function postmortemToHtml(pm: Postmortem, t: Translate, lang: string): string {
  const f = (k: string) => escapeHtml(t(`reports.postmortem.fields.${k}`));
  const zone = pm.timeZone;
  const facts: Array<[string, string]> = [
    ['severity', `<span class="sev sev-${escapeHtml(pm.severity)}">${escapeHtml(pm.severity)}</span>`],
    ['status', escapeHtml(t(`reports.status.${pm.status}`))],
    ['date', escapeHtml(pm.date)],
    ['authors', escapeHtml(pm.authors.join(', '))],
    ['owner', escapeHtml(pm.owner)],
    ['reviewDueBy', escapeHtml(pm.reviewDueBy)],
  ];
  const out: string[] = [
    `<h1>${escapeHtml(pm.title)}</h1>`,
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${f(k)}</dt><dd data-field="${k}">${v}</dd>`).join('')}</dl>`,
    `<p class="note">${escapeHtml(t('reports.postmortem.blameless'))}</p>`,
  ];
  for (const k of PROSE_FIELDS) out.push(`<section data-field="${k}"><h2>${f(k)}</h2>${prose(pm[k], t)}</section>`);
  out.push(
    `<section data-field="actionItems"><h2>${f('actionItems')}</h2>${htmlTable(
      ['item', 'type', 'owner', 'due', 'ticket'].map((h) => t(`reports.postmortem.actionColumns.${h}`)),
      pm.actionItems.map((a) => [a.item, t(`reports.actionType.${a.type}`), a.owner, a.due ?? '', a.ticket ?? '']),
      { widths: [36, 12, 14, 14, 24], nowrapColumns: [3] },
    )}</section>`,
  );
  out.push(`<section data-field="lessons"><h2>${f('lessons')}</h2>`);
  for (const l of ['wentWell', 'wentWrong', 'gotLucky'] as const) out.push(`<h3>${escapeHtml(t(`reports.postmortem.lessons.${l}`))}</h3>${prose(pm.lessons[l], t)}`);
  out.push('</section>');
  out.push(
    `<section data-field="metrics"><h2>${f('metrics')}</h2>${htmlTable(
      [t('reports.postmortem.fields.metric'), t('reports.postmortem.fields.value')],
      METRICS.map((m) => [t(`incidents.metrics.${m}`), pm.metrics[m] === null ? t('incidents.metrics.notYet') : formatExactDuration(pm.metrics[m]!)]),
      { widths: [60, 40] },
    )}</section>`,
  );
  out.push(
    `<section data-field="timeline"><h2>${f('timeline')}</h2>${htmlTable(
      ['time', 'who', 'event'].map((h) => t(`reports.postmortem.timelineColumns.${h}`)),
      pm.timeline.map((e) => [formatReportTime(e.at, zone), e.by, e.text]),
      { rowClass: (i) => (pm.timeline[i]!.marker ? 'marker' : null), timeColumn: 0, widths: [32, 17, 51] },
    )}</section>`,
  );
  out.push(
    `<section data-field="runbookSteps"><h2>${f('runbookSteps')}</h2>${htmlTable(
      ['time', 'who', 'runbook', 'step', 'result', 'note'].map((h) => t(`reports.postmortem.stepColumns.${h}`)),
      pm.runbookSteps.map((s) => [formatReportTime(s.at, zone), s.by, s.runbook, s.step, t(`reports.stepResult.${s.result}`), s.note ?? '']),
      { timeColumn: 0, widths: [27, 11, 15, 21, 11, 15] },
    )}</section>`,
  );
  return htmlDocument(lang, `${t('reports.postmortem.title')}: ${pm.title}`, out.join('\n'));
}
