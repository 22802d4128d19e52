import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReportError } from '../../../src/core/reports/errors';
import { postmortemFromJson, postmortemJsonSchema, postmortemToJson, prefillFromStores, prefillPostmortem, type Postmortem } from '../../../src/core/reports/postmortem';
import { postmortemFromMarkdown, postmortemToMarkdown } from '../../../src/core/reports/postmortem-markdown';
import { MIN, resolvedIncident, T0, translator } from './scenario';

const en = translator('en');
const de = translator('de');

function draft(t = en): Postmortem {
  const s = resolvedIncident();
  return prefillPostmortem({ id: 'pm-1', incident: s.incident, timeline: s.timeline, runs: [s.run], authors: ['ann', 'cem'], timeZone: 'Europe/Berlin', t }, T0 + 60 * MIN);
}

/** A postmortem the engineer has written, with text that tends to break exporters. */
function written(): Postmortem {
  return {
    ...draft(),
    status: 'inReview',
    summary: 'Checkout failed for **12 %** of users for 40 minutes.\n\n## not a section\nSee <https://status.example.com>.',
    impact: 'About 1,300 orders failed.\nTotals\n---\nnot a heading either',
    rootCause: 'A config flag `cart.v2=true` shipped to all regions at once.\n\n```\n# a comment in code\n```',
    actionItems: [
      { item: 'Stage flags per region | not all at once', type: 'prevent', owner: 'dora', due: '2026-03-16', ticket: 'OPS-123' },
      { item: 'Alert on checkout <5xx> rate & latency_p99 *per* region [EU]', type: 'mitigate', owner: 'ann', due: null, ticket: null },
      { item: 'Rehearse rollbacks monthly', type: 'process', owner: 'cem', due: '2026-04-01', ticket: 'https://tracker.example/OPS-124' },
    ],
    lessons: { wentWell: '- Rollback took 4 minutes\n- Comms were on time', wentWrong: 'The flag had no kill switch.', gotLucky: 'It happened at 11:00, not at 03:00.' },
  };
}

describe('postmortem prefilled from the incident', () => {
  it('takes title, severity, owner, date and a review due within a week', () => {
    const pm = draft();
    expect(pm).toMatchObject({ title: 'CheckoutErrorRate', severity: 'P1', owner: 'ann', status: 'draft', date: '2026-03-02', reviewDueBy: '2026-03-09', incidentId: 'inc-7', authors: ['ann', 'cem'] });
  });

  it('carries the metrics and the timeline with OUTAGE BEGINS, MITIGATED and ENDS markers', () => {
    const pm = draft();
    expect(pm.metrics).toEqual({ timeToDetect: 4 * MIN, timeToAcknowledge: 3 * MIN, timeToMitigate: 17 * MIN, timeToResolve: 44 * MIN });
    const markers = pm.timeline.filter((e) => e.marker);
    expect(markers.map((m) => [m.marker, m.text, (m.at - T0) / MIN])).toEqual([
      ['outageBegins', 'OUTAGE BEGINS', -4],
      ['mitigated', 'MITIGATED', 13],
      ['ends', 'ENDS', 40],
    ]);
    const texts = pm.timeline.map((e) => e.text);
    expect(texts).toContain('Page acknowledged: CheckoutErrorRate');
    expect(texts).toContain('Status update: Checkout failing for some users; rollback under way');
    expect(texts).toContain('Status Investigating → Monitoring');
    expect(texts).toContain('Communications Manager: cem');
    expect(pm.timeline.map((e) => e.at)).toEqual([...pm.timeline.map((e) => e.at)].sort((a, b) => a - b));
    expect(draft(de).timeline.filter((e) => e.marker).map((e) => e.text)).toEqual(['AUSFALL BEGINNT', 'EINGEDÄMMT', 'ENDE']);
  });

  it('lists the runbook steps run, with timestamps to the second', () => {
    expect(draft().runbookSteps).toEqual([
      { at: T0 + 8 * MIN, by: 'ann', runbook: 'Checkout errors', step: 'Check the error dashboard', result: 'done', note: null },
      { at: T0 + 12 * MIN, by: 'ben', runbook: 'Checkout errors', step: 'Roll back cart | service', result: 'done', note: null },
      { at: T0 + 12 * MIN + 30_000, by: 'ann', runbook: 'Checkout errors', step: 'Purge the CDN', result: 'skipped', note: 'no CDN in front of checkout' },
    ]);
  });

  it('can be built straight from the stores', () => {
    const s = resolvedIncident();
    const pm = prefillFromStores({ id: 'pm-1', incident: s.incident, runs: [s.run], authors: ['ann', 'cem'], timeZone: 'Europe/Berlin', t: en, sources: { pages: s.pages, pageEvents: s.pageEvents, me: 'ann' } }, T0 + 60 * MIN);
    expect(pm).toEqual(draft());
  });
});

