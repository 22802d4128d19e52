import { RRule, type RRuleOptions as Options } from './rrule';
import type { FixedShift, Layer, Override, Restriction, Schedule, Shift } from './model';
import { WEEKDAYS } from './model';
import { handoffsFor, handoffsNeeded, handoffsUpTo, MAX_ITERATED_HANDOFFS, type Handoffs } from './handoffs';
import { RotaImportError } from './errors';
import { fromWall, parseClock, toWall, wallStartOfDay, wallWeekday } from './time-zone';

const DAY = 86_400_000;
/** A rotation may change hands at most this often per day on average (every 30 minutes). */
export const MAX_HANDOFFS_PER_DAY = 48;
/** Layers are checked for what it costs to answer up to this wall time (the app asks about the present). */
const CHECK_HORIZON = Date.UTC(2050, 0, 1);
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A layer's rotation could not be understood, or would cost too much to expand. */
export class RotationError extends RotaImportError {}

interface Segment {
  start: number;
  end: number;
  person: string;
  /** Where a feed shift really began (before clipping to the window): orders overlapping people. */
  rank?: number;
}

function layerDtstart(layer: Layer): number {
  const [y, m, d] = layer.start.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) + parseClock(layer.handoff)! * 60_000;
}

/** Rule parts a rotation may use; month/year filters only where rrule iterates by month or year. */
const ALLOWED_PARTS: Record<string, readonly string[]> = {
  DAILY: ['FREQ', 'INTERVAL', 'BYDAY', 'BYHOUR', 'BYMINUTE', 'COUNT', 'UNTIL', 'WKST'],
  WEEKLY: ['FREQ', 'INTERVAL', 'BYDAY', 'BYHOUR', 'BYMINUTE', 'COUNT', 'UNTIL', 'WKST'],
  MONTHLY: ['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYSETPOS', 'BYHOUR', 'BYMINUTE', 'COUNT', 'UNTIL', 'WKST'],
  YEARLY: ['FREQ', 'INTERVAL', 'BYMONTH', 'BYMONTHDAY', 'BYDAY', 'BYSETPOS', 'BYHOUR', 'BYMINUTE', 'COUNT', 'UNTIL', 'WKST'],
};

/** Parses the rotation RRULE in floating time (wall clock spelled as UTC). */
export function parseRotation(rotation: string, dtstartWall: number): RRule {
  const body = rotation.replace(/^RRULE:/i, '').trim();
  const parts = body.split(';').map((p) => p.split('=')[0]!.toUpperCase());
  const freq = /(?:^|;)FREQ=([A-Z]+)/i.exec(body)?.[1]?.toUpperCase();
  // rrule.js can spin for seconds (or forever) on day filters that never match under a daily or
  // hourly iteration, so only the parts a rotation needs are accepted.
  if (freq && ['HOURLY', 'MINUTELY', 'SECONDLY'].includes(freq)) {
    throw new RotationError('rotationInvalid', { rule: rotation, reasonCode: 'subDaily' });
  }
  const allowed = freq ? ALLOWED_PARTS[freq] : undefined;
  const extra = allowed ? parts.filter((p) => !allowed.includes(p)) : [];
  if (extra.length > 0) throw new RotationError('rotationInvalid', { rule: rotation, reasonCode: 'partInRotation', part: extra.join(', '), freq: freq ?? '' });
  let options: Partial<Options>;
  try {
    options = RRule.parseString(body);
  } catch (err) {
    throw new RotationError('rotationInvalid', { rule: rotation, reasonCode: 'parse', message: (err as Error).message });
  }
  if (options.freq === undefined) throw new RotationError('rotationInvalid', { rule: rotation, reasonCode: 'noFreq' });
  const months = options.bymonth === undefined || options.bymonth === null ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] : ([] as number[]).concat(options.bymonth);
  const mdays = options.bymonthday === undefined || options.bymonthday === null ? null : ([] as number[]).concat(options.bymonthday);
  if (mdays && mdays.length > 0 && !months.some((m) => mdays.some((d) => d !== 0 && Math.abs(d) <= MONTH_DAYS[m - 1]!))) {
    throw new RotationError('rotationNever', { rule: rotation });
  }
  const rule = new RRule({ ...options, dtstart: new Date(dtstartWall), tzid: null });
  // a rule that hands over every few minutes is a typo, and would make millions of shifts a year
  const month = handoffsUpTo(rule, dtstartWall + 31 * DAY, 31 * MAX_HANDOFFS_PER_DAY);
  if (month > 31 * MAX_HANDOFFS_PER_DAY) throw new RotationError('ruleTooDense', { rule: rotation, max: MAX_HANDOFFS_PER_DAY });
  return rule;
}

