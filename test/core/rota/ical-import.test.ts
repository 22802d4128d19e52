import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importIcalFeed, personFromEvent, RotaImportError } from '../../../src/core/rota/ical-import';

const feed = readFileSync('test/fixtures/ical/pagerduty-like.ics', 'utf8');
const iso = (t: number) => new Date(t).toISOString().slice(0, 16);
const from = Date.parse('2026-03-01T00:00:00Z');
const to = Date.parse('2026-06-01T00:00:00Z');

describe('iCal feed import', () => {
  it('expands RRULE with EXDATE and RECURRENCE-ID in the feed VTIMEZONE, across the DST change', () => {
    const imported = importIcalFeed(feed, from, to);
    expect(imported.name).toBe('Platform Primary');
    expect(imported.timeZone).toBe('Europe/Berlin');
    expect(imported.shifts.map((s) => [s.person, iso(s.start), iso(s.end)])).toEqual([
      ['Alice Example', '2026-03-16T08:00', '2026-03-23T08:00'], // 09:00 CET
      ['Carol Coder', '2026-03-23T08:00', '2026-03-30T07:00'],
      ['Bob Builder', '2026-03-30T10:00', '2026-04-06T07:00'], // moved by RECURRENCE-ID, 12:00 CEST
      // 2026-04-13 is an EXDATE
      ['Alice Example', '2026-04-27T07:00', '2026-05-04T07:00'], // 09:00 CEST
    ]);
  });

  it('keeps only shifts overlapping the window', () => {
    const imported = importIcalFeed(feed, Date.parse('2026-04-01T00:00:00Z'), Date.parse('2026-04-10T00:00:00Z'));
    expect(imported.shifts.map((s) => s.person)).toEqual(['Bob Builder']);
  });

  it('reads an IANA TZID the feed did not define, and UTC', () => {
    const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:x', 'DTSTART;TZID=America/New_York:20260308T090000', 'DTEND;TZID=America/New_York:20260309T090000', 'SUMMARY:Dana', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    const [s] = importIcalFeed(text, from, to).shifts;
    expect([iso(s!.start), iso(s!.end)]).toEqual(['2026-03-08T13:00', '2026-03-09T13:00']); // EDT began at 02:00 that day
  });

  it.each([
    ['On Call - Jane Doe - Primary', null, 'Jane Doe'],
    ['On-Call (Platform): Jane Doe', null, 'Jane Doe'],
    ['[L1] Jane Doe', null, 'Jane Doe'],
    ['Jane Doe (Primary)', null, 'Jane Doe'],
    ['whatever', 'Jane Doe', 'Jane Doe'],
  ])('person from "%s"', (summary, cn, person) => {
    expect(personFromEvent(summary, cn)).toBe(person);
  });

  it('refuses broken iCal as a whole, naming the line', () => {
    const broken = feed.replace('SUMMARY:On Call - Carol Coder - Platform Primary', 'THIS LINE IS BROKEN');
    expect(() => importIcalFeed(broken, from, to)).toThrow(RotaImportError);
    const line = broken.split('\n').findIndex((l) => l.startsWith('THIS LINE')) + 1;
    expect(() => importIcalFeed(broken, from, to)).toThrow(new RegExp(`at line ${line}:`));
    expect(() => importIcalFeed('hello', from, to)).toThrow(/no BEGIN:VCALENDAR/);
  });

  it('refuses an event without DTSTART, naming it', () => {
    const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:nostart', 'SUMMARY:x', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    expect(() => importIcalFeed(text, from, to)).toThrow(/VEVENT #1 \(UID nostart\) has no DTSTART \(line 3\)/);
  });
});
