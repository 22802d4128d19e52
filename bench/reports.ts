import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { createI18n } from '../src/core/i18n';
import { applyIncidentAction, createIncidentFromPages } from '../src/core/incidents/incident';
import { defaultWorkingHours } from '../src/core/incidents/targets';
import { buildTimeline } from '../src/core/incidents/timeline';
import { applySignal, type Page } from '../src/core/page';
import type { Translate } from '../src/core/reports/errors';
import { buildHandover } from '../src/core/reports/handover';
import { handoverToHtml, handoverToMarkdown } from '../src/core/reports/handover-export';
import { prefillPostmortem } from '../src/core/reports/postmortem';
import { postmortemToHtml } from '../src/core/reports/postmortem-html';
import { postmortemToMarkdown } from '../src/core/reports/postmortem-markdown';
import type { Severity } from '../src/core/severity';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const T0 = Date.parse('2026-03-02T08:00:00Z');

function page(i: number, at: number): Page {
  const sev = (['P1', 'P2', 'P3', 'P4'] as Severity[])[i % 4]!;
  return applySignal(
    undefined,
    { id: `p${i}`, source: 'alertmanager', fingerprint: `f${i}`, groupKey: 'g', status: 'firing', title: `Alert${i % 40}`, severity: sev, summary: '', instance: `host-${i % 50}`, labels: { alertname: `Alert${i % 40}` }, annotations: {}, startsAt: at - 60_000, endsAt: null, generatorUrl: null, runbookUrl: null },
    at,
  ).page;
}

function time(label: string, goal: string, fn: () => unknown): void {
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    fn();
    runs.push(performance.now() - t0);
  }
  console.log(`  ${label}: first ${runs[0]!.toFixed(1)} ms, median of 7 ${median(runs).toFixed(1)} ms   (goal ${goal})`);
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--test-type'];

/**
 * The postmortem's HTML to PDF in Debian Chromium, as Electron's printToPDF does it in the app:
 * a fresh tab per run, setContent + page.pdf with the app's options (A4, backgrounds, CSS page
 * size). Browser start is outside the timing; the first run includes the tab's first layout.
 */
async function benchPdf(html: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const runs: number[] = [];
    let pdf: Uint8Array = new Uint8Array();
    for (let r = 0; r < 5; r++) {
      const tab = await browser.newPage();
      const t0 = performance.now();
      await tab.setContent(html, { waitUntil: 'load' });
      pdf = await tab.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      runs.push(performance.now() - t0);
      await tab.close();
    }
    // each page object is "/Type /Page" (the page tree is "/Type /Pages")
    const pages = (Buffer.from(pdf).toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
    console.log(`  to PDF (Chromium page.pdf, setContent + pdf in a new tab): first ${runs[0]!.toFixed(0)} ms, median of 5 ${median(runs).toFixed(0)} ms   (goal ≤ 2 s); ${pages} A4 pages, ${(pdf.length / 1024).toFixed(0)} KiB`);
  } finally {
    await browser.close();
  }
}

/** A postmortem of a 2,000-event incident to HTML, Markdown and PDF, and a week's handover over 5,000 pages. */
export async function benchReports(): Promise<void> {
  const i18n = createI18n('en');
  const t: Translate = (key, params) => i18n.t(key, params as Record<string, unknown>);
  const pages = Array.from({ length: 20 }, (_, i) => page(i, T0 + i * 1000));
  let incident = createIncidentFromPages(pages, { id: 'inc', by: 'ann' }, T0 + 30_000).incident;
  for (let i = 0; incident.entries.length < 2_000; i++) {
    const at = T0 + 60_000 + i * 5_000;
    incident = applyIncidentAction(incident, i % 10 === 0 ? { type: 'postUpdate', by: 'cem', text: `Update ${i}: still working on it` } : { type: 'note', by: 'ann', text: `Note ${i} with <b>markup</b> & | pipes` }, at).incident;
  }
  incident = applyIncidentAction(incident, { type: 'setStatus', by: 'ann', status: 'resolved' }, T0 + 4 * 3_600_000).incident;
  const timeline = buildTimeline(incident);
  const pm = prefillPostmortem({ id: 'pm', incident, timeline, runs: [], authors: ['ann'], timeZone: 'Europe/Berlin', t }, T0 + 5 * 3_600_000);
  console.log(`reports: postmortem of an incident with ${timeline.length} timeline events:`);
  let html = '';
  time('to HTML', '≤ 200 ms', () => (html = postmortemToHtml(pm, t, 'en')));
  time('to Markdown', 'none set', () => postmortemToMarkdown(pm, t));
  console.log(`  HTML size ${(html.length / 1024).toFixed(0)} KiB`);
  await benchPdf(html);

  const week = 7 * 24 * 3_600_000;
  const weekPages = Array.from({ length: 10_000 }, (_, i) => page(i, T0 - week + Math.floor((i * 2 * week) / 10_000)));
  const input = { window: { start: T0, end: T0 + week, timeZone: 'Europe/Berlin' }, outgoing: 'ann', incoming: 'ben', pages: weekPages, incidents: [incident], runs: [], workingHours: defaultWorkingHours('Europe/Berlin') };
  const h = buildHandover(input, T0 + week);
  console.log(`reports: handover for a week with ${h.pages.thisShift.total} pages (plus ${h.pages.previousShift.total} in the previous week):`);
  time('build', '≤ 300 ms with export', () => buildHandover(input, T0 + week));
  time('build + HTML + Markdown', '≤ 300 ms', () => {
    const x = buildHandover(input, T0 + week);
    handoverToHtml(x, t, 'en');
    handoverToMarkdown(x, t);
  });
}