/**
 * Checks a layer as a whole: its rotation parses, and a rule that is not periodic needs a bounded
 * number of handoffs to reach the present (a start such as 1026-01-01 is a typo, not a plan).
 */
export function checkLayer(layer: Layer): void {
  const dtstart = layerDtstart(layer);
  const rule = parseRotation(layer.rotation, dtstart);
  // periodic rules (daily, weekly) answer arithmetically however long ago they began
  if (handoffsFor(rule, dtstart).periodic) return;
  if (handoffsNeeded(rule, dtstart, CHECK_HORIZON, MAX_ITERATED_HANDOFFS) > MAX_ITERATED_HANDOFFS) {
    throw new RotationError('ruleTooLong', { rule: layer.rotation, start: layer.start, max: MAX_ITERATED_HANDOFFS });
  }
}

const handoffCache = new WeakMap<Layer, Handoffs>();

/** The layer's handoffs, parsed once per layer object. */
function handoffs(layer: Layer): Handoffs {
  let h = handoffCache.get(layer);
  if (!h) {
    const dtstart = layerDtstart(layer);
    h = handoffsFor(parseRotation(layer.rotation, dtstart), dtstart);
    handoffCache.set(layer, h);
  }
  return h;
}

/** The instant of a layer's first handoff, or null when it never hands over. */
export function layerFirstHandoff(layer: Layer, zone: string): number | null {
  if (layer.participants.length === 0) return null;
  const h = handoffs(layer);
  const wall = h.count > 0 ? h.wallAt(0) : Number.POSITIVE_INFINITY;
  return Number.isFinite(wall) ? fromWall(wall, zone) : null;
}

/** Restriction windows as instants, for every local day that can touch [from, to). */
export function restrictionWindows(restrictions: Restriction[], zone: string, from: number, to: number): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  const firstDay = wallStartOfDay(toWall(from, zone)) - DAY;
  const lastDay = wallStartOfDay(toWall(to, zone));
  for (let day = firstDay; day <= lastDay; day += DAY) {
    const weekday = WEEKDAYS[wallWeekday(day)]!;
    for (const r of restrictions) {
      if (!r.days.includes(weekday)) continue;
      const s = parseClock(r.start)!;
      let e = parseClock(r.end)!;
      if (e <= s) e += 24 * 60; // crosses midnight (or a full day when equal)
      const ws = fromWall(day + s * 60_000, zone);
      const we = fromWall(day + e * 60_000, zone);
      if (we > from && ws < to) windows.push([Math.max(ws, from), Math.min(we, to)]);
    }
  }
  windows.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const w of windows) {
    const last = merged[merged.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else merged.push([w[0], w[1]]);
  }
  return merged;
}

function clipToWindows(segments: Segment[], windows: Array<[number, number]>): Segment[] {
  const out: Segment[] = [];
  for (const seg of segments) {
    for (const [ws, we] of windows) {
      const s = Math.max(seg.start, ws);
      const e = Math.min(seg.end, we);
      if (s < e) out.push({ start: s, end: e, person: seg.person });
    }
  }
  return out;
}

