import { useTranslation } from 'react-i18next';
import type { Schedule } from '../../../core/rota/model';
import { nowAndNext, scheduleBegins } from '../../../core/rota/status';
import { formatShiftTime } from '../../../core/rota/format';

/** One schedule on the Now view: who is on call until when, and who is next from when. */
export function ScheduleCard({ schedule, now, zone }: { schedule: Schedule; now: number; zone: string }) {
  const { t, i18n } = useTranslation();
  const { current, also, next } = nowAndNext(schedule, now);
  const begins = scheduleBegins(schedule);
  // a schedule made today has nobody until its first handoff: that is "starts …", not an alarm
  const notBegun = !current && begins !== null && begins > now;
  const fmt = (ms: number) => formatShiftTime(ms, zone, i18n.language, now);
  return (
    <section className="card schedule-card" aria-label={schedule.name} data-schedule={schedule.id}>
      <h2>{schedule.name}</h2>
      {current ? (
        <p className="on-call">
          <strong className="person" data-testid="current-person">{current.person}</strong>
          {current.override && <span className="badge override">{t('rota.override')}</span>}
          <span className="when" data-testid="current-until">{Number.isFinite(current.end) ? t('rota.until', { time: fmt(current.end) }) : ''}</span>
        </p>
      ) : null}
      {current && also.length > 0 ? (
        <p className="also" data-testid="also-on-call">
          {also.map((s) => t('rota.alsoOnCall', { person: s.person, time: fmt(s.end) })).join(' · ')}
        </p>
      ) : null}
      {current ? null : notBegun && next ? (
        <p className="on-call not-begun" data-testid="starts">
          {t('rota.startsAt', { time: fmt(next.start) })}
        </p>
      ) : (
        <p className="on-call nobody">{t('rota.nobody')}</p>
      )}
      {next && (
        <p className="next">
          <span className="label">{t('rota.nextUp')}</span> <strong data-testid="next-person">{next.person}</strong>{' '}
          <span className="when" data-testid="next-from">{t('rota.from', { time: fmt(next.start) })}</span>
        </p>
      )}
    </section>
  );
}
