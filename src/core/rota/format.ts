/**
 * "Fri 09:00", or "Fri, Jan 3, 09:00" when more than six days away (a weekday alone would be
 * ambiguous), in the given zone and 24-hour time; shared by the tray, reminders and the views.
 */
export function formatShiftTime(ms: number, zone: string, language: string, now: number): string {
  const far = Math.abs(ms - now) > 6 * 86_400_000;
  return new Intl.DateTimeFormat(language, {
    timeZone: zone,
    weekday: 'short',
    ...(far ? { day: 'numeric', month: 'short' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
}

/** "2 d 3 h", "3 h 05 min", "12 min". */
export function formatCountdown(ms: number): string {
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${m} min`;
}