/** Who a single layer puts on call over [from, to), before precedence. */
export function layerSegments(layer: Layer, zone: string, from: number, to: number): Segment[] {
  if (layer.participants.length === 0 || to <= from) return [];
  const h = handoffs(layer);
  // one step back: in a DST overlap the wall time of `from` can sit after the handoff holding it
  let k = Math.max(0, h.lastAtOrBefore(toWall(from, zone)) - 1);
  const segments: Segment[] = [];
  // a wall of Infinity means "no further handoff"
  const instant = (i: number) => {
    const wall = i < h.count ? h.wallAt(i) : Number.POSITIVE_INFINITY;
    return Number.isFinite(wall) ? fromWall(wall, zone) : Number.POSITIVE_INFINITY;
  };
  let start = instant(k);
  while (k < h.count && start < to) {
    const end = instant(k + 1);
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    if (s < e) segments.push({ start: s, end: e, person: layer.participants[k % layer.participants.length]! });
    k++;
    start = end;
  }
  return layer.restrictions.length === 0 ? segments : clipToWindows(segments, restrictionWindows(layer.restrictions, zone, from, to));
}

function fixedSegments(shifts: FixedShift[], from: number, to: number): Segment[] {
  return shifts
    .filter((s) => s.end > from && s.start < to)
    .map((s) => ({ person: s.person, start: Math.max(s.start, from), end: Math.min(s.end, to), rank: s.start }))
    .sort((a, b) => a.start - b.start);
}

/** A binary max-heap of override indices; a later override wins where two overlap. */
class IndexHeap {
  private readonly items: number[] = [];
  get top(): number | undefined {
    return this.items[0];
  }
  push(x: number): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! >= a[i]!) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): void {
    const a = this.items;
    const last = a.pop()!;
    if (a.length === 0) return;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && a[l]! > a[m]!) m = l;
      if (r < a.length && a[r]! > a[m]!) m = r;
      if (m === i) break;
      [a[m], a[i]] = [a[i]!, a[m]!];
      i = m;
    }
  }
}

/**
 * Overrides flattened so that a later one wins where two overlap: sorted once and swept with a
 * heap of the active ones, O(n log n) (resolving them as n lanes was O(n²): 40,000 took 20 s).
 */
export function overrideSegments(overrides: Override[], from: number, to: number): Segment[] {
  const idx: number[] = [];
  overrides.forEach((o, i) => {
    if (o.end > from && o.start < to && o.end > o.start) idx.push(i);
  });
  idx.sort((x, y) => overrides[x]!.start - overrides[y]!.start);
  const points = [...new Set(idx.flatMap((i) => [Math.max(overrides[i]!.start, from), Math.min(overrides[i]!.end, to)]))].sort((a, b) => a - b);
  const heap = new IndexHeap();
  const out: Segment[] = [];
  let next = 0;
  for (let p = 0; p < points.length - 1; p++) {
    const a = points[p]!;
    const b = points[p + 1]!;
    while (next < idx.length && Math.max(overrides[idx[next]!]!.start, from) <= a) heap.push(idx[next++]!);
    while (heap.top !== undefined && overrides[heap.top]!.end <= a) heap.pop();
    if (heap.top === undefined) continue;
    const person = overrides[heap.top]!.person;
    const last = out[out.length - 1];
    if (last && last.end === a && last.person === person) last.end = b;
    else out.push({ start: a, end: b, person });
  }
  return out;
}

interface Lane {
  segments: Segment[];
  layer: string | null;
  override: boolean;
}

/**
 * Sweeps the lanes bottom→top; over each stretch between boundaries the topmost lane with
 * someone wins. Layer and override lanes never overlap themselves and are walked with a cursor;
 * feed shifts may overlap, and then everyone in them is on call, as on-call tools treat it. A
 * person's continuous time in one lane comes out as one shift.
 */
