import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as React from 'react';
import { applyIncidentAction, createIncident } from '../src/core/incidents/incident';
import { defaultWorkingHours } from '../src/core/incidents/targets';
import { buildTimeline } from '../src/core/incidents/timeline';
import { quickEntry, scanLibrary } from '../src/core/runbooks/library';
import { buildRunbookIndex, matchRunbook } from '../src/core/runbooks/match';
import type { Runbook } from '../src/core/runbooks/model';
import { parseRunbook } from '../src/core/runbooks/parse';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One generated runbook of ~3 KB in one of the four styles the issue lists. */
export function generatedRunbook(i: number): string {
  const name = `Alert${i}`;
  const fm = i % 2 === 0 ? `---\ntitle: Alert number ${i}\naliases: [alias-${i}]\nmatchers:\n  - alertname=${name}\n  - team=~"team-${i % 7}|platform"\nseverity: ${['critical', 'warning', 'info'][i % 3]}\nweight: ${i}\n---\n` : '';
  const intro = `# ${name}\n\n## Meaning\n\nThe service behind ${name} reports errors above its objective for ten minutes. ${'More context about the alert. '.repeat(4)}\n\n## Impact\n\nUsers see slow pages and some failed requests.\n\n`;
  const code = (n: number) => `\`\`\`shell\nkubectl -n ns-${i} logs deploy/svc-${i} --since=${n}m | grep -i error | tail -50\n\`\`\`\n`;
  switch (i % 4) {
    case 0:
      return `${fm}${intro}## Diagnosis\n\nCheck the dashboards for the service.\n\n${code(10)}\nLook at recent deploys:\n\n${code(30)}\n## Mitigation\n\nRoll back the last deploy if it is recent.\n\n${code(5)}\nOtherwise scale up.\n`;
    case 1:
      return `${fm}${intro}## Steps\n\n${Array.from({ length: 8 }, (_, s) => `${s + 1}. Step ${s + 1} for ${name}: check the thing\n   ${code(s).replace(/\n/g, '\n   ')}`).join('\n')}\n`;
    case 2:
      return `${fm}${intro}## Checklist\n\n${Array.from({ length: 5 }, (_, s) => `- [ ] Task ${s}\n  - [ ] Sub-task ${s}.1 with \`inline code\`\n  - [x] Sub-task ${s}.2`).join('\n')}\n\n<details><summary>Raw HTML</summary>\n\nHidden text {{< ref "x.md" >}}\n\n</details>\n`;
    default:
      return `${fm}${intro}## Mitigation\n\n### Option A\n\n**Restart the pods**\n\n${code(1)}\n### Option B\n\n1. Drain the node\n2. Cordon it\n\n| Column | Value |\n| --- | --- |\n| a | b |\n`;
  }
}

