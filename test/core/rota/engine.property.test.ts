import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finalShifts, onCallAllAt, onCallAt, restrictionWindows } from '../../../src/core/rota/engine';
import { WEEKDAYS, type Layer, type Override, type Schedule } from '../../../src/core/rota/model';
import { RRule } from '../../../src/core/rota/rrule';
import { fromWall } from '../../../src/core/rota/time-zone';

const H = 3600_000;
const D = 24 * H;
const BASE = Date.parse('2026-03-01T00:00:00Z');
const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'UTC', 'Asia/Kolkata'];
const ROTATIONS = ['FREQ=DAILY', 'FREQ=WEEKLY', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', 'FREQ=DAILY;INTERVAL=3', 'FREQ=DAILY;BYHOUR=9,21'];
const hhmm = fc.integer({ min: 0, max: 95 }).map((q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`);
const people = fc.array(fc.constantFrom('ann', 'ben', 'cat', 'dan', 'eve'), { maxLength: 4 });

const layerArb = (i: number): fc.Arbitrary<Layer> =>
  fc.record({
    id: fc.constant(`L${i}`),
    name: fc.constant(`Layer ${i}`),
    participants: people,
    rotation: fc.constantFrom(...ROTATIONS),
    start: fc.integer({ min: 0, max: 60 }).map((d) => new Date(Date.parse('2026-02-01T00:00:00Z') + d * D).toISOString().slice(0, 10)),
    handoff: hhmm,
    restrictions: fc.array(fc.record({ days: fc.subarray([...WEEKDAYS], { minLength: 1 }), start: hhmm, end: hhmm }), { maxLength: 2 }),
  });

const scheduleArb: fc.Arbitrary<{ schedule: Schedule; from: number; to: number }> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    layerCount: fc.integer({ min: 1, max: 4 }),
    fromOffset: fc.integer({ min: 0, max: 60 * 24 }),
    days: fc.integer({ min: 1, max: 30 }),
    overrides: fc.array(fc.record({ person: fc.constantFrom('ovr1', 'ovr2'), at: fc.integer({ min: 0, max: 30 * 24 }), hours: fc.integer({ min: 1, max: 72 }) }), { maxLength: 3 }),
  })
  .chain((r) =>
    fc.tuple(...Array.from({ length: r.layerCount }, (_, i) => layerArb(i))).map((layers) => {
      const from = BASE + r.fromOffset * H;
      const overrides: Override[] = r.overrides.map((o, i) => ({ id: `o${i}`, person: o.person, start: from + o.at * H, end: from + (o.at + o.hours) * H }));
      return { schedule: { id: 's', name: 'S', timeZone: r.zone, layers, overrides, fixedShifts: [] }, from, to: from + r.days * D };
    }),
  );

/** Independent of the engine's sweep: could this layer have someone at t at all? */
function layerCouldCover(layer: Layer, zone: string, t: number): boolean {
  if (layer.participants.length === 0) return false;
  const [y, m, d] = layer.start.split('-').map(Number) as [number, number, number];
  const [hh, mm] = layer.handoff.split(':').map(Number) as [number, number];
  // a layer begins at its first handoff: rrule skips a start date that does not match BYDAY
  const rule = new RRule({ ...RRule.parseString(layer.rotation), dtstart: new Date(Date.UTC(y, m - 1, d, hh, mm)), tzid: null });
  const first = rule.after(new Date(Date.UTC(y, m - 1, d, hh, mm)), true);
  if (!first || t < fromWall(first.getTime(), zone)) return false;
  if (layer.restrictions.length === 0) return true;
  return restrictionWindows(layer.restrictions, zone, t - 2 * D, t + 2 * D).some(([s, e]) => s <= t && t < e);
}

const samples = (from: number, to: number, n: number) => fc.array(fc.integer({ min: from, max: to - 1 }), { minLength: n, maxLength: n });

describe('schedule properties', () => {
  it('never two people at once, all within the window', () => {
    fc.assert(
      fc.property(scheduleArb, ({ schedule, from, to }) => {
        const shifts = finalShifts(schedule, from, to);
        for (let i = 0; i < shifts.length; i++) {
          const s = shifts[i]!;
          expect(s.start).toBeLessThan(s.end);
          expect(s.start).toBeGreaterThanOrEqual(from);
          expect(s.end).toBeLessThanOrEqual(to);
          if (i > 0) expect(s.start).toBeGreaterThanOrEqual(shifts[i - 1]!.end);
        }
      }),
      { numRuns: 150 },
    );
  }, 30_000); // property runs: generous under a loaded CI machine

  it('onCallAt agrees with the shift list, at random instants and at every boundary', () => {
    fc.assert(
      fc.property(scheduleArb.chain((x) => samples(x.from, x.to, 15).map((ts) => ({ ...x, ts }))), ({ schedule, from, to, ts }) => {
        const shifts = finalShifts(schedule, from, to);
        const boundaries = shifts.flatMap((s) => [s.start, s.end - 1]).filter((t) => t >= from && t < to);
        for (const t of [...ts, ...boundaries]) {
          const shift = shifts.find((s) => s.start <= t && t < s.end);
          const at = onCallAt(schedule, t);
          expect(at?.person ?? null, `at ${new Date(t).toISOString()}`).toBe(shift?.person ?? null);
          expect(at?.override ?? null).toBe(shift?.override ?? null);
        }
      }),
      { numRuns: 150 },
    );
  }, 30_000); // property runs: generous under a loaded CI machine

  it('an override always wins: inside it, the latest override covering t is on call', () => {
    fc.assert(
      fc.property(scheduleArb, ({ schedule, from, to }) => {
        const shifts = finalShifts(schedule, from, to);
        for (const o of schedule.overrides) {
          for (const t of [o.start, Math.floor((o.start + o.end) / 2), o.end - 1]) {
            if (t < from || t >= to) continue;
            const winner = [...schedule.overrides].reverse().find((x) => x.start <= t && t < x.end)!;
            expect(shifts.find((s) => s.start <= t && t < s.end)?.person).toBe(winner.person);
          }
        }
      }),
      { numRuns: 150 },
    );
  }, 30_000); // property runs: generous under a loaded CI machine

  it('a gap exists only where no layer can have anyone (restricted away, empty or not started)', () => {
    fc.assert(
      fc.property(scheduleArb.chain((x) => samples(x.from, x.to, 25).map((ts) => ({ ...x, ts }))), ({ schedule, from, to, ts }) => {
        const shifts = finalShifts(schedule, from, to);
        for (const t of ts) {
          if (shifts.some((s) => s.start <= t && t < s.end)) continue;
          for (const layer of schedule.layers) expect(layerCouldCover(layer, schedule.timeZone, t), `${layer.id} at ${new Date(t).toISOString()}`).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  }, 30_000); // property runs: generous under a loaded CI machine

  it('with overlapping feed shifts, finalShifts and onCallAt agree on who is on call at every instant', () => {
    const feedArb = scheduleArb.chain((x) =>
      fc
        .array(fc.record({ person: fc.constantFrom('ann', 'ben', 'fay', 'gil'), at: fc.integer({ min: -48, max: 30 * 24 }), hours: fc.integer({ min: 1, max: 96 }) }), { maxLength: 6 })
        .map((fixed) => ({ ...x, schedule: { ...x.schedule, fixedShifts: fixed.map((f) => ({ person: f.person, start: x.from + f.at * H, end: x.from + (f.at + f.hours) * H })) } })),
    );
    fc.assert(
      fc.property(feedArb.chain((x) => samples(x.from, x.to, 20).map((ts) => ({ ...x, ts }))), ({ schedule, from, to, ts }) => {
        const shifts = finalShifts(schedule, from, to);
        const edges = [...shifts.flatMap((s) => [s.start, s.end - 1]), ...schedule.fixedShifts.flatMap((f) => [f.start, f.end - 1])].filter((t) => t >= from && t < to);
        for (const t of [...ts, ...edges]) {
          const covering = shifts.filter((s) => s.start <= t && t < s.end).map((s) => s.person);
          const all = onCallAllAt(schedule, t).map((x) => x.person);
          expect([...covering].sort(), `at ${new Date(t).toISOString()}`).toEqual([...all].sort());
          expect(new Set(covering).size).toBe(covering.length); // nobody twice
          expect(onCallAt(schedule, t)?.person ?? null).toBe(all[0] ?? null);
          // everyone whose feed shift covers t is on call there, unless an override takes over
          const overridden = schedule.overrides.some((o) => o.start <= t && t < o.end);
          const inFeed = schedule.fixedShifts.filter((f) => f.start <= t && t < f.end).map((f) => f.person);
          if (!overridden && inFeed.length > 0) expect([...new Set(inFeed)].sort()).toEqual([...all].sort());
        }
      }),
      { numRuns: 150 },
    );
  }, 30_000); // property runs: generous under a loaded CI machine

  it('many overlapping overrides: the latest one covering t wins, as a plain scan says', () => {
    const arb = fc.record({
      overrides: fc.array(fc.record({ person: fc.constantFrom('p', 'q', 'r', 's'), at: fc.integer({ min: 0, max: 500 }), len: fc.integer({ min: 1, max: 80 }) }), { minLength: 1, maxLength: 60 }),
      ts: fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 30, maxLength: 30 }),
    });
    fc.assert(
      fc.property(arb, ({ overrides, ts }) => {
        const schedule: Schedule = { id: 's', name: 'S', timeZone: 'UTC', layers: [], fixedShifts: [], overrides: overrides.map((o, i) => ({ id: `o${i}`, person: o.person, start: BASE + o.at * H, end: BASE + (o.at + o.len) * H })) };
        const shifts = finalShifts(schedule, BASE, BASE + 600 * H);
        for (const h of ts) {
          const t = BASE + h * H;
          const winner = [...schedule.overrides].reverse().find((o) => o.start <= t && t < o.end)?.person ?? null;
          expect(shifts.find((s) => s.start <= t && t < s.end)?.person ?? null).toBe(winner);
        }
      }),
      { numRuns: 200 },
    );
  }, 30_000); // property runs: generous under a loaded CI machine
});
