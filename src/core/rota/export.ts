import ICAL from 'ical.js';
import type { Shift } from './model';
import { toWall } from './time-zone';

/** iCal of shifts with a reminder `alarmMinutes` before each; built with ical.js so escaping and folding are right. */
export function exportIcal(shifts: Shift[], opts: { calendarName: string; alarmMinutes: number; now: number; uidDomain?: string }): string {
  const cal = new ICAL.Component('vcalendar');
  cal.addPropertyWithValue('version', '2.0');
  cal.addPropertyWithValue('prodid', '-//On-Call Companion//Rota//EN');
  cal.addPropertyWithValue('x-wr-calname', opts.calendarName);
  const stamp = ICAL.Time.fromJSDate(new Date(opts.now), true);
  for (const shift of shifts) {
    const ev = new ICAL.Component('vevent');
    ev.addPropertyWithValue('uid', `${shift.schedule}-${shift.layer ?? 'override'}-${shift.start}-${shift.person}@${opts.uidDomain ?? 'on-call-companion'}`.replace(/\s+/g, '_'));
    ev.addPropertyWithValue('dtstamp', stamp);
    ev.addPropertyWithValue('dtstart', ICAL.Time.fromJSDate(new Date(shift.start), true));
    ev.addPropertyWithValue('dtend', ICAL.Time.fromJSDate(new Date(shift.end), true));
    ev.addPropertyWithValue('summary', `On call: ${shift.person}`);
    ev.addPropertyWithValue('description', `${shift.schedule}${shift.override ? ' (override)' : ''}`);
    const alarm = new ICAL.Component('valarm');
    alarm.addPropertyWithValue('action', 'DISPLAY');
    alarm.addPropertyWithValue('description', `On-call shift starts in ${opts.alarmMinutes} minutes`);
    alarm.addPropertyWithValue('trigger', ICAL.Duration.fromSeconds(-opts.alarmMinutes * 60));
    ev.addSubcomponent(alarm);
    cal.addSubcomponent(ev);
  }
  return cal.toString();
}

function csvField(value: string): string {
  // a leading = + - @ would be a formula in a spreadsheet: quote it as text
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** "2026-03-29 09:00" in the given zone. */
export function formatLocal(instant: number, zone: string): string {
  return new Date(toWall(instant, zone)).toISOString().slice(0, 16).replace('T', ' ');
}

/** CSV of shifts with their true length in hours (a DST night counts 23 or 25 h), for on-call pay. */
export function exportShiftsCsv(shifts: Shift[], zone: string): string {
  const rows = [['person', 'schedule', 'start', 'end', 'time_zone', 'hours', 'override']];
  for (const s of shifts) {
    rows.push([s.person, s.schedule, formatLocal(s.start, zone), formatLocal(s.end, zone), zone, ((s.end - s.start) / 3_600_000).toFixed(2), s.override ? 'yes' : 'no']);
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
