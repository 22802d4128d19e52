import { finalShifts, layerFirstHandoff } from './engine';
import type { Schedule, Shift } from './model';

const DAY = 86_400_000;
/** How far ahead "next" looks. */
export const LOOKAHEAD_MS = 60 * DAY;

/** Joins back-to-back shifts of the same person (split by a restriction edge or a layer change). */
export function mergeContiguous(shifts: Shift[]): Shift[] {
  const out: Shift[] = [];
  for (const s of [...shifts].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && last.person === s.person && last.schedule === s.schedule && s.start <= last.end) {
      out[out.length - 1] = { ...last, end: Math.max(last.end, s.end), override: last.override || s.override };
    } else out.push(s);
  }
  return out;
}

/**
 * Who is on call now for a schedule (and until when), who else is (overlapping feed shifts put
 * several people on call at once), and who comes next.
 */
export function nowAndNext(schedule: Schedule, now: number): { current: Shift | null; also: Shift[]; next: Shift | null } {
  const shifts = mergeContiguous(finalShifts(schedule, now, now + LOOKAHEAD_MS));
  const covering = shifts.filter((s) => s.start <= now && now < s.end);
  const current = covering[0] ?? null;
  const also = covering.slice(1).filter((s) => s.person !== current?.person);
  const next = (current ? shifts.find((s) => s.start >= current.end && s.person !== current.person) : (shifts[0] ?? null)) ?? null;
  return { current, also, next };
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** My shifts over [from, to), across all schedules, contiguous pieces joined. */
export function myShifts(schedules: Schedule[], me: string, from: number, to: number): Shift[] {
  if (!me.trim()) return [];
  return mergeContiguous(schedules.flatMap((s) => finalShifts(s, from, to)).filter((s) => same(s.person, me)));
}

/** My situation now: on call until when, or off call with the next shift. */
export function myStatus(schedules: Schedule[], me: string, now: number): { current: Shift | null; next: Shift | null } {
  const shifts = myShifts(schedules, me, now, now + LOOKAHEAD_MS);
  const current = shifts.find((s) => s.start <= now && now < s.end) ?? null;
  const next = shifts.find((s) => s.start > now && (!current || s.start >= current.end)) ?? null;
  return { current, next };
}

/** Who takes over in the same schedule when `shift` ends. */
export function successorOf(schedule: Schedule, shift: Shift): string | null {
  const after = mergeContiguous(finalShifts(schedule, shift.end, shift.end + LOOKAHEAD_MS));
  return after.find((s) => s.person !== shift.person)?.person ?? null;
}

/**
 * When a schedule first has anyone on call: its earliest layer handoff, feed shift or override;
 * null for a schedule with nobody at all. A schedule that has not begun is "starts …", not "nobody".
 */
export function scheduleBegins(schedule: Schedule): number | null {
  let first = Number.POSITIVE_INFINITY;
  for (const layer of schedule.layers) first = Math.min(first, layerFirstHandoff(layer, schedule.timeZone) ?? Number.POSITIVE_INFINITY);
  for (const s of schedule.fixedShifts) first = Math.min(first, s.start);
  for (const o of schedule.overrides) first = Math.min(first, o.start);
  return Number.isFinite(first) ? first : null;
}
