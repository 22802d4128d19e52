import ICAL from 'ical.js';
import type { FixedShift } from './model';
import { RotaImportError } from './errors';
import { fromWall, isValidTimeZone } from './time-zone';

export { RotaImportError };

/** At most this many occurrences per recurring event: a runaway RRULE must not hang the app. */
const MAX_OCCURRENCES_PER_EVENT = 20_000;

/** What a feed says: its name, zone and the shifts within the asked window. */
export interface ImportedFeed {
  name: string | null;
  timeZone: string | null;
  shifts: FixedShift[];
}

/**
 * Who a feed event is about. Providers write it differently: PagerDuty "On Call - Jane Doe -
 * Primary", GoAlert "On-Call (Team): Jane Doe", Grafana OnCall "[L1] Jane Doe", Opsgenie
 * "Jane Doe (Primary)"; an ATTENDEE's CN wins when there is one.
 */
export function personFromEvent(summary: string, attendeeName: string | null): string {
  if (attendeeName && attendeeName.trim()) return attendeeName.trim();
  const s = summary.trim();
  const pd = /^on[\s-]?call\s*-\s*(.+?)\s*-\s*.+$/i.exec(s);
  if (pd) return pd[1]!;
  const colon = /^on[\s-]?call\b[^:]*:\s*(.+)$/i.exec(s);
  if (colon) return colon[1]!.trim();
  return s.replace(/^\[[^\]]*\]\s*/, '').replace(/\s*\([^)]*\)\s*$/, '').trim() || s;
}

function lineOf(text: string, needle: string): number | null {
  const idx = needle ? text.indexOf(needle) : -1;
  return idx < 0 ? null : text.slice(0, idx).split(/\r?\n/).length;
}

/** The instant of an ICAL.Time, honouring VTIMEZONEs, UTC, and IANA TZIDs the feed did not define. */
function instantOf(time: ICAL.Time, tzid: string | null): number {
  const zone = time.zone;
  if (zone && zone.tzid !== 'floating' && (zone.tzid === 'UTC' || zone.component)) return time.toUnixTime() * 1000;
  const wall = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
  if (tzid && isValidTimeZone(tzid)) return fromWall(wall, tzid);
  return wall; // floating time with no zone: read as UTC rather than the laptop's own zone
}

/**
 * Parses an iCal feed (PagerDuty, Opsgenie, GoAlert, Grafana OnCall, Google Calendar exports)
 * into shifts within [from, to): RRULE, EXDATE and RECURRENCE-ID are expanded by ical.js, and
 * VTIMEZONEs are registered first. Broken input throws RotaImportError naming the line.
 */
export function importIcalFeed(text: string, from: number, to: number): ImportedFeed {
  if (!/BEGIN:VCALENDAR/i.test(text)) throw new RotaImportError('not an iCalendar feed: no BEGIN:VCALENDAR');
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text) as unknown as unknown[]);
  } catch (err) {
    const message = (err as Error).message;
    // ical.js quotes the offending line last, e.g. invalid line (no token ";" or ":") "THE LINE"
    const quoted = [...message.matchAll(/"([^"]+)"/g)].at(-1)?.[1] ?? '';
    const line = lineOf(text, quoted);
    throw new RotaImportError(`invalid iCalendar${line ? ` at line ${line}` : ''}: ${message}`);
  }
  if (root.name !== 'vcalendar') throw new RotaImportError(`invalid iCalendar: top level is ${root.name.toUpperCase()}, not VCALENDAR`);

  for (const vtz of root.getAllSubcomponents('vtimezone')) {
    const tzid = vtz.getFirstPropertyValue('tzid');
    if (typeof tzid === 'string') ICAL.TimezoneService.register(vtz);
  }

  const vevents = root.getAllSubcomponents('vevent');
  const masters = new Map<string, ICAL.Event>();
  const exceptions: ICAL.Event[] = [];
  vevents.forEach((vevent, index) => {
    const uid = vevent.getFirstPropertyValue('uid');
    const dtstart = vevent.getFirstProperty('dtstart');
    const what = `VEVENT #${index + 1}${typeof uid === 'string' ? ` (UID ${uid})` : ''}`;
    if (!dtstart) throw new RotaImportError(`invalid iCalendar: ${what} has no DTSTART (line ${lineOf(text, `UID:${String(uid)}`) ?? '?'})`);
    // exceptions: [] stops ical.js scanning every sibling VEVENT per event (O(n²): 5,000 events
    // took ~1 s); exceptions are related to their masters below, once.
    const event = new ICAL.Event(vevent, { exceptions: [] });
    if (event.isRecurrenceException()) exceptions.push(event);
    else masters.set(typeof uid === 'string' ? uid : `#${index}`, event);
  });
  for (const ex of exceptions) masters.get(ex.uid)?.relateException(ex);

  const shifts: FixedShift[] = [];
  for (const event of masters.values()) {
    const tzid = (event.component.getFirstProperty('dtstart')?.getParameter('tzid') as string | undefined) ?? null;
    const attendee = event.component.getFirstProperty('attendee')?.getParameter('cn');
    const addShift = (start: ICAL.Time, end: ICAL.Time, summary: string) => {
      const s = instantOf(start, tzid);
      const e = instantOf(end, tzid);
      if (e > from && s < to && e > s) shifts.push({ person: personFromEvent(summary, typeof attendee === 'string' ? attendee : null), start: s, end: e });
    };
    if (!event.isRecurring()) {
      addShift(event.startDate, event.endDate, event.summary ?? '');
      continue;
    }
    let rrule: ICAL.RecurExpansion;
    try {
      rrule = event.iterator();
    } catch (err) {
      throw new RotaImportError(`invalid RRULE in event "${event.summary}" (line ${lineOf(text, 'RRULE:') ?? '?'}): ${(err as Error).message}`);
    }
    for (let i = 0; i < MAX_OCCURRENCES_PER_EVENT; i++) {
      const next = rrule.next();
      if (!next) break;
      const details = event.getOccurrenceDetails(next);
      if (instantOf(details.startDate, tzid) >= to) break;
      addShift(details.startDate, details.endDate, details.item.summary ?? event.summary ?? '');
    }
  }
  shifts.sort((a, b) => a.start - b.start);
  const name = root.getFirstPropertyValue('x-wr-calname');
  const zone = root.getFirstPropertyValue('x-wr-timezone');
  return {
    name: typeof name === 'string' ? name : null,
    timeZone: typeof zone === 'string' && isValidTimeZone(zone) ? zone : null,
    shifts,
  };
}
