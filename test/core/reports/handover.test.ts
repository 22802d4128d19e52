// @vitest-environment jsdom
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { applyIncidentAction, createIncident, createIncidentFromPages } from '../../../src/core/incidents/incident';
import { defaultWorkingHours } from '../../../src/core/incidents/targets';
import type { Page } from '../../../src/core/page';
import { postmortemForChat } from '../../../src/core/reports/chat';
import { acknowledgeHandover, buildHandover, handoverFromJson, handoverJsonSchema, handoverToJson, type HandoverInput } from '../../../src/core/reports/handover';
import { handoverForChat, handoverToHtml, handoverToMarkdown } from '../../../src/core/reports/handover-export';
import { prefillPostmortem } from '../../../src/core/reports/postmortem';
import { checklistAsRunbook } from '../../../src/core/runbooks/recurring';
import { applyRunAction, startRun } from '../../../src/core/runbooks/run';
import type { Severity } from '../../../src/core/severity';
import { receivedPage } from '../incidents/pages';
import { MIN, resolvedIncident, T0, translator } from './scenario';

const en = translator('en');
const H = 3_600_000;
// A week-long shift: Monday 09:00 Berlin (08:00 UTC) to the next Monday.
const START = Date.parse('2026-03-02T08:00:00Z');
const END = START + 7 * 24 * H;

function page(id: string, at: number, severity: Severity, alertname: string, fireCount = 1): Page {
  const p = receivedPage(id, at, { severity, title: alertname }).page;
  return { ...p, fireCount };
}

function input(): HandoverInput {
  const pages = [
    page('a', START + 2 * H, 'P2', 'DiskFull', 3), // Mon 11:00 Berlin: working hours
    page('b', START + 15 * H, 'P1', 'ApiDown'), // Mon 00:00 Berlin: out of hours
    page('c', START + 26 * H, 'P3', 'DiskFull'), // Tue 11:00
    page('old', START - 30 * H, 'P4', 'Old'), // previous shift
    page('older', START - 8 * 24 * H, 'P1', 'Ancient'), // before the previous shift
  ];
  let open = createIncidentFromPages([pages[1]!], { id: 'inc-open', by: 'ann' }, START + 15 * H + MIN).incident;
  open = applyIncidentAction(open, { type: 'postUpdate', by: 'ann', text: 'Waiting for the vendor' }, START + 16 * H).incident;
  const rb = checklistAsRunbook({ id: 'api', title: 'API down', items: ['Check the load balancer', 'Fail over to region B'], trigger: { kind: 'shiftStart', leadMinutes: 0 } });
  let run = startRun(rb, { id: 'run-open', by: 'ann', incidentId: 'inc-open' }, START + 15 * H + 2 * MIN).run;
  run = applyRunAction(run, { type: 'done', stepId: 'g1.s1', by: 'ann' }, START + 15 * H + 5 * MIN).run;
  open = applyIncidentAction(open, { type: 'linkRun', by: 'ann', runId: 'run-open', title: 'API down' }, START + 15 * H + 2 * MIN).incident;
  let done = createIncident({ id: 'inc-done', by: 'ann', title: 'Disk full on db-1', severity: 'P2' }, START + 2 * H).incident;
  done = applyIncidentAction(done, { type: 'setStatus', by: 'ann', status: 'resolved' }, START + 3 * H).incident;
  return {
    window: { start: START, end: END, timeZone: 'Europe/Berlin' },
    outgoing: 'ann',
    incoming: 'ben',
    pages,
    incidents: [open, done],
    runs: [run],
    silences: [
      { id: 's1', kind: 'silence', description: 'job=backup during migration', endsAt: END + 6 * H },
      { id: 's2', kind: 'snooze', description: 'DiskFull on db-2', endsAt: END - H },
    ],
    selfTest: { ok: true, at: END - 2 * H, detail: '' },
    watchItems: ['  db-2 disk at 85 %  ', ''],
    notes: 'Vendor ticket **#4411** is open.',
    postmortems: { 'inc-done': 'postmortems/2026-03-02-disk-full.md' },
    workingHours: defaultWorkingHours('Europe/Berlin'),
  };
}

