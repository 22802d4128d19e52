import type { RRule } from './rrule';

const DAY = 86_400_000;

/** The k-th handoff of a layer (as wall time) and the reverse lookup; count may be Infinity. */
export interface Handoffs {
  count: number;
  /** True when handoffs are computed arithmetically (cost independent of how long ago the rule began). */
  periodic: boolean;
  wallAt(k: number): number;
  /** Index of the last handoff at or before `wall`, or -1. */
  lastAtOrBefore(wall: number): number;
}

function lastIndexAtOrBefore(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Wall-time period after which a DAILY or WEEKLY rule repeats itself, or null for other rules. */
function periodOf(rule: RRule): number | null {
  const o = rule.options;
  const interval = o.interval || 1;
  if (o.bysetpos && o.bysetpos.length > 0) return null;
  if (o.freq === 2 /* WEEKLY */) return interval * 7 * DAY;
  if (o.freq === 3 /* DAILY */) {
    const filtered = o.byweekday && o.byweekday.length > 0 && o.byweekday.length < 7;
    return (filtered ? (interval * 7) / gcd(interval, 7) : interval) * DAY;
  }
  return null;
}

/**
 * DAILY and WEEKLY rotations repeat with a fixed wall-time period, so after one steady-state
 * period taken from rrule every handoff is arithmetic: O(1) however long ago the layer began,
 * where iterating rrule costs ~5 µs per handoff. Rules that are not periodic (or fail the check)
 * fall back to iterating rrule in chunks.
 */
export function handoffsFor(rule: RRule, dtstartWall: number): Handoffs {
  const o = rule.options;
  const countLimit = o.count ?? Number.POSITIVE_INFINITY;
  const untilWall = o.until ? o.until.getTime() : Number.POSITIVE_INFINITY;
  const period = periodOf(rule);
  if (period !== null) {
    const sample = rule.between(new Date(dtstartWall - 1), new Date(dtstartWall + 4 * period), true).map((d) => d.getTime());
    const s = sample.findIndex((w) => w >= dtstartWall + period);
    const e = s < 0 ? -1 : sample.findIndex((w) => w >= sample[s]! + period);
    const m = e - s;
    const periodic = s >= 0 && e > s && sample.every((w, i) => i < s || i + m >= sample.length || sample[i + m] === w + period);
    if (periodic || sample.length === 0) {
      const prefix = sample.slice(0, Math.max(s, 0));
      const offsets = periodic ? sample.slice(s, e).map((w) => w - sample[s]!) : [];
      const base = periodic ? sample[s]! : 0;
      const rawWall = (k: number) => {
        if (k < prefix.length) return prefix[k]!;
        const j = k - prefix.length;
        return base + Math.floor(j / m) * period + offsets[j % m]!;
      };
      const rawIndex = (wall: number) => {
        if (!periodic || wall < base) return lastIndexAtOrBefore(prefix, wall);
        const q = Math.floor((wall - base) / period);
        const j = lastIndexAtOrBefore(offsets, wall - base - q * period);
        return prefix.length + q * m + j;
      };
      const finite = periodic ? countLimit : prefix.length;
      const count = Number.isFinite(untilWall) ? Math.min(finite, rawIndex(untilWall) + 1) : finite;
      return {
        count,
        periodic: true,
        wallAt: rawWall,
        lastAtOrBefore: (wall) => Math.min(rawIndex(wall), count - 1),
      };
    }
  }
  return iterated(rule, dtstartWall);
}

/** The most handoffs kept for a rule that is not periodic; parsing refuses rotations that need more. */
export const MAX_ITERATED_HANDOFFS = 200_000;

/** 400 Gregorian years in ms: months, weekdays and leap days repeat exactly after it. */
const CYCLE = 146_097 * DAY;
/** Beyond this distance from the start, a monthly or yearly rule is answered from one 400-year cycle. */
const FAR = 50 * 366 * DAY;

/** Monthly and yearly rules without COUNT repeat every 400 years when their interval divides it. */
function cycles(rule: RRule): boolean {
  const o = rule.options;
  if (o.count) return false;
  const interval = o.interval || 1;
  if (o.freq === 1 /* MONTHLY */) return 4800 % interval === 0;
  if (o.freq === 0 /* YEARLY */) return 400 % interval === 0;
  return false;
}

/**
 * Rules that are not periodic by week (monthly, yearly, BYSETPOS) are expanded by rrule from their
 * start in one pass up to a horizon that doubles as needed, so a layer begun centuries ago costs
 * one pass, not one per chunk. Far from the start (a typo such as 1026), monthly and yearly rules
 * are answered from one 400-year cycle instead. A rule that ends, or never matches again, is
 * noticed when rrule returns without being stopped.
 */
function iterated(rule: RRule, dtstartWall: number): Handoffs {
  let walls: number[] = [];
  let horizon = dtstartWall - 1;
  let exhausted = false;
  let cycle: number[] | null = null;
  let canCycle = cycles(rule);
  const untilWall = rule.options.until ? rule.options.until.getTime() : Number.POSITIVE_INFINITY;
  const collect = (limit: number): { found: number[]; stopped: boolean } => {
    const found: number[] = [];
    let stopped = false;
    rule.all((d) => {
      const w = d.getTime();
      if (w > limit || found.length >= MAX_ITERATED_HANDOFFS) {
        stopped = true;
        return false;
      }
      found.push(w);
      return true;
    });
    return { found, stopped };
  };
  const fill = (target: number) => {
    const next = Math.max(target, dtstartWall + Math.max(400 * DAY, 2 * (horizon - dtstartWall)));
    const { found, stopped } = collect(next);
    walls = found;
    horizon = next;
    // past the cap, the layer simply has no more handoffs rather than hanging the caller
    if (!stopped || found.length >= MAX_ITERATED_HANDOFFS) exhausted = true;
  };
  const cycled = (): number[] => {
    if (cycle) return cycle;
    const { found } = collect(dtstartWall + CYCLE - 1);
    // a cycle too dense to hold (parsing refuses such layers) is not used: expansion stops at the cap instead
    if (found.length >= MAX_ITERATED_HANDOFFS) canCycle = false;
    else cycle = found;
    return found;
  };
  /** Index of the last handoff at or before `wall` (ignoring UNTIL), from the cycle. */
  const cycleIndex = (wall: number): number => {
    const c = cycled();
    if (c.length === 0 || wall < dtstartWall) return -1;
    const q = Math.floor((wall - dtstartWall) / CYCLE);
    return q * c.length + lastIndexAtOrBefore(c, wall - q * CYCLE);
  };
  const useCycle = (wall: number) => canCycle && (cycle !== null || wall - dtstartWall > FAR);
  let count = Number.POSITIVE_INFINITY;
  if (rule.options.count || rule.options.until) {
    // a finite rule: its count is known from the start (from the cycle when UNTIL is far away)
    if (useCycle(untilWall)) count = cycleIndex(untilWall) + 1;
    else {
      fill(Number.POSITIVE_INFINITY);
      count = walls.length;
    }
  }
  return {
    periodic: false,
    get count() {
      if (Number.isFinite(count)) return count;
      return exhausted && cycle === null ? walls.length : Number.POSITIVE_INFINITY;
    },
    wallAt(k) {
      if (k >= count) return Number.POSITIVE_INFINITY;
      if (cycle !== null) {
        if (cycle.length === 0) return Number.POSITIVE_INFINITY;
        return cycle[k % cycle.length]! + Math.floor(k / cycle.length) * CYCLE;
      }
      // a rule may never fire again; give up ten years past the last handoff
      while (!exhausted && walls.length <= k) {
        const limit = (walls[walls.length - 1] ?? dtstartWall) + 10 * 366 * DAY;
        if (horizon >= limit) break;
        fill(Math.min(limit, horizon + 400 * DAY));
      }
      return walls[k] ?? Number.POSITIVE_INFINITY;
    },
    lastAtOrBefore(wall) {
      if (useCycle(wall)) {
        const i = cycleIndex(wall);
        if (cycle !== null) return Math.min(i, count - 1);
      }
      while (!exhausted && horizon < wall) fill(wall);
      return Math.min(lastIndexAtOrBefore(walls, wall), count - 1);
    },
  };
}

/**
 * How many handoffs a non-periodic rule must hold in memory to answer up to `wall`: one 400-year
 * cycle when that is far from the start, else everything from the start (counting at most cap + 1).
 */
export function handoffsNeeded(rule: RRule, dtstartWall: number, wall: number, cap: number): number {
  return handoffsUpTo(rule, cycles(rule) && wall - dtstartWall > FAR ? dtstartWall + CYCLE - 1 : wall, cap);
}

/** How many handoffs a rule has from its start up to `wall`, counting at most `cap` (then cap + 1). */
export function handoffsUpTo(rule: RRule, wall: number, cap: number): number {
  let n = 0;
  rule.all((d) => {
    if (d.getTime() > wall || n > cap) return false;
    n++;
    return true;
  });
  return n;
}
