import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../src/core/i18n';
import { importIcalFeed, personFromEvent, RotaImportError } from '../../../src/core/rota/ical-import';

// Issue 13's numbered cases, each with answers worked out by hand in UTC.
// Europe/Berlin: CET (+01:00) until 2026-03-29 02:00, then CEST (+02:00) until 2026-10-25 03:00.
// America/New_York: EDT (-04:00) from 2026-03-08, EST (-05:00) from 2026-11-01 02:00 EDT.
const iso = (t: number) => new Date(t).toISOString().slice(0, 16);
const cal = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR'].join('\r\n');
const event = (...lines: string[]) => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'];
const spans = (text: string, from: string, to: string) => importIcalFeed(text, Date.parse(from), Date.parse(to)).shifts.map((s) => [s.person, iso(s.start), iso(s.end)]);
const newYork = readFileSync('test/fixtures/ical/new-york-vtimezone.ics', 'utf8').trim().split(/\r?\n/);

describe('1. DST does not shorten shifts', () => {
  it('a weekly series whose first instance spans the change keeps its 09:00 handoff in every occurrence', () => {
    const text = cal(...event('UID:w', 'SUMMARY:Ann', 'DTSTART;TZID=Europe/Berlin:20260323T090000', 'DTEND;TZID=Europe/Berlin:20260330T090000', 'RRULE:FREQ=WEEKLY;COUNT=3'));
    expect(spans(text, '2026-03-01T00:00Z', '2026-05-01T00:00Z')).toEqual([
      ['Ann', '2026-03-23T08:00', '2026-03-30T07:00'], // 09:00 CET → 09:00 CEST: 167 real hours
      ['Ann', '2026-03-30T07:00', '2026-04-06T07:00'], // no hour without anyone
      ['Ann', '2026-04-06T07:00', '2026-04-13T07:00'],
    ]);
  });

  it('DURATION:PT168H is 168 real hours; P7D is seven calendar days', () => {
    const exact = cal(...event('UID:d', 'SUMMARY:Ann', 'DTSTART;TZID=Europe/Berlin:20260323T090000', 'DURATION:PT168H', 'RRULE:FREQ=WEEKLY;COUNT=2'));
    expect(spans(exact, '2026-03-01T00:00Z', '2026-05-01T00:00Z')).toEqual([
      ['Ann', '2026-03-23T08:00', '2026-03-30T08:00'], // 10:00 CEST
      ['Ann', '2026-03-30T07:00', '2026-04-06T07:00'],
    ]);
    const nominal = exact.replace('PT168H', 'P7D');
    expect(spans(nominal, '2026-03-01T00:00Z', '2026-05-01T00:00Z')[0]).toEqual(['Ann', '2026-03-23T08:00', '2026-03-30T07:00']);
  });
});

describe('2. the repeated hour at fall-back', () => {
  it('01:30 on 2026-11-01 in a feed-defined New York zone is the first 01:30 (EDT)', () => {
    const text = cal(...newYork, ...event('UID:r', 'SUMMARY:Ann', 'DTSTART;TZID=America/New_York:20261101T013000', 'DTEND;TZID=America/New_York:20261101T030000'));
    // 01:30 EDT = 05:30Z (the second 01:30, EST, would be 06:30Z); 03:00 EST = 08:00Z
    expect(spans(text, '2026-10-01T00:00Z', '2026-12-01T00:00Z')).toEqual([['Ann', '2026-11-01T05:30', '2026-11-01T08:00']]);
  });
});

