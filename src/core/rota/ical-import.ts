import type { FixedShift } from './model';
import { RotaImportError } from './errors';
import { parseDuration, parseIcal, parseIcalTime, prop, props, unescapeText, type IcalComponent, type IcalProp, type IcalTime } from './ical-parse';
import { expandRule, parseFeedRule, type StepBudget } from './ical-rule';
import { personFromEvent } from './ical-names';
import { FeedZones, ianaZoneOf, utcRule, zoneDefinitions, type ZoneRule } from './ical-zones';

export { RotaImportError, personFromEvent };

const DAY = 86_400_000;
/** Iterator steps for a whole feed: a hostile feed is refused before it costs seconds. */
export const MAX_FEED_STEPS = 1_500_000;
/** Events a feed may hold at all; counted before parsing, so a huge feed is refused at once. */
export const MAX_FEED_EVENTS = 150_000;
/** Shifts a feed may yield within the window asked for. */
export const MAX_FEED_SHIFTS = 200_000;

/** What a feed says: its name, zone and the shifts within the asked window. */
export interface ImportedFeed {
  name: string | null;
  timeZone: string | null;
  shifts: FixedShift[];
}

/** The properties the import reads; the rest (descriptions, alarms, attachments) are skipped while parsing. */
const KEEP = new Set(['UID', 'DTSTART', 'DTEND', 'DURATION', 'RRULE', 'RDATE', 'EXDATE', 'RECURRENCE-ID', 'STATUS', 'SUMMARY', 'ATTENDEE', 'SEQUENCE', 'TZID', 'X-WR-CALNAME', 'X-WR-TIMEZONE']);

/** Properties read after the whole feed is in (expansion, duplicates). */
const LATER = new Set(['RRULE', 'RDATE', 'EXDATE', 'SEQUENCE']);

/** Options for a feed import. */
export interface IcalImportOptions {
  /** Whose personal feed this is: events that name nobody (GoAlert's own-shift feed) are theirs. */
  owner?: string;
  /** Iterator steps allowed for the whole feed (default MAX_FEED_STEPS). */
  maxSteps?: number;
}

/** An event's length: added to the wall clock (a DTEND in the same zone, or DURATION's days) and as exact time. */
interface Length {
  wallMs: number;
  exactMs: number;
}

interface Vevent {
  c: IcalComponent;
  what: string;
  uid: string;
  start: IcalTime;
  startLine: number;
  zone: ZoneRule;
  length: Length;
  cancelled: boolean;
  person: string;
}

function timeOf(p: IcalProp, what: string): IcalTime {
  const t = parseIcalTime(p.value);
  if (!t) throw new RotaImportError('badTime', { what, name: p.name, value: p.value.slice(0, 40), line: p.line });
  return t;
}

/** The zone a time is read in: UTC for "…Z", its TZID, or the calendar's zone for floating times and dates. */
function zoneOf(zones: FeedZones, p: IcalProp, t: IcalTime): ZoneRule {
  return t.utc ? utcRule : zones.rule(p.params['TZID'] ?? null, p.line);
}

/**
 * RFC 5545: DTEND in the same zone keeps each instance's wall-clock length, so a weekly 09:00
 * handoff stays at 09:00 across DST; DURATION adds its days to the wall clock and its hours as
 * exact time (PT168H is 168 real hours).
 */
function lengthOf(c: IcalComponent, what: string, start: IcalTime, startProp: IcalProp, zones: FeedZones, zone: ZoneRule): Length {
  const dtend = prop(c, 'DTEND');
  if (dtend) {
    const end = timeOf(dtend, what);
    const sameZone = end.utc === start.utc && (dtend.params['TZID'] ?? null) === (startProp.params['TZID'] ?? null);
    if (sameZone) return { wallMs: end.wall - start.wall, exactMs: 0 };
    return { wallMs: 0, exactMs: zoneOf(zones, dtend, end).fromWall(end.wall) - zone.fromWall(start.wall) };
  }
  const duration = prop(c, 'DURATION');
  if (duration) {
    const d = parseDuration(duration.value);
    if (!d) throw new RotaImportError('badDuration', { what, value: duration.value.slice(0, 40), line: duration.line });
    return { wallMs: d.sign * d.days * DAY, exactMs: d.sign * d.ms };
  }
  return { wallMs: start.date ? DAY : 0, exactMs: 0 };
}

