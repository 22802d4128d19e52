import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { finalShifts } from '../../../core/rota/engine';
import { exportIcal } from '../../../core/rota/export';
import { formatShiftTime } from '../../../core/rota/format';
import type { Schedule, Shift } from '../../../core/rota/model';
import { mergeContiguous, scheduleBegins } from '../../../core/rota/status';
import { db } from '../../db/instance';
import { appScheduleIds, removeAppSchedule } from '../../db/rota-repo';
import { useAppStore } from '../../store';
import { errorText } from './error-text';
import { download } from './my-shifts';
import { personHue } from './person-color';
import { layoutLane } from './timeline-layout';

const DAY = 86_400_000;
/** Height of one row of shifts in a lane, px. */
const ROW_PX = 26;

/** The track's width in px, followed as the window resizes (a fair guess where there is no layout, as in tests). */
function useTrackWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(760);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => el.clientWidth > 0 && setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

/** What an empty lane means: a schedule that only starts later says when, rather than looking broken. */
function LaneNote({ schedule, to, zone, now }: { schedule: Schedule; to: number; zone: string; now: number }) {
  const { t, i18n } = useTranslation();
  const begins = scheduleBegins(schedule);
  if (begins === null || begins < to) return null;
  return (
    <span className="lane-note" data-testid="lane-starts">
      {t('rota.startsAt', { time: formatShiftTime(begins, zone, i18n.language, now) })}
    </span>
  );
}

/** Everyone in view with their colour, so a block too short for a name is still readable. */
export function Legend({ people }: { people: string[] }) {
  const { t } = useTranslation();
  if (people.length === 0) return null;
  return (
    <ul className="rota-legend" aria-label={t('rota.legend')}>
      {people.map((p) => (
        <li key={p} data-person={p}>
          <span className="swatch" style={{ ['--hue' as string]: personHue(p) }} />
          {p}
        </li>
      ))}
    </ul>
  );
}

/** Week or month as lanes: one per schedule, a block per shift, overrides hatched and labelled, a legend below. */
export function Timeline({ schedules, from, days, zone, now }: { schedules: Schedule[]; from: number; days: number; zone: string; now: number }) {
  const { t, i18n } = useTranslation();
  const reportError = useAppStore((st) => st.reportError);
  const editable = useLiveQuery(() => appScheduleIds(db), []) ?? [];
  const [trackRef, trackPx] = useTrackWidth();
  const to = from + days * DAY;
  const pct = (ms: number) => `${(((Math.min(Math.max(ms, from), to) - from) / (to - from)) * 100).toFixed(3)}%`;
  const week = days <= 7;
  const dayFormat = new Intl.DateTimeFormat(i18n.language, week ? { timeZone: zone, weekday: 'short', day: 'numeric' } : { timeZone: zone, day: 'numeric' });
  const weekdayFormat = new Intl.DateTimeFormat(i18n.language, { timeZone: zone, weekday: 'narrow' });
  const suffix = (s: Shift) => (s.override ? ` · ${t('rota.override')}` : '');
  const lanes = schedules.map((s) => ({ schedule: s, ...layoutLane(mergeContiguous(finalShifts(s, from, to)), from, to, trackPx, suffix) }));
  const people = [...new Set(lanes.flatMap((l) => l.placed.map((p) => p.shift.person)))].sort((a, b) => a.localeCompare(b));
  return (
    <>
      <div className="timeline-grid" role="table" aria-label={t('rota.rotaTitle')}>
        <div className="lane-row header" role="row">
          <div className="lane-name" role="columnheader" />
          <div className="lane-track days" role="columnheader" ref={trackRef}>
            {Array.from({ length: days }, (_, i) => {
              const mid = from + i * DAY + DAY / 2;
              return (
                <span key={i} style={{ left: pct(from + i * DAY), width: `${100 / days}%` }}>
                  {week ? dayFormat.format(mid) : <>{weekdayFormat.format(mid)}<br />{dayFormat.format(mid)}</>}
                </span>
              );
            })}
          </div>
        </div>
        {lanes.map(({ schedule: s, placed, rows }) => (
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
                  onClick={() => window.confirm(t('rota.deleteSchedule', { name: s.name })) && removeAppSchedule(db, s.id).catch((e: Error) => reportError(errorText(e, t)))}
                >
                  ×
                </button>
              )}
            </div>
            <div className="lane-track" role="cell" style={{ height: rows * ROW_PX + 10 }}>
              {now >= from && now < to && <span className="now-line" style={{ left: pct(now) }} />}
              {placed.length === 0 && <LaneNote schedule={s} to={to} zone={zone} now={now} />}
              {placed.map(({ shift, row, label }) => (
                <span
                  key={`${shift.start}-${shift.person}`}
                  className={`shift${shift.override ? ' override' : ''}`}
                  data-person={shift.person}
                  aria-label={`${shift.person}${suffix(shift)}`}
                  style={{ left: pct(shift.start), width: `calc(${pct(shift.end)} - ${pct(shift.start)})`, top: 5 + row * ROW_PX, height: ROW_PX - 4, ['--hue' as string]: personHue(shift.person) }}
                  title={`${shift.person}: ${formatShiftTime(shift.start, zone, i18n.language, now)} – ${formatShiftTime(shift.end, zone, i18n.language, now)}${shift.override ? ` (${t('rota.override')})` : ''}`}
                >
                  {label}
                </span>
              ))}
            </div>
          </div>
        ))}
      </div>
      <Legend people={people} />
    </>
  );
}
