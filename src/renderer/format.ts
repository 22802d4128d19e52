// Intl formatters are costly to build (a list re-renders dozens of ages per frame): one per language and kind.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(name: string, make: () => F): F {
  // a formatter keeps the time zone it was made in: a laptop that travelled gets new ones (the offset is cheap to read)
  const key = `${name}@${new Date().getTimezoneOffset()}`;
  let f = formatters.get(key) as F | undefined;
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

/** Local date-time for a timestamp, in the UI language: "21 Nov, 05:27:16". */
export function formatDateTime(ms: number, language: string): string {
  return cached(`dt:${language}`, () => new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })).format(ms);
}

/** "5 min" / "2 h" style duration between two instants. */
export function formatDuration(fromMs: number, toMs: number, language: string): string {
  const seconds = Math.max(0, Math.round((toMs - fromMs) / 1000));
  const fmt = (value: number, unit: 'second' | 'minute' | 'hour' | 'day') =>
    cached(`d:${unit}:${language}`, () => new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 0 })).format(value);
  if (seconds < 60) return fmt(seconds, 'second');
  if (seconds < 3600) return fmt(Math.floor(seconds / 60), 'minute');
  if (seconds < 86400) return fmt(Math.floor(seconds / 3600), 'hour');
  return fmt(Math.floor(seconds / 86400), 'day');
}

/** Wall-clock time of day, 24-hour in every language, short enough for a narrow status cell: "03:09". */
export function formatClock(ms: number, language: string): string {
  return cached(`c:${language}`, () => new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })).format(ms);
}
