import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { expandRule, parseFeedRule } from '../../../src/core/rota/ical-rule';

const H = 3_600_000;
const D = 24 * H;
const CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** The truth: ical.js iterating from DTSTART, with no shortcut. */
function fromIcalJs(body: string, dtstart: number, need: number, limit: number): number[] {
  const d = new Date(dtstart);
  const it = ICAL.Recur.fromString(body).iterator(ICAL.Time.fromData({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: 0 }));
  const out: number[] = [];
  for (let i = 0; i < 100_000; i++) {
    const t = it.next();
    if (!t) break;
    const w = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
    if (w >= limit) break;
    if (w >= need) out.push(w);
  }
  return out;
}

describe('feed rule expansion', () => {
  it('the arithmetic and rebased shortcuts give exactly what ical.js gives iterating from DTSTART', () => {
    const arb = fc.record({
      freq: fc.constantFrom('HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'),
      interval: fc.integer({ min: 1, max: 3 }),
      days: fc.subarray([0, 1, 2, 3, 4, 5, 6], { minLength: 1, maxLength: 3 }),
      useByday: fc.boolean(),
      wkst: fc.constantFrom('MO', 'SU'),
      count: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
      startDay: fc.integer({ min: 0, max: 3000 }),
      startHour: fc.integer({ min: 0, max: 23 }),
      needUnits: fc.integer({ min: -5, max: 150 }),
      spanUnits: fc.integer({ min: 1, max: 60 }),
    });
    fc.assert(
      fc.property(arb, (r) => {
        let dtstart = Date.UTC(2015, 0, 1 + r.startDay, r.startHour);
        const parts = [`FREQ=${r.freq}`, `INTERVAL=${r.interval}`];
        if (r.useByday && r.freq !== 'HOURLY') {
          // DTSTART on one of the days, so ical.js (which skips an off-pattern DTSTART) and RFC 5545 agree
          while (!r.days.includes(new Date(dtstart).getUTCDay())) dtstart += D;
          parts.push(`BYDAY=${r.days.map((d) => CODES[d]).join(',')}`, `WKST=${r.wkst}`);
        }
        if (r.freq === 'HOURLY' && r.count === undefined) parts.push('COUNT=2000');
        else if (r.count !== undefined) parts.push(`COUNT=${r.count}`);
        const body = parts.join(';');
        // the window sits from just before DTSTART to well past where a COUNT runs out
        const unit = { HOURLY: H, DAILY: D, WEEKLY: 7 * D, MONTHLY: 30 * D, YEARLY: 365 * D }[r.freq]! * r.interval;
        const need = dtstart + (r.freq === 'YEARLY' ? Math.floor(r.needUnits / 5) : r.needUnits) * unit;
        const limit = need + r.spanUnits * unit;
        const rule = parseFeedRule(body, 1, 'test', (t) => t);
        const got = expandRule(rule, dtstart, false, need, limit, { left: 1e9 }, 1, 'test');
        expect(got, body).toEqual(fromIcalJs(body, dtstart, need, limit));
      }),
      { numRuns: 200 },
    );
  }, 30_000); // property runs: generous under a loaded CI machine
});
