import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { finalShifts, onCallAt } from '../src/core/rota/engine';
import type { Layer, Schedule } from '../src/core/rota/model';

const D = 86_400_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** 10 layers × 20 people, mixed rotations and restrictions, over 365 days. */
export function bigSchedule(): Schedule {
  const rotations = ['FREQ=DAILY', 'FREQ=WEEKLY;BYDAY=MO', 'FREQ=DAILY;BYHOUR=9,21', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO'];
  const layers: Layer[] = Array.from({ length: 10 }, (_, i) => ({
    id: `L${i}`,
    name: `Layer ${i}`,
    participants: Array.from({ length: 20 }, (_, p) => `person-${i}-${p}`),
    rotation: rotations[i % rotations.length]!,
    start: '2025-06-02',
    handoff: '09:00',
    restrictions: i % 3 === 2 ? [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], start: '09:00', end: '17:00' }] : i % 3 === 1 ? [{ days: ['FR', 'SA'], start: '22:00', end: '06:00' }] : [],
  }));
  return { id: 'big', name: 'Big', timeZone: 'Europe/Berlin', layers, overrides: [], fixedShifts: [] };
}

export function benchRota(): void {
  const from = Date.parse('2026-01-01T00:00:00Z');
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < 15; i++) {
    const s = bigSchedule(); // fresh objects: no occurrence cache
    let t0 = performance.now();
    finalShifts(s, from, from + 365 * D);
    cold.push(performance.now() - t0);
    t0 = performance.now();
    finalShifts(s, from, from + 365 * D);
    warm.push(performance.now() - t0);
  }
  console.log('final schedule, 10 layers × 20 people × 365 days:');
  console.log(`  median ${median(cold).toFixed(2)} ms from scratch, ${median(warm).toFixed(2)} ms again on the same schedule   (goal ≤ 20 ms)`);
  const s = bigSchedule();
  finalShifts(s, from, from + 365 * D);
  const n = 2_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) onCallAt(s, from + ((i * 7919) % 365) * D + (i % 24) * 3600_000);
  const per = (performance.now() - t0) / n;
  const s2 = bigSchedule();
  const t1 = performance.now();
  onCallAt(s2, from + 200 * D);
  console.log(`onCallAt: ${(per * 1000).toFixed(1)} µs per call warm, ${(performance.now() - t1).toFixed(2)} ms first call on a new schedule   (goal ≤ 1 ms)`);
}

