import type { Translate } from './errors';
import { escapeHtml, escapeMarkdownInline as esc, formatReportTime, renderNodesToHtml } from './format';
import type { Handover } from './handover';
import { htmlDocument, htmlTable } from './html';
import { escapeProse, mdTable, proseToRenderNodes } from './markdown';

const SEV = ['P1', 'P2', 'P3', 'P4'] as const;
const k = (t: Translate, key: string, params?: Record<string, unknown>) => t(`reports.handover.${key}`, params);

interface Block {
  key: string;
  header: string[];
  rows: string[][];
  /** Column widths in percent for the HTML table. */
  widths: number[];
}

/** The tables both Markdown and HTML show, with plain-text cells. */
function blocks(h: Handover, t: Translate): Block[] {
  const time = (ms: number | null) => (ms === null ? '' : formatReportTime(ms, h.window.timeZone));
  const thisShift = h.pages.thisShift;
  const prev = h.pages.previousShift;
  return [
    {
      key: 'pages',
      header: [k(t, 'severity'), k(t, 'thisShift'), k(t, 'previousShift')],
      rows: [...SEV.map((s) => [s, String(thisShift[s]), String(prev[s])]), [k(t, 'total'), String(thisShift.total), String(prev.total)]],
      widths: [40, 30, 30],
    },
    { key: 'noisiest', header: [k(t, 'alert'), k(t, 'count')], rows: h.noisiest.map((n) => [n.alert, String(n.count)]), widths: [75, 25] },
    { key: 'outOfHours', header: [k(t, 'alert'), k(t, 'severity'), k(t, 'receivedAt')], rows: h.outOfHours.map((p) => [p.title, p.severity, time(p.at)]), widths: [50, 15, 35] },
    {
      key: 'openIncidents',
      header: [k(t, 'incident'), k(t, 'severity'), k(t, 'status'), k(t, 'owner'), k(t, 'lastUpdate'), k(t, 'nextStep')],
      rows: h.openIncidents.map((i) => [i.title, i.severity, t(`incidents.status.${i.status}`), i.owner ?? t('incidents.roles.unassigned'), i.lastUpdate ? `${time(i.lastUpdateAt)}: ${i.lastUpdate}` : '', i.nextStep ?? '']),
      widths: [18, 12, 16, 11, 23, 20],
    },
    { key: 'resolved', header: [k(t, 'incident'), k(t, 'severity'), k(t, 'resolvedAt'), k(t, 'postmortem')], rows: h.resolved.map((i) => [i.title, i.severity, time(i.resolvedAt), i.postmortem ?? '']), widths: [30, 12, 26, 32] },
    { key: 'openRuns', header: [k(t, 'runbook'), k(t, 'progress'), k(t, 'startedAt'), k(t, 'nextStep')], rows: h.openRuns.map((r) => [r.runbook, `${r.handled}/${r.total}`, time(r.startedAt), r.nextStep ?? '']), widths: [28, 12, 26, 34] },
    { key: 'silences', header: [k(t, 'what'), k(t, 'kind'), k(t, 'expires')], rows: h.silences.map((s) => [s.description, k(t, s.kind), time(s.endsAt)]), widths: [52, 18, 30] },
  ];
}

function selfTestLine(h: Handover, t: Translate): string {
  if (!h.selfTest) return k(t, 'selfTestNone');
  const time = formatReportTime(h.selfTest.at, h.window.timeZone);
  return h.selfTest.ok ? k(t, 'selfTestOk', { time }) : k(t, 'selfTestFailed', { time, detail: h.selfTest.detail });
}

/** The acknowledgement line; `name` escapes the person's name for the target format. */
function ackLine(h: Handover, t: Translate, name: (s: string) => string = (s) => s): string {
  return h.acknowledgedBy && h.acknowledgedAt !== null
    ? k(t, 'ackedAt', { incoming: name(h.acknowledgedBy), time: formatReportTime(h.acknowledgedAt, h.window.timeZone) })
    : k(t, 'ackLine', { incoming: name(h.incoming) });
}

function facts(h: Handover, t: Translate): Array<[string, string]> {
  return [
    [k(t, 'window'), `${formatReportTime(h.window.start, h.window.timeZone)} – ${formatReportTime(h.window.end, h.window.timeZone)}`],
    [k(t, 'timeZone'), h.window.timeZone],
    [k(t, 'outgoing'), h.outgoing],
    [k(t, 'incoming'), h.incoming],
  ];
}

