import { useTranslation } from 'react-i18next';
import { finalShifts } from '../../../core/rota/engine';
import type { Schedule } from '../../../core/rota/model';
import { mergeContiguous } from '../../../core/rota/status';
import { exportIcal } from '../../../core/rota/export';
import { formatShiftTime } from '../../../core/rota/format';
import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../../db/instance';
import { appScheduleIds, removeAppSchedule } from '../../db/rota-repo';
import { useAppStore } from '../../store';
import { download } from './my-shifts';
import { personHue } from './person-color';

const DAY = 86_400_000;

/** Week or month as lanes: one per schedule, a block per shift, overrides hatched and labelled. */
export function Timeline({ schedules, from, days, zone, now }: { schedules: Schedule[]; from: number; days: number; zone: string; now: number }) {
  const { t, i18n } = useTranslation();
  const reportError = useAppStore((st) => st.reportError);
  const editable = useLiveQuery(() => appScheduleIds(db), []) ?? [];
  const to = from + days * DAY;
  const pct = (ms: number) => `${(((Math.min(Math.max(ms, from), to) - from) / (to - from)) * 100).toFixed(3)}%`;
  const dayLabels = Array.from({ length: days }, (_, i) =>
    // a month has room for the day number only; a week for "Mon 16"
    new Intl.DateTimeFormat(i18n.language, days <= 7 ? { timeZone: zone, weekday: 'short', day: 'numeric' } : { timeZone: zone, day: 'numeric' }).format(from + i * DAY + DAY / 2),
  );
  return (
    <div className="timeline-grid" role="table" aria-label={t('rota.rotaTitle')}>
      <div className="lane-row header" role="row">
        <div className="lane-name" role="columnheader" />
        <div className="lane-track days" role="columnheader">
          {dayLabels.map((label, i) => (
            <span key={i} style={{ left: pct(from + i * DAY), width: `${100 / days}%` }}>
              {label}
            </span>
          ))}
        </div>
      </div>
      {schedules.map((s) => {
        const shifts = mergeContiguous(finalShifts(s, from, to));
        return (
          <div className="lane-row" role="row" key={s.id} data-schedule={s.id}>
            <div className="lane-name" role="rowheader">
              <span title={s.name}>{s.name}</span>
              <button
                type="button"
                className="mini"
                aria-label={t('rota.exportScheduleIcal', { name: s.name })}
                title={t('rota.exportScheduleIcal', { name: s.name })}
                onClick={() => download(`${s.id}.ics`, 'text/calendar', exportIcal(mergeContiguous(finalShifts(s, now, now + 90 * DAY)), { calendarName: s.name, alarmMinutes: 15, now }))}
              >
                .ics
              </button>
              {editable.includes(s.id) && (
                <button
                  type="button"
                  className="mini danger"
                  aria-label={t('rota.deleteSchedule', { name: s.name })}
                  onClick={() => window.confirm(t('rota.deleteSchedule', { name: s.name })) && removeAppSchedule(db, s.id).catch((e: Error) => reportError(e.message))}
                >
                  ×
                </button>
              )}
            </div>
            <div className="lane-track" role="cell">
              {now >= from && now < to && <span className="now-line" style={{ left: pct(now) }} />}
              {shifts.map((shift) => (
                <span
                  key={`${shift.start}-${shift.person}`}
                  className={`shift${shift.override ? ' override' : ''}`}
                  data-person={shift.person}
                  style={{ left: pct(shift.start), width: `calc(${pct(shift.end)} - ${pct(shift.start)})`, ['--hue' as string]: personHue(shift.person) }}
                  title={`${shift.person}: ${formatShiftTime(shift.start, zone, i18n.language, now)} – ${formatShiftTime(shift.end, zone, i18n.language, now)}${shift.override ? ` (${t('rota.override')})` : ''}`}
                >
                  {shift.person}
                  {shift.override ? ` · ${t('rota.override')}` : ''}
                </span>
              ))}
            </div>
          </div>
        );
      })}
    </div>
  );
}