describe('3. feeds do not leak zones into each other', () => {
  const odd = cal(
    ...['BEGIN:VTIMEZONE', 'TZID:America/New_York', 'BEGIN:STANDARD', 'TZOFFSETFROM:-0300', 'TZOFFSETTO:-0300', 'DTSTART:19700101T000000', 'END:STANDARD', 'END:VTIMEZONE'],
    ...event('UID:a', 'SUMMARY:Ann', 'DTSTART;TZID=America/New_York:20260701T090000', 'DTEND;TZID=America/New_York:20260701T170000'),
  );
  const plain = cal(...event('UID:b', 'SUMMARY:Ben', 'DTSTART;TZID=America/New_York:20260701T090000', 'DTEND;TZID=America/New_York:20260701T170000'));

  it('each feed reads America/New_York its own way, in any order', () => {
    const before = spans(plain, '2026-06-01T00:00Z', '2026-08-01T00:00Z');
    expect(spans(odd, '2026-06-01T00:00Z', '2026-08-01T00:00Z')).toEqual([['Ann', '2026-07-01T12:00', '2026-07-01T20:00']]); // its own -03:00
    expect(spans(plain, '2026-06-01T00:00Z', '2026-08-01T00:00Z')).toEqual([['Ben', '2026-07-01T13:00', '2026-07-01T21:00']]); // EDT
    expect(before).toEqual([['Ben', '2026-07-01T13:00', '2026-07-01T21:00']]);
  });
});

describe('4. cancelled events count for nothing', () => {
  it('drops a cancelled event and a cancelled instance of a series', () => {
    const text = cal(
      ...event('UID:c1', 'SUMMARY:Ann', 'STATUS:CANCELLED', 'DTSTART:20260302T090000Z', 'DTEND:20260303T090000Z'),
      ...event('UID:s', 'SUMMARY:Ben', 'DTSTART:20260302T090000Z', 'DTEND:20260303T090000Z', 'RRULE:FREQ=DAILY;COUNT=3'),
      ...event('UID:s', 'SUMMARY:Ben', 'RECURRENCE-ID:20260303T090000Z', 'STATUS:CANCELLED', 'DTSTART:20260303T090000Z', 'DTEND:20260304T090000Z'),
    );
    expect(spans(text, '2026-03-01T00:00Z', '2026-04-01T00:00Z')).toEqual([
      ['Ben', '2026-03-02T09:00', '2026-03-03T09:00'],
      ['Ben', '2026-03-04T09:00', '2026-03-05T09:00'],
    ]);
  });
});

describe('6. EXDATE', () => {
  it('an EXDATE matching nothing, listed first, does not stop a later one', () => {
    const series = ['UID:x', 'SUMMARY:Ann', 'DTSTART;TZID=Europe/Berlin:20260316T090000', 'DTEND;TZID=Europe/Berlin:20260316T170000', 'RRULE:FREQ=WEEKLY;COUNT=3'];
    const expected = [
      ['Ann', '2026-03-16T08:00', '2026-03-16T16:00'],
      ['Ann', '2026-03-30T07:00', '2026-03-30T15:00'], // 2026-03-23 is excluded
    ];
    const oneLine = cal(...event(...series, 'EXDATE;TZID=Europe/Berlin:20260317T090000,20260323T090000'));
    const twoLines = cal(...event(...series, 'EXDATE;TZID=Europe/Berlin:20260317T090000', 'EXDATE:20260323T080000Z'));
    expect(spans(oneLine, '2026-03-01T00:00Z', '2026-05-01T00:00Z')).toEqual(expected);
    expect(spans(twoLines, '2026-03-01T00:00Z', '2026-05-01T00:00Z')).toEqual(expected);
  });
});

describe('7. orphan overrides stand as events', () => {
  it('keeps a RECURRENCE-ID instance with no master, or one matching no instance of its master', () => {
    const text = cal(
      ...event('UID:orphan', 'SUMMARY:Ann', 'RECURRENCE-ID:20260401T090000Z', 'DTSTART:20260401T100000Z', 'DTEND:20260401T180000Z'),
      ...event('UID:m', 'SUMMARY:Ben', 'DTSTART:20260406T090000Z', 'DTEND:20260407T090000Z', 'RRULE:FREQ=WEEKLY;COUNT=1'),
      ...event('UID:m', 'SUMMARY:Cat', 'RECURRENCE-ID:20260408T090000Z', 'DTSTART:20260408T090000Z', 'DTEND:20260408T120000Z'),
    );
    expect(spans(text, '2026-03-01T00:00Z', '2026-05-01T00:00Z')).toEqual([
      ['Ann', '2026-04-01T10:00', '2026-04-01T18:00'],
      ['Ben', '2026-04-06T09:00', '2026-04-07T09:00'],
      ['Cat', '2026-04-08T09:00', '2026-04-08T12:00'],
    ]);
  });
});

