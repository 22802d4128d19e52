import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { onCallAt } from '../../../src/core/rota/engine';
import { createI18n } from '../../../src/core/i18n';
import { RotaImportError } from '../../../src/core/rota/ical-import';
import { parseRotaFile } from '../../../src/core/rota/rota-file';

const yaml = readFileSync('test/fixtures/rota.yaml', 'utf8');

describe('rota file', () => {
  it('reads schedules, layers, restrictions and overrides from YAML', () => {
    const [s] = parseRotaFile(yaml, 'rota.yaml');
    expect(s!.layers.map((l) => l.id)).toEqual(['after-hours', 'office']);
    expect(onCallAt(s!, Date.parse('2026-01-06T10:00:00Z'))?.person).toBe('dora');
    expect(onCallAt(s!, Date.parse('2026-01-06T22:00:00Z'))?.person).toBe('gus');
    expect(onCallAt(s!, Date.parse('2026-01-07T22:00:00Z'))?.person).toBe('erik');
  });

  it('reads the same rota from JSON', () => {
    const json = JSON.stringify({ schedules: [{ id: 'x', name: 'X', timeZone: 'UTC', layers: [{ id: 'l', participants: ['a'], rotation: 'FREQ=DAILY', start: '2026-01-01', handoff: '09:00' }] }] });
    expect(parseRotaFile(json, 'rota.json')[0]!.layers[0]!.participants).toEqual(['a']);
  });

  it.each([
    ['unknown time zone', (t: string) => t.replace('Europe/Berlin', 'Europe/Atlantis'), /rota\.yaml line 5: schedules\[0\]\.timeZone: unknown time zone/],
    ['invalid RRULE', (t: string) => t.replace('FREQ=WEEKLY;BYDAY=MO', 'FREQ=FORTNIGHTLY'), /rota\.yaml line 10: schedules\[0\]\.layers\[0\]\.rotation: invalid RRULE "FREQ=FORTNIGHTLY"/],
    ['bad handoff', (t: string) => t.replace('handoff: "09:00"', 'handoff: "9am"'), /line 12: schedules\[0\]\.layers\[0\]\.handoff: expected a time as HH:MM/],
    ['YAML syntax error', (t: string) => t.replace('participants: [erik, fay]', 'participants: [erik, fay'), /rota\.yaml line \d+: /],
    ['override ending before it starts', (t: string) => t.replace('2026-01-07T08:00:00+01:00', '2026-01-06T08:00:00+01:00'), /line 26: schedules\[0\]\.overrides\[0\]\.end: must be after start/],
    ['no schedules', () => 'schedules: []', /the file has no schedules/],
  ])('refuses a file with %s, naming the line and field', (_name, edit, message) => {
    expect(() => parseRotaFile(edit(yaml), 'rota.yaml')).toThrow(RotaImportError);
    expect(() => parseRotaFile(edit(yaml), 'rota.yaml')).toThrow(message);
  });

  it('reads override times without an offset, and dates alone, in the schedule time zone (issue 13 case 13)', () => {
    const text = [
      'schedules:',
      '  - id: s',
      '    name: S',
      '    timeZone: Europe/Berlin',
      '    overrides:',
      '      - { person: ann, start: "2026-03-30T09:00:00", end: "2026-03-30T17:00" }',
      '      - { person: ben, start: 2026-12-24, end: 2026-12-25 }',
      '      - { person: cat, start: "2026-03-30T09:00:00Z", end: "2026-03-30T12:00:00+02:00" }',
    ].join('\n');
    const [s] = parseRotaFile(text, 'rota.yaml');
    const iso = (t: number) => new Date(t).toISOString().slice(0, 16);
    expect(s!.overrides.map((o) => [o.person, iso(o.start), iso(o.end)])).toEqual([
      ['ann', '2026-03-30T07:00', '2026-03-30T15:00'], // CEST (+02:00) since 2026-03-29
      ['ben', '2026-12-23T23:00', '2026-12-24T23:00'], // midnight CET (+01:00)
      ['cat', '2026-03-30T09:00', '2026-03-30T10:00'], // offsets given: taken as written
    ]);
    expect(() => parseRotaFile(text.replace('2026-12-25', 'Christmas'), 'rota.yaml')).toThrow(/line 7: schedules\[0\]\.overrides\[1\]\.end: expected a date-time/);
  });

  it('refuses YAML over 1 MiB at once, and reads a big JSON file of 40,000 overrides', () => {
    const big = `${yaml}\n${'# padding\n'.repeat(110_000)}`;
    expect(() => parseRotaFile(big, 'rota.yaml')).toThrow(/rota\.yaml is larger than 1 MiB/);
    const base = Date.parse('2026-01-01T00:00:00Z');
    const overrides = Array.from({ length: 40_000 }, (_, i) => ({ person: `p${i % 7}`, start: new Date(base + i * 3_600_000).toISOString(), end: new Date(base + (i + 1) * 3_600_000).toISOString() }));
    const [s] = parseRotaFile(JSON.stringify({ schedules: [{ id: 'x', name: 'X', timeZone: 'UTC', overrides }] }), 'rota.json');
    expect(s!.overrides).toHaveLength(40_000);
    expect(onCallAt(s!, base + 39_999 * 3_600_000 + 1)?.person).toBe('p1'); // 39,999 = 7 × 5,714 + 1
  });

  it('names the field of a bad JSON file too', () => {
    expect(() => parseRotaFile('{"schedules":[{"id":"x","name":"X","timeZone":"Nowhere/Land"}]}', 'rota.json')).toThrow(/rota\.json line 1: schedules\[0\]\.timeZone: unknown time zone/);
  });

  it('a refused rotation inside a file can be told in German from its code and params alone (as they cross the worker)', () => {
    const bad = yaml.replace('FREQ=WEEKLY;BYDAY=MO', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30');
    let caught: RotaImportError | null = null;
    try {
      parseRotaFile(bad, 'rota.yaml');
    } catch (err) {
      caught = err as RotaImportError;
    }
    expect(caught?.message).toBe('rota.yaml line 10: schedules[0].layers[0].rotation: the rotation "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30" can never hand over: no month has that day');
    const copy = structuredClone({ code: caught!.code, params: caught!.params });
    expect(createI18n('de').t(`rota.errors.${copy.code}`, copy.params)).toBe('rota.yaml line 10: schedules[0].layers[0].rotation: die Rotation "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30" kann nie übergeben: kein Monat hat diesen Tag');
  });
});
