import ICAL from 'ical.js';
import { findIana } from 'windows-iana';
import { RotaImportError } from './errors';
import { parseIcal, prop } from './ical-parse';
import { fromWall as ianaFromWall, isValidTimeZone, toWall as ianaToWall } from './time-zone';

/** Wall ↔ instant for one zone. */
export interface ZoneRule {
  fromWall(wall: number): number;
  toWall(instant: number): number;
}

const HOUR = 3_600_000;

/** The instant of a wall time given a zone's offset function; in a repeated hour the first one (RFC 5545 §3.3.5). */
function fromWallWith(wall: number, offsetAt: (instant: number) => number): number {
  const before = offsetAt(wall - 14 * HOUR);
  const after = offsetAt(wall + 14 * HOUR);
  let best = Number.POSITIVE_INFINITY;
  for (const o of before === after ? [before] : [before, after]) {
    const inst = wall - o;
    if (inst + offsetAt(inst) === wall && inst < best) best = inst;
  }
  // in a gap (02:30 on a spring-forward night) the wall time moves forward by the gap, as clocks do
  return Number.isFinite(best) ? best : wall - before;
}

/**
 * A VTIMEZONE as this feed defines it. ical.js only expands its observances (into UTC change
 * times); offsets are looked up here, so the repeated hour resolves to its first occurrence.
 */