describe('8. names', () => {
  it.each([
    ['On Call - Jean-Luc Picard - Platform', null, 'Jean-Luc Picard'],
    ['On Call - Jane Doe - Primary', null, 'Jane Doe'],
    ['bob On-Call (GoAlert: Sched)', null, 'bob'],
    ['Jean-Luc Picard On-Call (GoAlert: Platform (EU): Primary)', null, 'Jean-Luc Picard'],
    ['On-Call (GoAlert: Sched)', null, null],
    ['On-Call (Platform): Jane Doe', null, 'Jane Doe'],
    ['[L1] Jane Doe', null, 'Jane Doe'],
    ['Jane Doe (Primary)', null, 'Jane Doe'],
    ['whatever', 'Jane Doe', 'Jane Doe'],
  ])('person from "%s"', (summary, cn, person) => {
    expect(personFromEvent(summary, cn)).toBe(person);
  });

  it("reads GoAlert's schedule feed, and its personal feed as the owner's", () => {
    const whole = readFileSync('test/fixtures/ical/goalert-schedule.ics', 'utf8');
    expect(spans(whole, '2026-03-01T00:00Z', '2026-04-01T00:00Z').map((s) => s[0])).toEqual(['Bob Smith', 'Jean-Luc Picard']);
    const personal = readFileSync('test/fixtures/ical/goalert-personal.ics', 'utf8');
    const shifts = importIcalFeed(personal, Date.parse('2026-03-01T00:00Z'), Date.parse('2026-04-01T00:00Z'), { owner: 'Ann' }).shifts;
    expect(shifts.map((s) => [s.person, iso(s.start), iso(s.end)])).toEqual([['Ann', '2026-03-02T09:00', '2026-03-03T09:00']]);
  });
});

describe('9. zones that used to be read as UTC', () => {
  it('a floating time in a calendar with X-WR-TIMEZONE is that zone', () => {
    const text = cal('X-WR-TIMEZONE:Europe/Berlin', ...event('UID:f', 'SUMMARY:Ann', 'DTSTART:20260701T090000', 'DTEND:20260701T170000'));
    expect(spans(text, '2026-06-01T00:00Z', '2026-08-01T00:00Z')).toEqual([['Ann', '2026-07-01T07:00', '2026-07-01T15:00']]);
  });

  it('a Windows zone name from Outlook, with no VTIMEZONE, is mapped through CLDR', () => {
    const text = readFileSync('test/fixtures/ical/outlook-windows-zone.ics', 'utf8');
    expect(spans(text, '2026-01-01T00:00Z', '2026-12-31T00:00Z')).toEqual([
      ['Jean-Luc Picard', '2026-01-05T08:00', '2026-01-12T08:00'], // W. Europe = Europe/Berlin, CET
      ['Dana Scully', '2026-07-01T13:00', '2026-07-01T21:00'], // Eastern = America/New_York, EDT
    ]);
  });

  it("Outlook's own VTIMEZONEs, begun in 1601 or with retired rules, give 2026's offsets", () => {
    const text = readFileSync('test/fixtures/ical/outlook-vtimezone-1601.ics', 'utf8');
    expect(spans(text, '2026-03-01T00:00Z', '2026-04-01T00:00Z')).toEqual([
      ['Ben', '2026-03-08T13:00', '2026-03-09T13:00'], // the 2007 rules: EDT from 2026-03-08 02:00, so 09:00 is -04:00
      ['Ann', '2026-03-28T08:00', '2026-03-30T07:00'], // CET on Saturday, CEST by Monday
    ]);
  });

  it('an unknown TZID is refused, naming it and its line', () => {
    const text = cal(...event('UID:u', 'SUMMARY:Ann', 'DTSTART;TZID=Mars Standard Time:20260701T090000', 'DTEND;TZID=Mars Standard Time:20260701T170000'));
    expect(() => spans(text, '2026-06-01T00:00Z', '2026-08-01T00:00Z')).toThrow(/unknown time zone "Mars Standard Time" at line 7/);
  });
});