/** Parses a folder of 500 generated runbooks and matches 10,000 pages against them. */
export async function benchRunbooks(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'runbooks-bench-'));
  try {
    for (let i = 0; i < 500; i++) {
      const sub = path.join(dir, `team-${i % 10}`);
      mkdirSync(sub, { recursive: true });
      writeFileSync(path.join(sub, `Alert${i}.md`), generatedRunbook(i));
    }
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    const bytes = files.reduce((n, f) => n + readFileSync(path.join(dir, f)).length, 0);
    const runs: number[] = [];
    const cpu: number[] = [];
    let runbooks: Runbook[] = [];
    const read = () => files.map((f) => ({ path: f.split(path.sep).join('/'), text: readFileSync(path.join(dir, f), 'utf8') }));
    for (let r = 0; r < 5; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      runbooks = read().map((f) => parseRunbook(f.text, { path: f.path }));
      runs.push(performance.now() - t0);
      cpu.push(process.cpuUsage(c0).user / 1000);
    }
    const steps = runbooks.reduce((n, rb) => n + rb.groups.reduce((m, g) => m + g.steps.length, 0), 0);
    console.log(`runbooks: read + parse a folder of ${files.length} runbooks (${(bytes / 1024).toFixed(0)} KiB, ${steps} top-level steps), load average ${loadavg()[0]!.toFixed(1)}:`);
    console.log(`  cold: first ${runs[0]!.toFixed(1)} ms, median of 5 ${median(runs).toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU   (goal ≤ 1000 ms)`);
    const quick: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      buildRunbookIndex(read().map(quickEntry));
      quick.push(performance.now() - t0);
    }
    console.log(`  matching index from front matter only (Markdown parsed later, per runbook): median ${median(quick).toFixed(1)} ms`);
    const previous = new Map(runbooks.map((r) => [r.path, r]));
    const rescans: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      const changed = read().map((f, i) => (i === r ? { ...f, text: `${f.text}\nedited ${r}\n` } : f));
      scanLibrary(changed, previous);
      rescans.push(performance.now() - t0);
    }
    console.log(`  rescan with one file changed (unchanged files reused by content hash): median ${median(rescans).toFixed(1)} ms`);

    const pages = Array.from({ length: 10_000 }, (_, i) => {
      const n = (i * 7919) % 600; // some alerts have no runbook
      const style = i % 4;
      return {
        runbookUrl: style === 0 ? `https://runbooks.example.dev/runbooks/team-${n % 10}/alert${n}` : style === 1 ? `https://wiki.example/alias-${n}` : null,
        labels: { alertname: `Alert${n}`, team: `team-${n % 7}` },
      };
    });
    const tIndex = performance.now();
    const index = buildRunbookIndex(runbooks);
    const indexMs = performance.now() - tIndex;
    const matchRuns: number[] = [];
    let found = 0;
    for (let r = 0; r < 5; r++) {
      found = 0;
      const t0 = performance.now();
      for (const p of pages) if (matchRunbook(index, p)) found++;
      matchRuns.push(performance.now() - t0);
    }
    console.log(`runbooks: match 10,000 pages (runbook_url, aliases, label matchers) against 500 runbooks, ${found} matched:`);
    console.log(`  index ${indexMs.toFixed(1)} ms, match first ${matchRuns[0]!.toFixed(1)} ms, median of 5 ${median(matchRuns).toFixed(1)} ms   (goal ≤ 100 ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Renders the incident page for an incident with 2,000 timeline events (React to HTML, no DOM). */
export async function benchIncidentPage(): Promise<void> {
  // tsx compiles the .tsx files with the classic JSX transform, which expects a global React.
  (globalThis as { React?: typeof React }).React = React;
  const { renderToString } = await import('react-dom/server');
  const { I18nextProvider } = await import('react-i18next');
  const { IncidentView } = await import('../src/renderer/features/incidents/incident-view');
  const { setupI18n } = await import('../src/renderer/i18n');
  const { createElement } = React;
  const T0 = Date.parse('2026-03-02T10:00:00Z');
  let incident = createIncident({ id: 'big', by: 'ann', title: 'Checkout down', severity: 'P1' }, T0).incident;
  for (let i = 0; incident.entries.length < 2_000; i++) {
    incident = applyIncidentAction(incident, i % 10 === 0 ? { type: 'postUpdate', by: 'cem', text: `Update ${i}` } : { type: 'note', by: 'ann', text: `Note ${i}` }, T0 + i * 5_000).incident;
  }
  const i18n = setupI18n('en');
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    const timeline = buildTimeline(incident);
    renderToString(createElement(I18nextProvider, { i18n }, createElement(IncidentView, { incident, timeline, runs: [], now: T0 + 3_600_000, by: 'ann', workingHours: defaultWorkingHours('UTC'), onAction: () => undefined })));
    runs.push(performance.now() - t0);
  }
  console.log(`incidents: incident page with ${incident.entries.length} timeline events, timeline merge + React render to HTML of the newest 300 lines (server renderer, ${process.env.NODE_ENV === 'production' ? 'production' : 'development'} React, no layout):`);
  console.log(`  first ${runs[0]!.toFixed(1)} ms, median of 7 ${median(runs).toFixed(1)} ms   (goal ≤ 200 ms in the window)`);
}
