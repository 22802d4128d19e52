import { RRule, type RRuleOptions as Options } from './rrule';
import type { FixedShift, Layer, Override, Restriction, Schedule, Shift } from './model';
import { WEEKDAYS } from './model';
import { handoffsFor, type Handoffs } from './handoffs';
import { fromWall, parseClock, toWall, wallStartOfDay, wallWeekday } from './time-zone';

const DAY = 86_400_000;

/** A layer's rotation could not be understood. */
export class RotationError extends Error {}

interface Segment {
  start: number;
  end: number;
  person: string;
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
    throw new RotationError(`unsupported RRULE "${rotation}": rotations are DAILY or longer (use FREQ=DAILY;BYHOUR=… for several handoffs a day)`);
  }
  const allowed = freq ? ALLOWED_PARTS[freq] : undefined;
  const extra = allowed ? parts.filter((p) => !allowed.includes(p)) : [];
  if (extra.length > 0) throw new RotationError(`unsupported RRULE "${rotation}": ${extra.join(', ')} cannot be used with FREQ=${freq} in a rotation`);
  let options: Partial<Options>;
  try {
    options = RRule.parseString(body);
  } catch (err) {
    throw new RotationError(`invalid RRULE "${rotation}": ${(err as Error).message}`);
  }
  if (options.freq === undefined) throw new RotationError(`invalid RRULE "${rotation}": FREQ is required`);
  return new RRule({ ...options, dtstart: new Date(dtstartWall), tzid: null });
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
    .map((s) => ({ person: s.person, start: Math.max(s.start, from), end: Math.min(s.end, to) }))
    .sort((a, b) => a.start - b.start);
}

/** Overrides flattened so that a later override wins where two overlap. */
function overrideSegments(overrides: Override[], from: number, to: number): Segment[] {
  return resolve(overrides.map((o) => fixedSegments([o], from, to)), from, to).map((s) => ({ ...s }));
}

interface Lane {
  segments: Segment[];
  layer: string | null;
  override: boolean;
}

/** Sweeps the lanes bottom→top; at each elementary interval the topmost lane with someone wins. */
function resolve(lanes: Segment[][], from: number, to: number): Array<Segment & { lane: number }> {
  const bounds = new Set<number>([from, to]);
  for (const lane of lanes) for (const s of lane) bounds.add(s.start), bounds.add(s.end);
  const points = [...bounds].filter((b) => b >= from && b <= to).sort((a, b) => a - b);
  const cursor = lanes.map(() => 0);
  const out: Array<Segment & { lane: number }> = [];
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    let chosen: (Segment & { lane: number }) | null = null;
    for (let l = lanes.length - 1; l >= 0 && !chosen; l--) {
      const lane = lanes[l]!;
      while (cursor[l]! < lane.length && lane[cursor[l]!]!.end <= a) cursor[l]!++;
      // segments within a lane may overlap (fixed shifts); look a few ahead for one covering [a, b)
      for (let j = cursor[l]!; j < lane.length && lane[j]!.start <= a; j++) {
        if (lane[j]!.end >= b) {
          chosen = { ...lane[j]!, start: a, end: b, lane: l };
          break;
        }
      }
    }
    if (!chosen) continue;
    const last = out[out.length - 1];
    if (last && last.end === a && last.person === chosen.person && last.lane === chosen.lane) last.end = b;
    else out.push(chosen);
  }
  return out;
}

/** The final schedule over [from, to): overrides over feed shifts over layers (top layer first). */
export function finalShifts(schedule: Schedule, from: number, to: number): Shift[] {
  const lanes: Lane[] = [
    ...schedule.layers.map((layer) => ({ segments: layerSegments(layer, schedule.timeZone, from, to), layer: layer.id, override: false })),
    { segments: fixedSegments(schedule.fixedShifts, from, to), layer: 'feed', override: false },
    { segments: overrideSegments(schedule.overrides, from, to), layer: null, override: true },
  ];
  return resolve(
    lanes.map((l) => l.segments),
    from,
    to,
  ).map((s) => ({ person: s.person, start: s.start, end: s.end, schedule: schedule.id, layer: lanes[s.lane]!.layer, override: lanes[s.lane]!.override }));
}

/** Who is on call at instant t, and from which layer or override; null when nobody is. */
export function onCallAt(schedule: Schedule, t: number): Omit<Shift, 'start' | 'end'> | null {
  for (let i = schedule.overrides.length - 1; i >= 0; i--) {
    const o = schedule.overrides[i]!;
    if (o.start <= t && t < o.end) return { person: o.person, schedule: schedule.id, layer: null, override: true };
  }
  const fixed = schedule.fixedShifts.filter((s) => s.start <= t && t < s.end);
  if (fixed.length > 0) return { person: fixed[fixed.length - 1]!.person, schedule: schedule.id, layer: 'feed', override: false };
  for (let i = schedule.layers.length - 1; i >= 0; i--) {
    const layer = schedule.layers[i]!;
    const seg = layerSegments(layer, schedule.timeZone, t, t + 1)[0];
    if (seg) return { person: seg.person, schedule: schedule.id, layer: layer.id, override: false };
  }
  return null;
}
