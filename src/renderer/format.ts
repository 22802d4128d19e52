/** Local date-time for a timestamp, in the UI language: "21 Nov, 05:27:16". */
export function formatDateTime(ms: number, language: string): string {
  return new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(ms);
}

/** "5 min" / "2 h" style duration between two instants. */
export function formatDuration(fromMs: number, toMs: number, language: string): string {
  const seconds = Math.max(0, Math.round((toMs - fromMs) / 1000));
  const fmt = (value: number, unit: 'second' | 'minute' | 'hour' | 'day') =>
    new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 0 }).format(value);
  if (seconds < 60) return fmt(seconds, 'second');
  if (seconds < 3600) return fmt(Math.floor(seconds / 60), 'minute');
  if (seconds < 86400) return fmt(Math.floor(seconds / 3600), 'hour');
  return fmt(Math.floor(seconds / 86400), 'day');
}

/** Wall-clock time of day, 24-hour in every language, short enough for a narrow status cell: "03:09". */
export function formatClock(ms: number, language: string): string {
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}
