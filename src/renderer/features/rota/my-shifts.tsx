import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { exportIcal, exportShiftsCsv } from '../../../core/rota/export';
import type { Schedule } from '../../../core/rota/model';
import { myShifts } from '../../../core/rota/status';
import { formatShiftTime } from '../../../core/rota/format';

const DAY = 86_400_000;
/** Shifts listed before "show all": the list must not push the rest of the view off a 640 px window. */
export const MY_SHIFTS_SHOWN = 4;

/** Saves text as a file through the browser's download (Electron shows its save dialog). */
export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** My shifts for the next 90 days (the next few, the rest on request), with total hours and iCal/CSV export. */
export function MyShifts({ schedules, me, zone, now, leadMinutes }: { schedules: Schedule[]; me: string; zone: string; now: number; leadMinutes: number }) {
  const { t, i18n } = useTranslation();
  const [all, setAll] = useState(false);
  if (!me) return null;
  const shifts = myShifts(schedules, me, now, now + 90 * DAY);
  const hours = shifts.reduce((sum, s) => sum + (s.end - s.start) / 3_600_000, 0);
  const names = new Map(schedules.map((s) => [s.id, s.name]));
  const fmt = (ms: number) => formatShiftTime(ms, zone, i18n.language, now);
  return (
    <section className="card my-shifts" aria-label={t('rota.myShifts')}>
      <h2>
        {t('rota.myShifts')} <span className="muted">{t('rota.totalHours', { hours: hours.toFixed(1) })}</span>
      </h2>
      {shifts.length === 0 ? (
        <p className="muted">{t('rota.noMyShifts')}</p>
      ) : (
        <ul>
          {(all ? shifts : shifts.slice(0, MY_SHIFTS_SHOWN)).map((s) => (
            <li key={`${s.schedule}-${s.start}`}>
              <strong>{names.get(s.schedule) ?? s.schedule}</strong> {fmt(s.start)} – {fmt(s.end)} <span className="muted">{t('rota.hours', { hours: ((s.end - s.start) / 3_600_000).toFixed(1) })}</span>
              {s.override && <span className="badge override">{t('rota.override')}</span>}
            </li>
          ))}
        </ul>
      )}
      {shifts.length > MY_SHIFTS_SHOWN && (
        <button type="button" className="link" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('rota.showFewer') : t('rota.showAll', { count: shifts.length })}
        </button>
      )}{' '}
      <button type="button" onClick={() => download('my-shifts.ics', 'text/calendar', exportIcal(shifts, { calendarName: `${me} – on call`, alarmMinutes: leadMinutes, now }))}>
        {t('rota.exportIcal')}
      </button>{' '}
      <button type="button" onClick={() => download('my-shifts.csv', 'text/csv', exportShiftsCsv(shifts, zone))}>
        {t('rota.exportCsv')}
      </button>
    </section>
  );
}
