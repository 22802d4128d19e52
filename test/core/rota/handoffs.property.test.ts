import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handoffsFor } from '../../../src/core/rota/handoffs';
import { RRule } from '../../../src/core/rota/rrule';

const D = 86_400_000;
const ruleArb = fc.record({
  freq: fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY'),
  interval: fc.integer({ min: 1, max: 4 }),
  byday: fc.option(fc.subarray(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], { minLength: 1 }), { nil: undefined }),
  byhour: fc.option(fc.subarray([0, 6, 9, 13, 21], { minLength: 1 }), { nil: undefined }),
  count: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
  untilDays: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
  startDay: fc.integer({ min: 0, max: 27 }),
  startHour: fc.integer({ min: 0, max: 23 }),
});

describe('handoffs', () => {
  it('the periodic shortcut yields exactly what iterating rrule yields', () => {
    fc.assert(
      fc.property(ruleArb, fc.array(fc.integer({ min: -5 * D, max: 400 * D }), { minLength: 10, maxLength: 10 }), (r, probes) => {
        const dtstart = Date.UTC(2026, 0, 1 + r.startDay, r.startHour);
        const parts = [`FREQ=${r.freq}`, `INTERVAL=${r.interval}`];
        if (r.byday) parts.push(`BYDAY=${r.byday.join(',')}`);
        if (r.byhour) parts.push(`BYHOUR=${r.byhour.join(',')}`);
        if (r.count) parts.push(`COUNT=${r.count}`);
        if (r.untilDays) parts.push(`UNTIL=${new Date(dtstart + r.untilDays * D).toISOString().replace(/[-:]|\.\d+/g, '')}`);
        const rule = new RRule({ ...RRule.parseString(parts.join(';')), dtstart: new Date(dtstart), tzid: null });
        const finite = r.count !== undefined || r.untilDays !== undefined;
        const truth = (finite ? rule.all() : rule.between(new Date(dtstart - 1), new Date(dtstart + 500 * D), true)).map((d) => d.getTime());
        const h = handoffsFor(rule, dtstart);
        const n = Math.min(truth.length, 200);
        for (let k = 0; k < n; k++) expect(h.wallAt(k), `k=${k} of ${parts.join(';')}`).toBe(truth[k]);
        expect(h.count).toBe(finite ? truth.length : Number.POSITIVE_INFINITY);
        for (const p of probes) {
          const wall = dtstart + p;
          if (!finite && wall > dtstart + 500 * D) continue;
          const expected = truth.filter((w) => w <= wall).length - 1;
          expect(h.lastAtOrBefore(wall), `at +${p / D}d of ${parts.join(';')}`).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('far from its start, a monthly or yearly rule answered from one 400-year cycle matches rrule', () => {
    const arb = fc.record({
      freq: fc.constantFrom('MONTHLY', 'YEARLY'),
      interval: fc.constantFrom(1, 2, 3, 4),
      byday: fc.constantFrom(undefined, '1MO', '-1FR', 'MO,TH'),
      bymonthday: fc.constantFrom(undefined, '1', '31', '-1', '15,29'),
      startYear: fc.integer({ min: 1900, max: 1960 }),
      startDay: fc.integer({ min: 0, max: 364 }),
      probes: fc.array(fc.integer({ min: 0, max: 40 * 366 }), { minLength: 3, maxLength: 3 }),
    });
    fc.assert(
      fc.property(arb, (r) => {
        const dtstart = Date.UTC(r.startYear, 0, 1 + r.startDay, 9);
        const parts = [`FREQ=${r.freq}`, `INTERVAL=${r.interval}`];
        if (r.byday) parts.push(`BYDAY=${r.byday}`);
        if (r.bymonthday) parts.push(`BYMONTHDAY=${r.bymonthday}`);
        const rule = new RRule({ ...RRule.parseString(parts.join(';')), dtstart: new Date(dtstart), tzid: null });
        const h = handoffsFor(rule, dtstart);
        for (const p of r.probes) {
          const wall = Date.UTC(2000, 0, 1) + p * D; // 40 to 140 years after the start
          const truth = rule.between(new Date(dtstart - 1), new Date(wall), true).map((d) => d.getTime());
          const k = h.lastAtOrBefore(wall);
          expect(k, `${parts.join(';')} from ${new Date(dtstart).toISOString()}`).toBe(truth.length - 1);
          if (k >= 0) expect(h.wallAt(k)).toBe(truth[k]);
        }
      }),
      { numRuns: 12 }, // each run expands a 400-year cycle and its truth
    );
  }, 60_000);
});