function endOf(zone: ZoneRule, startWall: number, length: Length): number {
  return zone.fromWall(startWall + length.wallMs) + length.exactMs;
}

/** Every instant listed in EXDATE or RDATE properties (comma-separated, each with its own TZID). */
function listedInstants(c: IcalComponent, name: string, what: string, zones: FeedZones): Array<{ instant: number; wall: number }> {
  const out: Array<{ instant: number; wall: number }> = [];
  for (const p of props(c, name)) {
    for (const v of p.value.split(',')) {
      const t = timeOf({ ...p, value: v.split('/')[0]! }, what);
      const zone = zoneOf(zones, p, t);
      out.push({ instant: zone.fromWall(t.wall), wall: t.wall });
    }
  }
  return out;
}

function readEvent(c: IcalComponent, index: number, zones: FeedZones, owner: string): Vevent {
  const uidProp = prop(c, 'UID')?.value.trim();
  const what = `VEVENT #${index + 1}${uidProp ? ` (UID ${uidProp})` : ''}`;
  const dtstart = prop(c, 'DTSTART');
  if (!dtstart) throw new RotaImportError('noDtstart', { what, line: c.line });
  const start = timeOf(dtstart, what);
  const zone = zoneOf(zones, dtstart, start);
  const attendee = prop(c, 'ATTENDEE')?.params['CN'] ?? null;
  const summary = unescapeText(prop(c, 'SUMMARY')?.value ?? '');
  return {
    // only what expansion reads later is kept: 100,000 events must not hold their whole blocks
    c: { ...c, props: c.props.filter((p) => LATER.has(p.name)), children: [] },
    what,
    uid: uidProp ?? `#${index}`,
    start,
    startLine: dtstart.line,
    zone,
    length: lengthOf(c, what, start, dtstart, zones, zone),
    cancelled: prop(c, 'STATUS')?.value.trim().toUpperCase() === 'CANCELLED',
    person: personFromEvent(summary, attendee) ?? owner,
  };
}

const seq = (e: Vevent) => Number(prop(e.c, 'SEQUENCE')?.value ?? 0) || 0;

/** How far before the window a series must be expanded for its instances to reach into it. */
function reach(length: Length): number {
  return Math.max(0, length.wallMs) + Math.max(0, length.exactMs) + 2 * DAY;
}

/**
 * Parses an iCal feed (PagerDuty, Opsgenie, GoAlert, Grafana OnCall, Google and Outlook exports)
 * into shifts within [from, to). Times are computed here, not by ical.js's expansion: VTIMEZONEs
 * stay with their feed, cancelled events and instances count for nothing, a RECURRENCE-ID instance
 * always stands as its own event, and expansion starts near the window. Broken or runaway input
 * throws RotaImportError naming the line or rule.
 */