describe('shift handover', () => {
  const h = buildHandover(input(), END);

  it('counts pages by severity against the previous shift of the same length', () => {
    expect(h.previousWindow).toEqual({ start: START - 7 * 24 * H, end: START });
    expect(h.pages.thisShift).toEqual({ P1: 1, P2: 1, P3: 1, P4: 0, total: 3 });
    expect(h.pages.previousShift).toEqual({ P1: 0, P2: 0, P3: 0, P4: 1, total: 1 });
  });

  it('lists the noisiest alerts and the pages outside working hours', () => {
    expect(h.noisiest).toEqual([
      { alert: 'DiskFull', count: 4 },
      { alert: 'ApiDown', count: 1 },
    ]);
    expect(h.outOfHours.map((p) => p.pageId)).toEqual(['b']);
  });

  it('shows open incidents with owner, last update and next step; resolved ones with their postmortem', () => {
    expect(h.openIncidents).toEqual([
      { id: 'inc-open', title: 'ApiDown', severity: 'P1', status: 'investigating', owner: 'ann', lastUpdateAt: START + 16 * H, lastUpdate: 'Waiting for the vendor', nextStep: 'Fail over to region B' },
    ]);
    expect(h.resolved).toEqual([{ id: 'inc-done', title: 'Disk full on db-1', severity: 'P2', resolvedAt: START + 3 * H, postmortem: 'postmortems/2026-03-02-disk-full.md' }]);
    expect(h.openRuns).toEqual([{ id: 'run-open', runbook: 'API down', handled: 1, total: 2, startedAt: START + 15 * H + 2 * MIN, nextStep: 'Fail over to region B' }]);
  });

  it('keeps only silences that outlive the shift, the self-test, and trimmed watch items', () => {
    expect(h.silences.map((s) => s.id)).toEqual(['s1']);
    expect(h.selfTest?.ok).toBe(true);
    expect(h.watchItems).toEqual(['db-2 disk at 85 %']);
  });

  it('refuses a window that ends before it starts', () => {
    expect(() => buildHandover({ ...input(), window: { start: END, end: START, timeZone: 'UTC' } }, END)).toThrow(/windowInvalid/);
  });

  it('exports JSON that validates against its schema and reads back', () => {
    const acked = acknowledgeHandover(h, 'ben', END + 5 * MIN);
    const json = handoverToJson(acked);
    const validate = new Ajv2020({ strict: false }).compile(handoverJsonSchema());
    expect(validate(JSON.parse(json)), JSON.stringify(validate.errors)).toBe(true);
    expect(handoverFromJson(json)).toEqual(acked);
    expect(() => handoverFromJson(json.replace('"incoming": "ben"', '"incoming": 7'))).toThrow(/incoming/);
  });

  it('exports Markdown and HTML with every section, the times in the shift zone and an acknowledgement line', () => {
    const md = handoverToMarkdown(h, en);
    expect(md).toContain('| 2026-03-02 09:00:00 UTC+01:00 – 2026-03-09 09:00:00 UTC+01:00 |');
    expect(md).toContain('| P1 | 1 | 0 |');
    expect(md).toContain('| ApiDown | P1 | Investigating | ann | 2026-03-03 01:00:00 UTC+01:00: Waiting for the vendor | Fail over to region B |');
    expect(md).toContain('Acknowledged by ben: ____');
    const d = new DOMParser().parseFromString(handoverToHtml(acknowledgeHandover(h, 'ben', END), en, 'en'), 'text/html');
    const sections = [...d.querySelectorAll('section')].map((s) => s.dataset.field);
    expect(sections).toEqual(['pages', 'noisiest', 'outOfHours', 'openIncidents', 'resolved', 'openRuns', 'silences', 'selfTest', 'watchItems', 'notes']);
    expect(d.querySelector('[data-field="notes"] strong')!.textContent).toBe('#4411');
    expect(d.querySelector('[data-field="ack"]')!.textContent).toBe('Acknowledged by ben at 2026-03-09 09:00:00 UTC+01:00');
    expect(d.querySelector('[data-field="resolved"] td:last-child')!.textContent).toBe('postmortems/2026-03-02-disk-full.md');
  });

  it('copies a short chat message', () => {
    expect(handoverForChat(h, en)).toBe(
      [
        '*Shift handover ann → ben*',
        '• Pages: 3 (P1 1, P2 1, P3 1), previous shift 1',
        '• Open incidents: 1',
        '  – P1 ApiDown (Investigating, ann): Fail over to region B',
        '• Noisiest: DiskFull ×4',
        '• Active silences/snoozes: 1',
        '• Watch: db-2 disk at 85 %',
        '',
      ].join('\n'),
    );
    expect(handoverForChat(h, translator('de'))).toContain('Offene Incidents: 1');
  });

  it('a postmortem also copies for chat', () => {
    const s = resolvedIncident();
    const pm = { ...prefillPostmortem({ id: 'pm', incident: s.incident, timeline: s.timeline, runs: [s.run], authors: ['ann'], timeZone: 'UTC', t: en }, T0 + 60 * MIN), summary: 'Checkout failed for 40 minutes.\nMore detail.' };
    expect(postmortemForChat(pm, en)).toBe(
      '*Postmortem: CheckoutErrorRate* (P1, Draft)\n• Time to detect 4m · Time to acknowledge 3m · Time to mitigate 17m · Time to resolve 44m\n• Checkout failed for 40 minutes.\n',
    );
  });
});

describe('the default shift window', () => {
  it('is my last shift, joined across back-to-back pieces, with who comes next', async () => {
    const { lastShiftWindow } = await import('../../../src/core/reports/handover');
    const D = 24 * H;
    const shifts = [
      { person: 'ann', start: START - 7 * D, end: START },
      { person: 'ben', start: START, end: START + 7 * D },
      { person: 'ann', start: START + 7 * D, end: START + 8 * D },
      { person: 'ann', start: START + 8 * D, end: START + 14 * D },
      { person: 'cem', start: START + 14 * D, end: START + 21 * D },
    ];
    expect(lastShiftWindow(shifts, 'ann', START + 3 * D)).toEqual({ start: START - 7 * D, end: START, incoming: 'ben' });
    expect(lastShiftWindow(shifts, 'ann', START + 14 * D)).toEqual({ start: START + 7 * D, end: START + 14 * D, incoming: 'cem' });
    expect(lastShiftWindow(shifts, 'dora', START)).toBeNull();
  });
});