describe('all-day events and RDATE', () => {
  it('an all-day event is midnight to midnight in the calendar zone; RDATE adds occurrences once', () => {
    const text = cal(
      'X-WR-TIMEZONE:Europe/Berlin',
      ...event('UID:a', 'SUMMARY:Ann', 'DTSTART;VALUE=DATE:20260701', 'DTEND;VALUE=DATE:20260702'),
      ...event('UID:r', 'SUMMARY:Ben', 'DTSTART:20260706T090000Z', 'DURATION:PT2H', 'RRULE:FREQ=DAILY;COUNT=2', 'RDATE:20260710T090000Z,20260707T090000Z'),
    );
    expect(spans(text, '2026-06-01T00:00Z', '2026-08-01T00:00Z')).toEqual([
      ['Ann', '2026-06-30T22:00', '2026-07-01T22:00'], // CEST midnight
      ['Ben', '2026-07-06T09:00', '2026-07-06T11:00'],
      ['Ben', '2026-07-07T09:00', '2026-07-07T11:00'], // in the rule and in RDATE: once
      ['Ben', '2026-07-10T09:00', '2026-07-10T11:00'],
    ]);
  });
});

describe('10. no silent truncation', () => {
  it('an hourly series begun in 2020 still fills a day in 2026', () => {
    const text = cal(...event('UID:h', 'SUMMARY:Ann', 'DTSTART:20200101T000000Z', 'DTEND:20200101T010000Z', 'RRULE:FREQ=HOURLY'));
    const got = spans(text, '2026-03-01T00:00Z', '2026-03-02T00:00Z');
    expect(got).toHaveLength(24);
    expect(got[0]).toEqual(['Ann', '2026-03-01T00:00', '2026-03-01T01:00']);
    expect(got[23]).toEqual(['Ann', '2026-03-01T23:00', '2026-03-02T00:00']);
  });

  it('every third day since 2000 lands where counting says; the first Monday monthly since 1990 too', () => {
    // 2000-01-01 to 2026-03-01 is 26×365 + 7 leap days + 59 = 9556 days; 9555 = 3×3185, so 2026-02-28, 03-03, 03-06
    const daily = cal(...event('UID:d', 'SUMMARY:Ann', 'DTSTART:20000101T090000Z', 'DTEND:20000101T100000Z', 'RRULE:FREQ=DAILY;INTERVAL=3'));
    expect(spans(daily, '2026-03-01T00:00Z', '2026-03-07T00:00Z').map((s) => s[1])).toEqual(['2026-03-03T09:00', '2026-03-06T09:00']);
    const monthly = cal(...event('UID:m', 'SUMMARY:Ben', 'DTSTART;TZID=Europe/Berlin:19900101T090000', 'DTEND;TZID=Europe/Berlin:19900101T100000', 'RRULE:FREQ=MONTHLY;BYDAY=1MO'));
    // 2026-03-01 is a Sunday, so the first Monday is 03-02, 09:00 CET = 08:00Z; April's is 04-06, CEST
    expect(spans(monthly, '2026-03-01T00:00Z', '2026-05-01T00:00Z')).toEqual([
      ['Ben', '2026-03-02T08:00', '2026-03-02T09:00'],
      ['Ben', '2026-04-06T07:00', '2026-04-06T08:00'],
    ]);
  });
});

