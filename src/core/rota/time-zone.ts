/**
 * Wall-clock ↔ instant conversion for IANA zones through Intl, with no library. "Wall" values are
 * epoch-like milliseconds that spell the local date and time as if it were UTC.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();
const QUARTER_HOUR = 15 * 60_000;

/** Thrown for a time zone name Intl does not know. */
export class UnknownTimeZoneError extends Error {
  constructor(readonly zone: string) {
    super(`unknown time zone "${zone}"`);
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new UnknownTimeZoneError(zone);
    }
    formatters.set(zone, f);
  }
  return f;
}

/** True when Intl knows the zone. */
export function isValidTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** UTC offset (ms) of `zone` at `instant`. Cached per quarter hour: tzdata moves offsets only on such boundaries. */
export function offsetAt(instant: number, zone: string): number {
  let cache = offsetCache.get(zone);
  if (!cache) offsetCache.set(zone, (cache = new Map()));
  const bucket = Math.floor(instant / QUARTER_HOUR);
  const hit = cache.get(bucket);
  if (hit !== undefined) return hit;
  const at = bucket * QUARTER_HOUR;
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!, p['second']!);
  const offset = wall - at;
  if (cache.size > 200_000) cache.clear();
  cache.set(bucket, offset);
  return offset;
}

/** The local wall time of an instant. */
export function toWall(instant: number, zone: string): number {
  return instant + offsetAt(instant, zone);
}

/**
 * The instant of a local wall time. In a DST gap (02:30 on a spring-forward night) it moves
 * forward by the gap, as clocks do; in an overlap (01:30 twice) it takes the first one.
 */
export function fromWall(wall: number, zone: string): number {
  const before = offsetAt(wall - 14 * 3600_000, zone);
  const after = offsetAt(wall + 14 * 3600_000, zone);
  // no change of offset within a day either side (nearly always): one answer, no searching
  if (before === after) return wall - before;
  const a = wall - before;
  const b = wall - after;
  const okA = toWall(a, zone) === wall;
  const okB = toWall(b, zone) === wall;
  if (okA && okB) return Math.min(a, b);
  if (okA) return a;
  if (okB) return b;
  return wall - before;
}

/** Day of week (0 = Sunday) of a wall time. */
export function wallWeekday(wall: number): number {
  return new Date(wall).getUTCDay();
}

/** Midnight of the wall day containing `wall`. */
export function wallStartOfDay(wall: number): number {
  return Math.floor(wall / 86_400_000) * 86_400_000;
}

/** "HH:MM" → minutes after midnight, or null if malformed. */
export function parseClock(text: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}