/** A feed like a big PagerDuty export: `n` single events, one per 8-hour shift, UTC and zoned. */
export function bigFeed(n: number): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//bench//EN', 'X-WR-CALNAME:Big'];
  const start = Date.parse('2026-01-01T00:00:00Z');
  const stamp = (t: number) => new Date(t).toISOString().replace(/[-:]|\.\d+/g, '');
  for (let i = 0; i < n; i++) {
    const s = start + i * 8 * 3600_000;
    lines.push('BEGIN:VEVENT', `UID:e${i}@bench`, `DTSTAMP:${stamp(start)}`, `DTSTART:${stamp(s)}`, `DTEND:${stamp(s + 8 * 3600_000)}`, `SUMMARY:On Call - Person ${i % 20} - Big`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.join('\r\n');
}

/** A VEVENT's lines. */
const vevent = (...lines: string[]) => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'];
const calendar = (lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//bench//EN', ...lines, 'END:VCALENDAR'].join('\r\n');
const ruleFeed = (rule: string, dtstart = 'DTSTART:20260105T090000Z') => calendar(vevent('UID:r', 'SUMMARY:On Call - Ann - X', dtstart, 'DURATION:PT1H', `RRULE:${rule}`));

/** ~20 MiB of daily series begun years ago (the 97,000-series feed that used to hang). */
function dailySeries(n: number): string {
  const pad = 'X'.repeat(40);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(...vevent(`UID:s${i}@bench`, 'DTSTAMP:20200101T000000Z', `DTSTART;TZID=Europe/Berlin:2019${String((i % 12) + 1).padStart(2, '0')}01T0900${String(i % 60).padStart(2, '0')}`, 'DURATION:PT8H', 'RRULE:FREQ=DAILY', `SUMMARY:On Call - Person ${i} - Big`, `DESCRIPTION:${pad}`));
  return calendar(lines);
}

/** A feed of `n` events padded to about `bytes`, like a long PagerDuty history export. */
export function paddedFeed(n: number, bytes: number): string {
  const base = bigFeed(n);
  const per = Math.max(0, Math.floor((bytes - base.length) / n) - 16);
  if (per === 0) return base;
  const pad = 'Lorem ipsum dolor sit amet, '.repeat(Math.ceil(per / 28)).slice(0, per);
  return base.replace(/SUMMARY:/g, () => `DESCRIPTION:${pad}\r\nSUMMARY:`);
}

function overridesYaml(n: number): string {
  const lines = ['schedules:', '  - id: big', '    name: Big', '    timeZone: Europe/Berlin', '    layers:', '      - { id: l, participants: [a, b, c], rotation: "FREQ=WEEKLY;BYDAY=MO", start: 2026-01-05, handoff: "09:00" }', '    overrides:'];
  const base = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < n; i++) lines.push(`      - { person: p${i % 50}, start: "${new Date(base + i * 3_600_000).toISOString()}", end: "${new Date(base + i * 3_600_000 + 5_400_000).toISOString()}" }`);
  return lines.join('\n');
}

function overridesJson(n: number): string {
  const base = Date.parse('2026-01-01T00:00:00Z');
  const overrides = Array.from({ length: n }, (_, i) => ({ person: `p${i % 50}`, start: new Date(base + i * 3_600_000).toISOString(), end: new Date(base + i * 3_600_000 + 5_400_000).toISOString() }));
  const layers = [{ id: 'l', participants: ['a', 'b', 'c'], rotation: 'FREQ=WEEKLY;BYDAY=MO', start: '2026-01-05', handoff: '09:00' }];
  return JSON.stringify({ schedules: [{ id: 'big', name: 'Big', timeZone: 'Europe/Berlin', layers, overrides }] });
}

const rotaYaml = (rotation: string, start = '2026-01-05') => `schedules:\n  - id: s\n    name: S\n    timeZone: Europe/Berlin\n    layers:\n      - { id: l, participants: [a, b, c], rotation: "${rotation}", start: ${start}, handoff: "09:00" }\n`;
const minutes = Array.from({ length: 12 }, (_, i) => i * 5).join(',');
const hours = Array.from({ length: 24 }, (_, i) => i).join(',');
const days = Array.from({ length: 28 }, (_, i) => i + 1).join(',');

/** The hostile set: each builds its input, then runs what the app runs on it (import, then a year of the final schedule). */
const HOSTILE: Record<string, { kind: 'ical' | 'yaml'; make: () => string }> = {
  'feed DAILY;BYMONTH=2;BYMONTHDAY=30': { kind: 'ical', make: () => ruleFeed('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30') },
  'feed YEARLY never matching': { kind: 'ical', make: () => ruleFeed('FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31') },
  'feed DAILY;INTERVAL=7;BYDAY=TU from a Monday': { kind: 'ical', make: () => ruleFeed('FREQ=DAILY;INTERVAL=7;BYDAY=TU') },
  'feed MINUTELY;BYMONTH=2': { kind: 'ical', make: () => ruleFeed('FREQ=MINUTELY;BYMONTH=2') },
  'feed HOURLY since 2000': { kind: 'ical', make: () => ruleFeed('FREQ=HOURLY', 'DTSTART:20000101T000000Z') },
  'feed HOURLY;COUNT=10000000 since 2000': { kind: 'ical', make: () => ruleFeed('FREQ=HOURLY;COUNT=10000000', 'DTSTART:20000101T000000Z') },
  'feed 97,000 daily series (~20 MiB)': { kind: 'ical', make: () => dailySeries(97_000) },
  'feed 50 VTIMEZONEs from 1601': {
    kind: 'ical',
    make: () =>
      calendar(
        Array.from({ length: 50 }, (_, i) => [
          ...['BEGIN:VTIMEZONE', `TZID:Zone ${i}`, 'BEGIN:STANDARD', 'DTSTART:16011028T030000', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD'],
          ...['BEGIN:DAYLIGHT', 'DTSTART:16010325T020000', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'END:DAYLIGHT', 'END:VTIMEZONE'],
          ...vevent(`UID:z${i}`, `DTSTART;TZID=Zone ${i}:20260302T090000`, `DTEND;TZID=Zone ${i}:20260303T090000`, `SUMMARY:On Call - P${i} - X`),
        ]).flat(),
      ),
  },
  'feed 51 VTIMEZONEs': {
    kind: 'ical',
    make: () =>
      calendar(
        Array.from({ length: 51 }, (_, i) => [
          ...['BEGIN:VTIMEZONE', `TZID:Zone ${i}`, 'BEGIN:STANDARD', 'DTSTART:16011028T030000', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD', 'END:VTIMEZONE'],
          ...vevent(`UID:z${i}`, `DTSTART;TZID=Zone ${i}:20260302T090000`, `DTEND;TZID=Zone ${i}:20260303T090000`, `SUMMARY:On Call - P${i} - X`),
        ]).flat(),
      ),
  },
  'feed 200,001 overlapping events (20 MiB)': { kind: 'ical', make: () => calendar(Array.from({ length: 200_001 }, (_, i) => vevent(`UID:o${i}`, 'DTSTART:20260302T090000Z', 'DTEND:20260303T090000Z', `SUMMARY:P${i}`)).flat()) },
  'rota 28 days × 24 h × 12 min until 9999': { kind: 'yaml', make: () => rotaYaml(`FREQ=MONTHLY;BYMONTHDAY=${days};BYHOUR=${hours};BYMINUTE=${minutes};UNTIL=99991231T000000Z`) },
  'rota YEARLY never matching': { kind: 'yaml', make: () => rotaYaml('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30') },
  'rota MONTHLY from the typo 1026-01-01': { kind: 'yaml', make: () => rotaYaml('FREQ=MONTHLY;BYMONTHDAY=1,15', '1026-01-01') },
  'rota WEEKLY from 1026-01-01': { kind: 'yaml', make: () => rotaYaml('FREQ=WEEKLY;BYDAY=MO', '1026-01-05') },
  'rota.yaml of 40,000 overrides (3.5 MiB)': { kind: 'yaml', make: () => overridesYaml(40_000) },
  'rota.json of 40,000 overrides': { kind: 'yaml', make: () => overridesJson(40_000) },
};

/** Runs one hostile case in this process and prints its figures as JSON (used by the child processes). */
async function runCase(name: string, file: string): Promise<void> {
  const c = HOSTILE[name]!;
  const text = readFileSync(file, 'utf8');
  const from = Date.parse('2026-01-01T00:00:00Z');
  const to = from + 365 * D;
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  let outcome: string;
  try {
    if (c.kind === 'ical') {
      const { importIcalFeed } = await import('../src/core/rota/ical-import');
      const feed = importIcalFeed(text, from - 30 * D, to);
      const s: Schedule = { id: 'f', name: 'F', timeZone: 'UTC', layers: [], overrides: [], fixedShifts: feed.shifts };
      outcome = `${feed.shifts.length} shifts, ${finalShifts(s, from, to).length} in the final year`;
    } else {
      const { parseRotaFile } = await import('../src/core/rota/rota-file');
      const schedules = parseRotaFile(text, 'rota.yaml');
      outcome = `accepted, ${schedules.reduce((n, s) => n + finalShifts(s, from, to).length, 0)} shifts in the final year`;
    }
  } catch (err) {
    outcome = `refused: ${(err as Error).message.slice(0, 110)}`;
  }
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, peakMiB: process.resourceUsage().maxRSS / 1024, baseMiB: rssBefore / 1048576, bytes: text.length, outcome }));
}