function resolve(lanes: Segment[][], overlapping: boolean[], from: number, to: number): Array<Segment & { lane: number }> {
  const points: number[] = [from, to];
  for (const lane of lanes) for (const seg of lane) points.push(seg.start, seg.end);
  points.sort((x, y) => x - y);
  const cursor = lanes.map(() => 0);
  const active: Segment[][] = lanes.map(() => []);
  const out: Array<Segment & { lane: number }> = [];
  let open: Array<Segment & { lane: number }> = [];
  let prev = Number.NaN;
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    if (a === prev || a === b || a < from || b > to) continue;
    prev = a;
    let chosen = -1;
    let single: string | null = null;
    let people: string[] | null = null;
    for (let l = lanes.length - 1; l >= 0 && chosen < 0; l--) {
      const lane = lanes[l]!;
      if (!overlapping[l]) {
        let c = cursor[l]!;
        while (c < lane.length && lane[c]!.end <= a) c++;
        cursor[l] = c;
        if (c < lane.length && lane[c]!.start <= a) {
          chosen = l;
          single = lane[c]!.person;
        }
        continue;
      }
      const act = active[l]!;
      while (cursor[l]! < lane.length && lane[cursor[l]!]!.start <= a) act.push(lane[cursor[l]!++]!);
      let n = 0;
      for (const seg of act) if (seg.end > a) act[n++] = seg;
      act.length = n;
      if (n > 0) {
        chosen = l;
        if (n === 1) single = act[0]!.person;
        else people = peopleOf([...act]);
      }
    }
    if (chosen < 0) {
      open = [];
      continue;
    }
    const next: Array<Segment & { lane: number }> = [];
    for (const person of people ?? [single!]) {
      const o = open.find((x) => x.lane === chosen && x.person === person && x.end === a);
      if (o) {
        o.end = b;
        next.push(o);
      } else {
        const shift = { person, start: a, end: b, lane: chosen };
        out.push(shift);
        next.push(shift);
      }
    }
    open = next;
  }
  return out;
}

/** Distinct people of the covering segments, earliest shift first (then by name), so views and onCallAt agree. */
function peopleOf(segments: Segment[]): string[] {
  const sorted = segments.sort((x, y) => (x.rank ?? x.start) - (y.rank ?? y.start) || (x.person < y.person ? -1 : x.person > y.person ? 1 : 0));
  return [...new Set(sorted.map((s) => s.person))];
}

function lanesOf(schedule: Schedule, from: number, to: number): Lane[] {
  return [
    ...schedule.layers.map((layer) => ({ segments: layerSegments(layer, schedule.timeZone, from, to), layer: layer.id, override: false })),
    { segments: fixedSegments(schedule.fixedShifts, from, to), layer: 'feed', override: false },
    { segments: overrideSegments(schedule.overrides, from, to), layer: null, override: true },
  ];
}

/**
 * The final schedule over [from, to): overrides over feed shifts over layers (top layer first).
 * Where feed shifts overlap, each person gets a shift over the shared stretch.
 */
export function finalShifts(schedule: Schedule, from: number, to: number): Shift[] {
  const lanes = lanesOf(schedule, from, to);
  return resolve(
    lanes.map((l) => l.segments),
    lanes.map((l) => l.layer === 'feed'),
    from,
    to,
  ).map((s) => ({ person: s.person, start: s.start, end: s.end, schedule: schedule.id, layer: lanes[s.lane]!.layer, override: lanes[s.lane]!.override }));
}

/** Everyone on call at instant t, in the order finalShifts uses; empty when nobody is. */
export function onCallAllAt(schedule: Schedule, t: number): Array<Omit<Shift, 'start' | 'end'>> {
  for (let i = schedule.overrides.length - 1; i >= 0; i--) {
    const o = schedule.overrides[i]!;
    if (o.start <= t && t < o.end) return [{ person: o.person, schedule: schedule.id, layer: null, override: true }];
  }
  const fixed = schedule.fixedShifts.filter((s) => s.start <= t && t < s.end).map((s) => ({ ...s, rank: s.start }));
  if (fixed.length > 0) return peopleOf(fixed).map((person) => ({ person, schedule: schedule.id, layer: 'feed', override: false }));
  for (let i = schedule.layers.length - 1; i >= 0; i--) {
    const layer = schedule.layers[i]!;
    const seg = layerSegments(layer, schedule.timeZone, t, t + 1)[0];
    if (seg) return [{ person: seg.person, schedule: schedule.id, layer: layer.id, override: false }];
  }
  return [];
}

/** Who is on call at instant t (the first of several where feed shifts overlap), and from which layer or override; null when nobody is. */
export function onCallAt(schedule: Schedule, t: number): Omit<Shift, 'start' | 'end'> | null {
  return onCallAllAt(schedule, t)[0] ?? null;
}