describe('JSON export', () => {
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(postmortemJsonSchema());

  it('validates against its JSON Schema and reads back field by field', () => {
    const pm = written();
    const json = postmortemToJson(pm);
    expect(validate(JSON.parse(json)), JSON.stringify(validate.errors)).toBe(true);
    const back = postmortemFromJson(json);
    for (const key of Object.keys(pm) as Array<keyof Postmortem>) expect(back[key], key).toEqual(pm[key]);
  });

  it('the schema rejects what the importer rejects', () => {
    const bad = { ...JSON.parse(postmortemToJson(written())), severity: 'P9' };
    expect(validate(bad)).toBe(false);
    expect(() => postmortemFromJson(JSON.stringify(bad))).toThrow(ReportError);
    try {
      postmortemFromJson(JSON.stringify({ ...bad, severity: 'P1', actionItems: [{ item: 'x', type: 'blame', owner: '', due: null, ticket: null }] }));
      expect.unreachable();
    } catch (err) {
      expect((err as ReportError).code).toBe('schemaMismatch');
      expect((err as ReportError).params.field).toBe('actionItems.0.type');
    }
    expect(() => postmortemFromJson('{"id": ')).toThrow(/jsonInvalid/);
  });
});

describe('Markdown export', () => {
  it('is GFM with the sections and tables a reader expects', () => {
    const md = postmortemToMarkdown(written(), en);
    expect(md).toMatch(/^---\nschemaVersion: 1\n/);
    for (const h of ['## Summary', '## Root cause', '## Action items', '### Where we got lucky', '## Metrics', '## Timeline', '## Runbook steps run']) expect(md).toContain(`\n${h}\n`);
    expect(md).toContain('| Time to resolve | 44m 00s |');
    expect(md).toContain('| 2026-03-02 10:56:00 UTC+01:00 |   | **OUTAGE BEGINS** |');
    expect(md).toContain('Stage flags per region \\| not all at once');
  });

  for (const [lang, t] of [['en', en], ['de', de]] as const) {
    it(`parses back to the same fields (${lang})`, () => {
      const pm = written();
      const back = postmortemFromMarkdown(postmortemToMarkdown(pm, t), t);
      for (const key of Object.keys(pm) as Array<keyof Postmortem>) expect(back[key], key).toEqual(pm[key]);
    });
  }

  it('reads back a file edited by hand', () => {
    const md = postmortemToMarkdown(written(), en).replace('status: inReview', 'status: reviewed').replace('The flag had no kill switch.', 'The flag had no kill switch.\nNobody owned the flag.');
    const back = postmortemFromMarkdown(md, en);
    expect(back.status).toBe('reviewed');
    expect(back.lessons.wentWrong).toBe('The flag had no kill switch.\nNobody owned the flag.');
  });

  it('names the broken field when the file does not fit', () => {
    const md = postmortemToMarkdown(written(), en);
    expect(() => postmortemFromMarkdown(md.replace('| Prevent |', '| Blame |'), en)).toThrow(/actionItems\.0\.type/);
    expect(() => postmortemFromMarkdown('# just a heading\n', en)).toThrow(/front matter/);
    expect(() => postmortemFromMarkdown(md.replace('2026-03-02 10:56:00 UTC+01:00', 'yesterday'), en)).toThrow(/timeline/);
  });

  it('any single-line action item survives the round trip (property)', () => {
    const base = { ...written(), timeline: [], runbookSteps: [] };
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }).map((s) => s.replace(/[\r\n\t]/g, ' ').replace(/ +/g, ' ').trim()).filter((s) => s !== ''), fc.string({ maxLength: 20 }).map((s) => s.replace(/\s+/g, ' ').trim()), (item, owner) => {
        const pm = { ...base, actionItems: [{ item, type: 'prevent' as const, owner, due: null, ticket: null }] };
        const back = postmortemFromMarkdown(postmortemToMarkdown(pm, en), en);
        return back.actionItems[0]!.item === item && back.actionItems[0]!.owner === owner;
      }),
      { numRuns: 60 },
    );
  });
});
