import { useTranslation } from 'react-i18next';
import { myStatus } from '../../../core/rota/status';
import { formatCountdown, formatShiftTime } from '../../../core/rota/format';
import { MeForm } from './me-form';
import { ScheduleCard } from './schedule-card';
import { useNow, usePrefs, useRota } from './use-rota';

/** The Now view: who is on call for each schedule, who is next, and where I stand. */
export function NowView() {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const schedules = useRota();
  const prefs = usePrefs();
  if (!schedules || !prefs) return <main className="view now-view" />;
  const zone = prefs.timeZone;
  const fmt = (ms: number) => formatShiftTime(ms, zone, i18n.language, now);
  const mine = prefs.me ? myStatus(schedules, prefs.me, now) : null;

  return (
    <main className="view now-view">
      <header className="view-header">
        <h1>{t('rota.nowTitle')}</h1>
        <span className="muted">{zone}</span>
      </header>
      <section className="card my-status" aria-label={t('rota.me')}>
        <MeForm key={prefs.me} me={prefs.me} />
        {!mine ? (
          <p className="muted">{t('rota.meMissing')}</p>
        ) : mine.current ? (
          <p className="status-line on" data-testid="my-status">{t('rota.myStatusOn', { time: fmt(mine.current.end) })}</p>
        ) : (
          <p className="status-line" data-testid="my-status">
            {t('rota.myStatusOff')}
            {' — '}
            {mine.next ? (
              <>
                {t('rota.myNext', { time: fmt(mine.next.start) })}, <strong data-testid="my-countdown">{t('rota.myNextIn', { countdown: formatCountdown(mine.next.start - now) })}</strong>
              </>
            ) : (
              t('rota.myNone')
            )}
          </p>
        )}
      </section>
      {schedules.length === 0 ? (
        <p className="empty">{t('rota.noSchedules')}</p>
      ) : (
        <div className="schedule-grid">
          {schedules.map((s) => (
            <ScheduleCard key={s.id} schedule={s} now={now} zone={zone} />
          ))}
        </div>
      )}
    </main>
  );
}