/** The handover as GFM Markdown. */
export function handoverToMarkdown(h: Handover, t: Translate): string {
  const parts = [`# ${esc(k(t, 'title'))}`, mdTable(['', ''], facts(h, t).map(([a, b]) => [esc(a), esc(b)]))];
  for (const b of blocks(h, t)) {
    parts.push(`## ${k(t, b.key)}`);
    parts.push(b.rows.length === 0 ? `_${esc(k(t, 'none'))}_` : mdTable(b.header.map(esc), b.rows.map((r) => r.map(esc))));
  }
  parts.push(`## ${k(t, 'selfTest')}`, esc(selfTestLine(h, t)));
  parts.push(`## ${k(t, 'watchItems')}`, h.watchItems.length === 0 ? `_${esc(k(t, 'none'))}_` : h.watchItems.map((w) => `- ${esc(w)}`).join('\n'));
  parts.push(`## ${k(t, 'notes')}`, h.notes.trim() === '' ? `_${esc(k(t, 'none'))}_` : escapeProse(h.notes));
  parts.push('---', ackLine(h, t, esc));
  return `${parts.join('\n\n')}\n`;
}

/** The handover as one self-contained, print-ready HTML file (the PDF is printed from it). */
export function handoverToHtml(h: Handover, t: Translate, lang: string): string {
  const out = [`<h1>${escapeHtml(k(t, 'title'))}</h1>`, `<dl class="facts">${facts(h, t).map(([a, b]) => `<dt>${escapeHtml(a)}</dt><dd>${escapeHtml(b)}</dd>`).join('')}</dl>`];
  for (const b of blocks(h, t)) {
    out.push(`<section data-field="${b.key}"><h2>${escapeHtml(k(t, b.key))}</h2>${b.rows.length === 0 ? `<p class="empty">${escapeHtml(k(t, 'none'))}</p>` : htmlTable(b.header, b.rows, { widths: b.widths })}</section>`);
  }
  out.push(`<section data-field="selfTest"><h2>${escapeHtml(k(t, 'selfTest'))}</h2><p>${escapeHtml(selfTestLine(h, t))}</p></section>`);
  out.push(
    `<section data-field="watchItems"><h2>${escapeHtml(k(t, 'watchItems'))}</h2>${h.watchItems.length === 0 ? `<p class="empty">${escapeHtml(k(t, 'none'))}</p>` : `<ul>${h.watchItems.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`}</section>`,
  );
  out.push(`<section data-field="notes"><h2>${escapeHtml(k(t, 'notes'))}</h2>${h.notes.trim() === '' ? `<p class="empty">${escapeHtml(k(t, 'none'))}</p>` : renderNodesToHtml(proseToRenderNodes(h.notes))}</section>`);
  out.push(`<p class="ack" data-field="ack">${escapeHtml(ackLine(h, t))}</p>`);
  return htmlDocument(lang, `${k(t, 'title')}: ${h.outgoing} → ${h.incoming}`, out.join('\n'));
}

/** Short Markdown for Slack or Teams: a few lines, the open incidents as bullets. */
export function handoverForChat(h: Handover, t: Translate): string {
  const s = h.pages.thisShift;
  const bySeverity = SEV.filter((x) => s[x] > 0).map((x) => `${x} ${s[x]}`).join(', ') || '0';
  const lines = [
    `*${k(t, 'chatTitle', { outgoing: h.outgoing, incoming: h.incoming })}*`,
    `• ${k(t, 'chatPages', { count: s.total, bySeverity, previous: h.pages.previousShift.total })}`,
    `• ${k(t, 'chatOpen', { count: h.openIncidents.length })}`,
    ...h.openIncidents.map((i) => `  – ${i.severity} ${i.title} (${t(`incidents.status.${i.status}`)}${i.owner ? `, ${i.owner}` : ''})${i.nextStep ? `: ${i.nextStep}` : ''}`),
  ];
  if (h.noisiest[0]) lines.push(`• ${k(t, 'chatNoisiest', { alert: h.noisiest[0].alert, count: h.noisiest[0].count })}`);
  if (h.silences.length > 0) lines.push(`• ${k(t, 'chatSilences', { count: h.silences.length })}`);
  if (h.watchItems.length > 0) lines.push(`• ${k(t, 'chatWatch', { items: h.watchItems.join('; ') })}`);
  return `${lines.join('\n')}\n`;
}
