/** A valid iCal feed whose rule has no instance (Feb 30): ical.js spins on it for minutes. */
export const HOSTILE_RULE = 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30';

/** The hostile feed as served. */
export const hostileFeed = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//occ tests//hostile//EN',
  'X-WR-CALNAME:Hostile',
  'BEGIN:VEVENT',
  'UID:hostile-1@test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20260101T090000Z',
  'DTEND:20260101T170000Z',
  'SUMMARY:On call - Mallory - Primary',
  `RRULE:${HOSTILE_RULE}`,
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');
