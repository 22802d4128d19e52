import { describe, expect, it } from 'vitest';
import { checkLayer, finalShifts, layerSegments, onCallAllAt, onCallAt, RotationError } from '../../../src/core/rota/engine';
import type { Layer, Schedule } from '../../../src/core/rota/model';
import { toWall } from '../../../src/core/rota/time-zone';

const H = 3600_000;
const D = 24 * H;
const utc = (s: string) => Date.parse(s);
const localHHMM = (t: number, zone: string) => new Date(toWall(t, zone)).toISOString().slice(11, 16);

function layer(over: Partial<Layer> = {}): Layer {
  return { id: 'l1', name: 'Primary', participants: ['alice', 'bob', 'carol'], rotation: 'FREQ=DAILY', start: '2026-01-01', handoff: '09:00', restrictions: [], ...over };
}
function schedule(over: Partial<Schedule> = {}): Schedule {
  return { id: 's1', name: 'Ops', timeZone: 'Europe/Berlin', layers: [layer()], overrides: [], fixedShifts: [], ...over };
}

describe('rotation layers', () => {
  it('daily handoff at 09:00 local, participants in order', () => {
    const shifts = finalShifts(schedule(), utc('2026-01-01T08:00:00Z'), utc('2026-01-04T08:00:00Z'));
    expect(shifts.map((s) => [s.person, new Date(s.start).toISOString()])).toEqual([
      ['alice', '2026-01-01T08:00:00.000Z'],
      ['bob', '2026-01-02T08:00:00.000Z'],
      ['carol', '2026-01-03T08:00:00.000Z'],
    ]);
  });

  it('"every 2 weeks on Monday at 09:00"', () => {
    const s = schedule({ layers: [layer({ rotation: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', start: '2026-01-05', participants: ['alice', 'bob'] })] });
    const shifts = finalShifts(s, utc('2026-01-05T00:00:00Z'), utc('2026-02-16T00:00:00Z'));
    expect(shifts.map((x) => [x.person, new Date(x.start).toISOString().slice(0, 16)])).toEqual([
      ['alice', '2026-01-05T08:00'],
      ['bob', '2026-01-19T08:00'],
      ['alice', '2026-02-02T08:00'],
    ]);
  });

  for (const [zone, spring, autumn] of [
    ['Europe/Berlin', '2026-03-29', '2026-10-25'],
    ['America/New_York', '2026-03-08', '2026-11-01'],
    ['Australia/Lord_Howe', '2026-04-05', '2026-10-04'],
  ] as const) {
    it(`${zone}: a daily 09:00 handoff stays at 09:00 local across DST, and the spanning shift has its true length`, () => {
      const s = schedule({ timeZone: zone, layers: [layer()] });
      for (const day of [spring, autumn]) {
        const from = utc(`${day}T00:00:00Z`) - 3 * D;
        const shifts = finalShifts(s, from, from + 7 * D);
        const inner = shifts.slice(1, -1);
        expect(inner.map((x) => localHHMM(x.start, zone))).toEqual(inner.map(() => '09:00'));
        const lengths = inner.map((x) => (x.end - x.start) / H);
        const changed = lengths.filter((l) => l !== 24);
        // exactly one shift spans the transition, and it is short or long by the DST step
        expect(changed).toHaveLength(1);
        const step = zone === 'Australia/Lord_Howe' ? 0.5 : 1;
        expect(Math.abs(changed[0]! - 24)).toBe(step);
      }
    });
  }

  it('Berlin: at the very transition instants, the person on call does not change', () => {
    const s = schedule();
    const before = onCallAt(s, utc('2026-03-29T00:59:59.999Z'));
    const at = onCallAt(s, utc('2026-03-29T01:00:00Z'));
    expect(at?.person).toBe(before?.person);
    const handoff = utc('2026-03-29T07:00:00Z'); // 09:00 CEST
    expect(onCallAt(s, handoff - 1)?.person).not.toBe(onCallAt(s, handoff)?.person);
  });

  it('leap day: a daily rotation includes 29 February, a yearly one on it recurs only in leap years', () => {
    const s = schedule({ layers: [layer({ start: '2028-02-27' })] });
    const shifts = finalShifts(s, utc('2028-02-27T08:00:00Z'), utc('2028-03-02T08:00:00Z'));
    expect(shifts.map((x) => new Date(x.start).toISOString().slice(0, 10))).toEqual(['2028-02-27', '2028-02-28', '2028-02-29', '2028-03-01']);
    const yearly = layer({ rotation: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', start: '2028-02-29', participants: ['a', 'b'] });
    const segs = layerSegments(yearly, 'Europe/Berlin', utc('2028-01-01T00:00:00Z'), utc('2033-01-01T00:00:00Z'));
    expect(segs.map((x) => [x.person, new Date(x.start).toISOString().slice(0, 10)])).toEqual([
      ['a', '2028-02-29'],
      ['b', '2032-02-29'],
    ]);
  });

  it('a monthly rotation that has ended leaves nobody on call after its last shift, without error', () => {
    const s = schedule({ layers: [layer({ rotation: 'FREQ=MONTHLY;BYMONTHDAY=1;COUNT=2', start: '2026-01-01', participants: ['a', 'b'] })] });
    const shifts = finalShifts(s, utc('2026-01-01T00:00:00Z'), utc('2026-06-01T00:00:00Z'));
    // the last handoff begins a shift that never ends (no further handoff)
    expect(shifts.map((x) => [x.person, new Date(x.start).toISOString().slice(0, 10), new Date(x.end).toISOString().slice(0, 10)])).toEqual([
      ['a', '2026-01-01', '2026-02-01'],
      ['b', '2026-02-01', '2026-06-01'],
    ]);
    expect(onCallAt(s, utc('2027-01-01T00:00:00Z'))?.person).toBe('b');
  });

  it('a layer with no participants puts nobody on call', () => {
    const s = schedule({ layers: [layer({ participants: [] })] });
    expect(finalShifts(s, utc('2026-02-01T00:00:00Z'), utc('2026-02-03T00:00:00Z'))).toEqual([]);
    expect(onCallAt(s, utc('2026-02-01T12:00:00Z'))).toBeNull();
  });

  it('nobody before the layer starts', () => {
    const s = schedule({ layers: [layer({ start: '2026-06-01' })] });
    expect(onCallAt(s, utc('2026-05-31T12:00:00Z'))).toBeNull();
    expect(onCallAt(s, utc('2026-06-01T12:00:00Z'))?.person).toBe('alice');
  });

  it('an invalid RRULE is refused with a message naming it', () => {
    const s = schedule({ layers: [layer({ rotation: 'FREQ=SOMETIMES' })] });
    expect(() => finalShifts(s, 0, D)).toThrow(RotationError);
    expect(() => finalShifts(s, 0, D)).toThrow(/invalid RRULE "FREQ=SOMETIMES"/);
  });

  it('refuses sub-daily rotations, which rrule.js can loop on forever, and offers the daily form', () => {
    const s = schedule({ layers: [layer({ rotation: 'FREQ=HOURLY;INTERVAL=12;BYHOUR=9,21', handoff: '10:00' })] });
    expect(() => finalShifts(s, 0, D)).toThrow(/rotations are DAILY or longer .*FREQ=DAILY;BYHOUR/);
  });

  it('refuses day filters a daily rotation would search for forever', () => {
    const s = schedule({ layers: [layer({ rotation: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30' })] });
    expect(() => finalShifts(s, 0, D)).toThrow(/BYMONTH, BYMONTHDAY cannot be used with FREQ=DAILY/);
  });

  it('two handoffs a day with FREQ=DAILY;BYHOUR=9,21', () => {
    const s = schedule({ timeZone: 'UTC', layers: [layer({ rotation: 'FREQ=DAILY;BYHOUR=9,21', participants: ['day', 'night'] })] });
    const shifts = finalShifts(s, utc('2026-01-02T00:00:00Z'), utc('2026-01-03T00:00:00Z'));
    expect(shifts.map((x) => [x.person, new Date(x.start).toISOString().slice(11, 16)])).toEqual([
      ['night', '00:00'], // the 21:00 shift from the day before
      ['day', '09:00'],
      ['night', '21:00'],
    ]);
  });
});

describe('restrictions and layering', () => {
  // seed 002: office hours 09:00–17:00 Mon–Fri by the day person; after hours by the on-call rotation
  const office = layer({ id: 'office', participants: ['dora'], rotation: 'FREQ=WEEKLY', start: '2026-01-05', restrictions: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], start: '09:00', end: '17:00' }] });
  const afterHours = layer({ id: 'night', participants: ['erik', 'fay'], rotation: 'FREQ=WEEKLY;BYDAY=MO', start: '2026-01-05', handoff: '09:00' });

  it('office hours on top of an after-hours rotation', () => {
    const s = schedule({ layers: [afterHours, office] });
    const mon = (h: string) => utc(`2026-01-05T${h}:00Z`); // Berlin is UTC+1 in January
    expect(onCallAt(s, mon('09:00'))?.person).toBe('dora'); // 10:00 local
    expect(onCallAt(s, mon('16:59'))?.person).toBe('erik'); // 17:59 local
    expect(onCallAt(s, mon('22:00'))?.person).toBe('erik');
    const sat = utc('2026-01-10T11:00:00Z');
    expect(onCallAt(s, sat)?.person).toBe('erik');
    expect(onCallAt(s, utc('2026-01-12T09:00:00Z'))?.person).toBe('dora');
    expect(onCallAt(s, utc('2026-01-12T20:00:00Z'))?.person).toBe('fay');
  });

  it('a restriction window that crosses midnight: 22:00–06:00 on Friday covers the Saturday small hours', () => {
    const nights = layer({ participants: ['night-owl'], restrictions: [{ days: ['FR'], start: '22:00', end: '06:00' }] });
    const s = schedule({ layers: [nights] });
    const shifts = finalShifts(s, utc('2026-01-05T00:00:00Z'), utc('2026-01-12T00:00:00Z'));
    expect(shifts.map((x) => [new Date(x.start).toISOString(), new Date(x.end).toISOString()])).toEqual([
      ['2026-01-09T21:00:00.000Z', '2026-01-10T05:00:00.000Z'],
    ]);
    expect(onCallAt(s, utc('2026-01-10T04:59:00Z'))?.person).toBe('night-owl');
    expect(onCallAt(s, utc('2026-01-10T05:00:00Z'))).toBeNull();
  });

  it('an override beats every layer, and the later of two overlapping overrides wins', () => {
    const s = schedule({
      layers: [afterHours, office],
      overrides: [
        { id: 'o1', person: 'gus', start: utc('2026-01-05T08:30:00Z'), end: utc('2026-01-05T12:00:00Z') },
        { id: 'o2', person: 'hana', start: utc('2026-01-05T11:00:00Z'), end: utc('2026-01-05T13:00:00Z') },
      ],
    });
    const shifts = finalShifts(s, utc('2026-01-05T08:00:00Z'), utc('2026-01-05T14:00:00Z'));
    expect(shifts.map((x) => [x.person, x.override, new Date(x.start).toISOString().slice(11, 16)])).toEqual([
      ['dora', false, '08:00'], // 09:00 local: office hours
      ['gus', true, '08:30'],
      ['hana', true, '11:00'],
      ['dora', false, '13:00'],
    ]);
  });
});

describe('issue 13 case 5: overlapping feed shifts', () => {
  it('both people are on call where two feed events overlap, and onCallAt names the earlier one', () => {
    const s = schedule({
      layers: [],
      fixedShifts: [
        { person: 'ann', start: utc('2026-03-02T09:00:00Z'), end: utc('2026-03-02T17:00:00Z') },
        { person: 'ben', start: utc('2026-03-02T13:00:00Z'), end: utc('2026-03-02T21:00:00Z') },
      ],
    });
    const shifts = finalShifts(s, utc('2026-03-02T00:00:00Z'), utc('2026-03-03T00:00:00Z'));
    expect(shifts.map((x) => [x.person, new Date(x.start).toISOString().slice(11, 16), new Date(x.end).toISOString().slice(11, 16)])).toEqual([
      ['ann', '09:00', '17:00'],
      ['ben', '13:00', '21:00'],
    ]);
    expect(onCallAt(s, utc('2026-03-02T14:00:00Z'))?.person).toBe('ann');
    expect(onCallAllAt(s, utc('2026-03-02T14:00:00Z')).map((x) => x.person)).toEqual(['ann', 'ben']);
    expect(onCallAt(s, utc('2026-03-02T18:00:00Z'))?.person).toBe('ben');
  });
});

describe('overrides at scale (issue 14)', () => {
  it('40,000 overrides resolve so the latest covering each instant wins', () => {
    const base = utc('2026-01-01T00:00:00Z');
    // back-to-back hourly overrides, then every 100th hour re-covered by a later "late" override
    const overrides = Array.from({ length: 40_000 }, (_, i) => ({ id: `o${i}`, person: `p${i % 7}`, start: base + i * H, end: base + (i + 1) * H }));
    for (let i = 0; i < 400; i++) overrides.push({ id: `late${i}`, person: 'late', start: base + i * 100 * H, end: base + (i * 100 + 2) * H });
    const s = schedule({ layers: [], overrides });
    const shifts = finalShifts(s, base, base + 40_000 * H);
    const at = (h: number) => shifts.find((x) => x.start <= base + h * H + 1 && base + h * H + 1 < x.end)?.person;
    expect(at(0)).toBe('late');
    expect(at(1)).toBe('late');
    expect(at(2)).toBe('p2');
    expect(at(150)).toBe('p3'); // 150 % 7
    expect(at(39_999)).toBe('p1'); // 39,999 = 7 × 5,714 + 1
  });
});

describe('issue 13 case 11: rotations that cannot be expanded cheaply are refused or stay cheap', () => {
  it('refuses a rotation that never hands over, or hands over every few minutes, naming it', () => {
    const never = schedule({ layers: [layer({ rotation: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' })] });
    expect(() => finalShifts(never, 0, D)).toThrow(/"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30" can never hand over/);
    const minutes = Array.from({ length: 12 }, (_, i) => i * 5).join(',');
    const hours = Array.from({ length: 24 }, (_, i) => i).join(',');
    const days = Array.from({ length: 28 }, (_, i) => i + 1).join(',');
    const dense = `FREQ=MONTHLY;BYMONTHDAY=${days};BYHOUR=${hours};BYMINUTE=${minutes};UNTIL=99991231T000000Z`;
    expect(() => checkLayer(layer({ rotation: dense }))).toThrow(/changes hands more than 48 times a day/);
  });

  it('a monthly rotation from the typo year 1026 answers for 2026 from one pass: 12,000 handoffs, so alice again', () => {
    const s = schedule({ timeZone: 'UTC', layers: [layer({ rotation: 'FREQ=MONTHLY', start: '1026-01-01', handoff: '09:00' })] });
    // handoff k is on 1st of month k after 1026-01; 2026-01 is k = 12,000, and 12,000 % 3 = 0
    expect(onCallAt(s, utc('2026-01-15T00:00:00Z'))?.person).toBe('alice');
    expect(onCallAt(s, utc('2026-02-15T00:00:00Z'))?.person).toBe('bob');
    expect(() => checkLayer(layer({ rotation: 'FREQ=MONTHLY', start: '1026-01-01' }))).not.toThrow();
  });

  it('refuses a dense non-periodic rotation begun centuries ago, suggesting the start is a typo', () => {
    // 14 days × 4 hours = 56 handoffs a month: 268,800 in the 400-year cycle a start in 1026 needs
    const rotation = 'FREQ=MONTHLY;BYMONTHDAY=1,2,3,4,5,6,7,8,9,10,11,12,13,14;BYHOUR=0,6,12,18';
    expect(() => checkLayer(layer({ rotation, start: '1026-01-01' }))).toThrow(/starting 1026-01-01 changes hands too often to expand \(more than 200000 times\); is the start date a typo/);
    expect(() => checkLayer(layer({ rotation, start: '2026-01-01' }))).not.toThrow();
  });
});