export function importIcalFeed(text: string, from: number, to: number, options: IcalImportOptions = {}): ImportedFeed {
  if (!/BEGIN:VCALENDAR/i.test(text)) throw new RotaImportError('notIcal');
  const events = countEvents(text);
  if (events > MAX_FEED_EVENTS) throw new RotaImportError('tooManyEvents', { count: events, max: MAX_FEED_EVENTS });
  // the calendar's zone and VTIMEZONEs are needed before the first event, wherever they stand
  const calZoneRaw = /^X-WR-TIMEZONE[^:\r\n]*:([^\r\n]*)/im.exec(text)?.[1]?.trim();
  const calZone = calZoneRaw ? ianaZoneOf(calZoneRaw) : null;
  const zones = new FeedZones(zoneDefinitions(text), calZone, new Date(from).getUTCFullYear() - 2);
  const owner = options.owner?.trim() || 'me';

  const masters = new Map<string, Vevent>();
  const exceptions: Array<{ event: Vevent; recurrenceId: number }> = [];
  let index = 0;
  const onEvent = (c: IcalComponent) => {
    const event = readEvent(c, index++, zones, owner);
    const rid = prop(c, 'RECURRENCE-ID');
    if (rid) {
      const t = timeOf(rid, event.what);
      exceptions.push({ event, recurrenceId: zoneOf(zones, rid, t).fromWall(t.wall) });
      return;
    }
    const seen = masters.get(event.uid);
    // the same UID twice: a re-sent event, the newer SEQUENCE wins
    if (!seen || seq(event) >= seq(seen)) masters.set(event.uid, event);
  };
  // events are read as they end, so the feed is never held as a tree
  const root = parseIcal(text, KEEP, (c) => {
    if (c.name === 'VEVENT') onEvent(c);
    return true;
  });
  const cal = root.children[0];
  if (!cal || cal.name !== 'VCALENDAR') throw new RotaImportError('notVcalendar', { name: cal?.name ?? '-' });

  const replaced = new Map<string, Set<number>>();
  for (const { event, recurrenceId } of exceptions) {
    let set = replaced.get(event.uid);
    if (!set) replaced.set(event.uid, (set = new Set()));
    set.add(recurrenceId);
  }

  const shifts: FixedShift[] = [];
  const add = (person: string, start: number, end: number) => {
    if (end > from && start < to && end > start) {
      if (shifts.length >= MAX_FEED_SHIFTS) throw new RotaImportError('tooManyShifts', { max: MAX_FEED_SHIFTS });
      shifts.push({ person, start, end });
    }
  };
  const budget: StepBudget = { left: options.maxSteps ?? MAX_FEED_STEPS };

  for (const event of masters.values()) {
    if (event.cancelled) continue;
    const rrule = prop(event.c, 'RRULE');
    const rdates = prop(event.c, 'RDATE');
    if (!rrule && !rdates) {
      const s = event.zone.fromWall(event.start.wall);
      if (!replaced.get(event.uid)?.has(s)) add(event.person, s, endOf(event.zone, event.start.wall, event.length));
      continue;
    }
    const skip = new Set(listedInstants(event.c, 'EXDATE', event.what, zones).map((x) => x.instant));
    for (const s of replaced.get(event.uid) ?? []) skip.add(s);
    // walls in the event's zone from a day before the window (a wall is at most 14 h off its instant)
    const needWall = event.zone.toWall(from - reach(event.length)) - DAY;
    const untilWall = event.zone.toWall(to) + DAY;
    let walls: number[] = [];
    if (rrule) {
      const rule = parseFeedRule(rrule.value.trim(), rrule.line, event.what, event.zone.toWall);
      walls = expandRule(rule, event.start.wall, event.start.date, needWall, untilWall, budget, rrule.line, event.what);
    } else if (event.start.wall >= needWall && event.start.wall < untilWall) walls = [event.start.wall];
    for (const r of listedInstants(event.c, 'RDATE', event.what, zones)) walls.push(event.zone.toWall(r.instant));
    for (const wall of walls) {
      const s = event.zone.fromWall(wall);
      if (skip.has(s)) continue;
      add(event.person, s, endOf(event.zone, wall, event.length));
    }
  }
  for (const { event } of exceptions) {
    if (event.cancelled) continue;
    add(event.person, event.zone.fromWall(event.start.wall), endOf(event.zone, event.start.wall, event.length));
  }
  shifts.sort((a, b) => a.start - b.start || a.end - b.end || (a.person < b.person ? -1 : a.person > b.person ? 1 : 0));
  const name = prop(cal, 'X-WR-CALNAME')?.value;
  return { name: name ? unescapeText(name) : null, timeZone: calZone, shifts: dedupe(shifts) };
}

function countEvents(text: string): number {
  let n = 0;
  for (let i = text.indexOf('BEGIN:VEVENT'); i >= 0; i = text.indexOf('BEGIN:VEVENT', i + 12)) n++;
  return n;
}

/** An RDATE that repeats an RRULE occurrence is one occurrence. */
function dedupe(shifts: FixedShift[]): FixedShift[] {
  return shifts.filter((s, i) => {
    const p = shifts[i - 1];
    return !p || p.start !== s.start || p.end !== s.end || p.person !== s.person;
  });
}