describe('11. expansion cost is bounded', () => {
  const ruleFeed = (rule: string) => cal(...event('UID:r', 'SUMMARY:Ann', 'DTSTART:20260105T090000Z', 'DTEND:20260105T100000Z', `RRULE:${rule}`));

  it.each([
    ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', /can never produce a shift/],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', /can never produce a shift/],
    ['FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31', /BYMONTHDAY cannot be used with FREQ=WEEKLY/],
    ['FREQ=DAILY;INTERVAL=7;BYDAY=TU', /can never produce a shift/], // every 7th day from a Monday is a Monday
    ['FREQ=MINUTELY;BYMONTH=2', /takes too long to expand/],
    ['FREQ=SECONDLY', /FREQ=SECONDLY/],
  ])('refuses %s, naming it', (rule, message) => {
    const run = () => spans(ruleFeed(rule), '2026-01-01T00:00Z', '2027-01-01T00:00Z');
    expect(run).toThrow(RotaImportError);
    expect(run).toThrow(message);
    expect(run).toThrow(rule);
  });

  it('a feed that needs more iterator steps than allowed is refused, naming where it stopped', () => {
    const many = cal(...Array.from({ length: 50 }, (_, i) => event(`UID:s${i}`, `SUMMARY:Person ${i}`, 'DTSTART:20260101T090000Z', 'DTEND:20260101T100000Z', 'RRULE:FREQ=DAILY;BYHOUR=9')).flat());
    expect(() => importIcalFeed(many, Date.parse('2026-01-01T00:00Z'), Date.parse('2027-01-01T00:00Z'), { maxSteps: 5_000 })).toThrow(/takes too long to expand; stopped at the RRULE "FREQ=DAILY;BYHOUR=9" in VEVENT #\d+ \(UID s\d+\)/);
    expect(importIcalFeed(many, Date.parse('2026-01-01T00:00Z'), Date.parse('2027-01-01T00:00Z'), { maxSteps: 50_000 }).shifts).toHaveLength(50 * 365);
  });

  it('a feed with more events or zone definitions than allowed is refused before any work', () => {
    const events = `BEGIN:VCALENDAR\r\n${'BEGIN:VEVENT\r\nEND:VEVENT\r\n'.repeat(150_001)}END:VCALENDAR`;
    expect(() => importIcalFeed(events, 0, 1)).toThrow(/the feed has 150001 events; more than 150000 are refused/);
    const zone = (i: number) => ['BEGIN:VTIMEZONE', `TZID:Z${i}`, 'BEGIN:STANDARD', 'DTSTART:16010101T000000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0100', 'END:STANDARD', 'END:VTIMEZONE'];
    const use = (i: number) => event(`UID:${i}`, 'SUMMARY:Ann', `DTSTART;TZID=Z${i}:20260701T090000`, `DTEND;TZID=Z${i}:20260701T100000`);
    const zones = (n: number) => cal(...Array.from({ length: n }, (_, i) => [...zone(i), ...use(i)]).flat());
    expect(importIcalFeed(zones(50), Date.parse('2026-06-01T00:00Z'), Date.parse('2026-08-01T00:00Z')).shifts[0]!.start).toBe(Date.parse('2026-07-01T08:00Z'));
    expect(() => importIcalFeed(zones(51), Date.parse('2026-06-01T00:00Z'), Date.parse('2026-08-01T00:00Z'))).toThrow(/more than 50 time zone definitions/);
  });

  it('refusals carry a code and params, with texts in English and German', () => {
    try {
      spans(ruleFeed('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'), '2026-01-01T00:00Z', '2027-01-01T00:00Z');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RotaImportError);
      const e = err as RotaImportError;
      expect(e.code).toBe('ruleNever');
      expect(e.params).toMatchObject({ rule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', line: 9 });
      expect(e.message).toContain('can never produce a shift');
      expect(e.localized(createI18n('de').t as never)).toBe('die RRULE "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30" in VEVENT #1 (UID r) (Zeile 9) ergibt nie eine Schicht');
    }
    // the reason for an invalid rule is a code too, so it reads in German as a whole
    const invalid = (() => {
      try {
        spans(ruleFeed('FREQ=WEEKLY;BYMONTHDAY=31'), '2026-01-01T00:00Z', '2027-01-01T00:00Z');
      } catch (err) {
        return err as RotaImportError;
      }
      return null;
    })();
    expect(invalid?.message).toBe('invalid RRULE "FREQ=WEEKLY;BYMONTHDAY=31" in VEVENT #1 (UID r) (line 9): BYMONTHDAY cannot be used with FREQ=WEEKLY');
    expect(invalid?.localized(createI18n('de').t as never)).toBe('ungültige RRULE "FREQ=WEEKLY;BYMONTHDAY=31" in VEVENT #1 (UID r) (Zeile 9): BYMONTHDAY ist mit FREQ=WEEKLY nicht erlaubt');
  });
});