/** Each hostile case in its own process, so its peak memory (max RSS) is its own. */
export function benchHostile(): void {
  console.log('hostile feeds and rota files (import + a year of the final schedule; goal each ≤ 2 s and ≤ 256 MB, or refused within that):');
  const self = fileURLToPath(import.meta.url);
  let worstMs = 0;
  let worstMiB = 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'rota-bench-'));
  for (const name of Object.keys(HOSTILE)) {
    // the input is made here, so the child's peak memory is the import's, not the generator's
    const file = path.join(dir, 'input');
    writeFileSync(file, HOSTILE[name]!.make());
    const r = spawnSync(process.execPath, [...process.execArgv, self, '--rota-case', name, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    try {
      const f = JSON.parse(line) as { ms: number; peakMiB: number; baseMiB: number; bytes: number; outcome: string };
      worstMs = Math.max(worstMs, f.ms);
      worstMiB = Math.max(worstMiB, f.peakMiB);
      console.log(`  ${name.padEnd(44)} ${f.ms.toFixed(0).padStart(6)} ms  peak RSS ${f.peakMiB.toFixed(0).padStart(4)} MiB (process at start ${f.baseMiB.toFixed(0)} MiB, input ${(f.bytes / 1048576).toFixed(1)} MiB)  ${f.outcome}`);
    } catch {
      console.log(`  ${name}: the case failed: ${(r.stderr || line).slice(0, 300)}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(`  worst: ${worstMs.toFixed(0)} ms, peak RSS ${worstMiB.toFixed(0)} MiB (whole Node process, including its own ~50 MiB)`);
}

export async function benchImport(): Promise<void> {
  const { importIcalFeed } = await import('../src/core/rota/ical-import');
  const text = bigFeed(5_000);
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    count = importIcalFeed(text, Date.parse('2025-12-01T00:00:00Z'), Date.parse('2031-01-01T00:00:00Z')).shifts.length;
    times.push(performance.now() - t0);
  }
  console.log(`iCal import, 5,000 events (${(text.length / 1024).toFixed(0)} kB): median ${median(times).toFixed(1)} ms, first ${times[0]!.toFixed(1)} ms, ${count} shifts   (goal ≤ 500 ms)`);
  const big = paddedFeed(70_000, 20 * 1024 * 1024);
  const bigTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    count = importIcalFeed(big, Date.parse('2026-01-01T00:00:00Z') - 30 * D, Date.parse('2026-01-01T00:00:00Z') + 365 * D).shifts.length;
    bigTimes.push(performance.now() - t0);
  }
  console.log(`iCal import, 70,000 events (${(big.length / 1048576).toFixed(1)} MiB): median ${median(bigTimes).toFixed(0)} ms, first ${bigTimes[0]!.toFixed(0)} ms, ${count} shifts in the window   (goal ≤ 2 s)`);
  benchHostile();
}

if (process.argv.includes('--rota-case')) {
  const at = process.argv.indexOf('--rota-case');
  await runCase(process.argv[at + 1]!, process.argv[at + 2]!);
}
