import { fromWall, parseClock, toWall, wallStartOfDay } from '../rota/time-zone';
import type { QuietHours } from './policy';

const DAY = 86_400_000;

/** What the alarm logic needs from the rota: am I on call, and when does that change. */
export interface RotaView {
  onCall: boolean;
  /** The end of my shift, or the start of my next one; null when nothing is coming. */
  changesAt: number | null;
}

/** The rota view from `myStatus` (src/core/rota/status.ts). */
export function rotaViewFromStatus(status: { current: { start: number; end: number } | null; next: { start: number } | null }): RotaView {
  if (status.current) return { onCall: true, changesAt: status.current.end };
  return { onCall: false, changesAt: status.next?.start ?? null };
}

/** The wall-clock minute of the day at `now` in `zone`. */
function minuteOfDay(now: number, zone: string): number {
  const wall = toWall(now, zone);
  return Math.floor((wall - wallStartOfDay(wall)) / 60_000);
}

/** Whether a daily window [start, end) holds `now`; end ≤ start crosses midnight, equal means all day. */
function inWindow(now: number, start: number, end: number, zone: string): boolean {
  const m = minuteOfDay(now, zone);
  if (start === end) return true;
  return start < end ? m >= start && m < end : m >= start || m < end;
}

/** The next instant after `now` when the wall clock in `zone` shows `minute` (DST-safe via fromWall). */
function nextAtMinute(now: number, minute: number, zone: string): number {
  const today = wallStartOfDay(toWall(now, zone));
  for (let d = 0; d <= 2; d++) {
    const at = fromWall(today + d * DAY + minute * 60_000, zone);
    if (at > now) return at;
  }
  return now + DAY;
}

/**
 * Whether quiet hours hold at `now`, and when that next changes. With `mode: 'rota'` quiet means
 * off call; without a rota (not set up, or my name unknown) it is never quiet, because a pager that
 * stays silent by mistake is worse than one that is loud by mistake.
 */
export function quietHoursAt(quiet: QuietHours, rota: RotaView | null, now: number, zone: string): { quiet: boolean; changesAt: number | null } {
  if (quiet.mode === 'off') return { quiet: false, changesAt: null };
  if (quiet.mode === 'rota') {
    if (!rota) return { quiet: false, changesAt: null };
    return { quiet: !rota.onCall, changesAt: rota.changesAt };
  }
  const start = parseClock(quiet.start) ?? 0;
  const end = parseClock(quiet.end) ?? 0;
  if (start === end) return { quiet: true, changesAt: null };
  const quietNow = inWindow(now, start, end, zone);
  return { quiet: quietNow, changesAt: nextAtMinute(now, quietNow ? end : start, zone) };
}
