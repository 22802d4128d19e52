import { performance } from 'node:perf_hooks';
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
}