function vtimezoneRule(def: ZoneDefinition, floorYear: number): ZoneRule {
  let tz: ICAL.Timezone;
  try {
    const component = new ICAL.Component(ICAL.parse(def.text) as unknown as unknown[]);
    // Outlook starts observances in 1601; ical.js would expand 400 years of them (20 s for 1,000
    // zones). Open-ended yearly rules repeat the same pattern, so they start near the window instead,
    // and observances that ended before it are dropped.
    const subs = [...component.getAllSubcomponents()];
    const ended = (sub: ICAL.Component) => {
      const rule = sub.getFirstPropertyValue('rrule') as ICAL.Recur | null;
      return !!rule?.until && rule.until.year < floorYear;
    };
    const keepsGoing = subs.some((sub) => !ended(sub));
    for (const sub of subs) {
      const rule = sub.getFirstPropertyValue('rrule') as ICAL.Recur | null;
      const start = sub.getFirstPropertyValue('dtstart') as ICAL.Time | null;
      if (!rule || !start) continue;
      if (ended(sub) && keepsGoing) component.removeSubcomponent(sub);
      else if (!rule.until && !rule.count && start.year < floorYear) start.year = floorYear;
    }
    tz = new ICAL.Timezone(component);
  } catch (err) {
    throw new RotaImportError('invalidLine', { line: def.line, text: `VTIMEZONE: ${(err as Error).message}` });
  }
  let changes: Array<{ at: number; offset: number; prev: number }> = [];
  let coveredUntil = -Infinity;
  const cover = (year: number) => {
    if (year <= coveredUntil) return;
    const target = year + 2;
    (tz as unknown as { _ensureCoverage(y: number): void })._ensureCoverage(target);
    const raw = (tz as unknown as { changes: Array<{ year: number; month: number; day: number; hour: number; minute: number; second: number; utcOffset: number; prevUtcOffset: number }> }).changes;
    const byAt = new Map<number, { at: number; offset: number; prev: number }>();
    for (const ch of raw) {
      const at = Date.UTC(ch.year, ch.month - 1, ch.day, ch.hour, ch.minute, ch.second);
      byAt.set(at, { at, offset: ch.utcOffset * 1000, prev: ch.prevUtcOffset * 1000 });
    }
    changes = [...byAt.values()].sort((a, b) => a.at - b.at);
    coveredUntil = target;
  };
  const offsetAt = (instant: number): number => {
    cover(new Date(instant).getUTCFullYear());
    if (changes.length === 0) return 0;
    let lo = 0;
    let hi = changes.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (changes[mid]!.at <= instant) {
        idx = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return idx < 0 ? changes[0]!.prev : changes[idx]!.offset;
  };
  return { fromWall: (wall) => fromWallWith(wall, offsetAt), toWall: (instant) => instant + offsetAt(instant) };
}

function ianaRule(zone: string): ZoneRule {
  return { fromWall: (wall) => ianaFromWall(wall, zone), toWall: (instant) => ianaToWall(instant, zone) };
}

/** An IANA name for a TZID: itself, a Windows name mapped through CLDR's windowsZones, or null. */
export function ianaZoneOf(tzid: string): string | null {
  const name = tzid.trim();
  if (name === 'UTC' || name === 'GMT' || name === 'Etc/UTC' || name === 'Z') return 'UTC';
  if (name.includes('/') && isValidTimeZone(name)) return name;
  const mapped = findIana(name)[0];
  if (mapped && isValidTimeZone(mapped)) return mapped;
  // prefixed names such as "/mozilla.org/20050126_1/America/New_York"
  const tail = /([A-Z][A-Za-z_-]+\/[A-Za-z_+-]+(?:\/[A-Za-z_+-]+)?)$/.exec(name)?.[1];
  if (tail && isValidTimeZone(tail)) return tail;
  return null;
}

/** VTIMEZONE definitions a feed may use; Outlook sends one or two, each costs ical.js expansion. */
export const MAX_VTIMEZONES = 50;

const UTC_RULE: ZoneRule = { fromWall: (w) => w, toWall: (i) => i };

/**
 * The zones one feed uses, kept to that feed: its own VTIMEZONEs first, then IANA and Windows
 * names, and for floating times the calendar's X-WR-TIMEZONE (else UTC).
 */
/** A VTIMEZONE block of the feed: its text and the line it starts on. */
export interface ZoneDefinition {
  text: string;
  line: number;
}

/** The feed's VTIMEZONE blocks by TZID, found before the events are read (they may come after them). */
export function zoneDefinitions(text: string): Map<string, ZoneDefinition> {
  const defs = new Map<string, ZoneDefinition>();
  for (let i = text.indexOf('BEGIN:VTIMEZONE'); i >= 0; i = text.indexOf('BEGIN:VTIMEZONE', i + 15)) {
    const end = text.indexOf('END:VTIMEZONE', i);
    if (end < 0) break;
    const block = text.slice(i, end + 'END:VTIMEZONE'.length);
    const tzid = prop(parseIcal(block).children[0]!, 'TZID')?.value.trim();
    if (tzid && !defs.has(tzid)) defs.set(tzid, { text: block, line: lineAt(text, i) });
  }
  return defs;
}

function lineAt(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * The zones one feed uses, kept to that feed: its own VTIMEZONEs first, then IANA and Windows
 * names, and for floating times the calendar's X-WR-TIMEZONE (else UTC).
 */
export class FeedZones {
  private readonly rules = new Map<string, ZoneRule>();
  private built = 0;
  readonly floating: ZoneRule;

  constructor(
    private readonly defined: Map<string, ZoneDefinition>,
    calendarZone: string | null,
    /** Zone changes before this year are not needed (it is a year or two before the window). */
    private readonly floorYear = 1970,
  ) {
    this.floating = calendarZone ? ianaRule(calendarZone) : UTC_RULE;
  }

  /** The rule for a TZID parameter (null: floating); unknown names are refused, naming the line. */
  rule(tzid: string | null, line: number): ZoneRule {
    if (tzid === null) return this.floating;
    let r = this.rules.get(tzid);
    if (r) return r;
    const def = this.defined.get(tzid);
    if (def && ++this.built > MAX_VTIMEZONES) throw new RotaImportError('tooManyZones', { max: MAX_VTIMEZONES });
    if (def) r = vtimezoneRule(def, this.floorYear);
    else {
      const iana = ianaZoneOf(tzid);
      if (!iana) throw new RotaImportError('unknownZone', { zone: tzid, line });
      r = iana === 'UTC' ? UTC_RULE : ianaRule(iana);
    }
    this.rules.set(tzid, r);
    return r;
  }
}

/** The rule for UTC times ("…Z"). */
export const utcRule = UTC_RULE;
