import { useTranslation } from 'react-i18next';
import { fromWall, toWall } from '../../../core/rota/time-zone';
import { db } from '../../db/instance';
import { setPref } from '../../db/rota-repo';
import { useAppStore } from '../../store';
import { MyShifts } from './my-shifts';
import { OverrideForm } from './override-form';
import { OverridesList } from './overrides-list';
import { ScheduleForm } from './schedule-form';
import { SourcesPanel } from './sources-panel';
import { Timeline } from './timeline';
import { useNow, usePrefs, useRota } from './use-rota';

const DAY = 86_400_000;

/** The visible window: the week (from Monday) or month around `anchor`, in my zone. */
export function rotaWindow(anchor: number, range: 'week' | 'month', zone: string): { from: number; days: number } {
  const wall = toWall(anchor, zone);
  const d = new Date(wall);
  if (range === 'week') {
    const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    return { from: fromWall(monday, zone), days: 7 };
  }
  const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const days = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  return { from: fromWall(first, zone), days };
}

/** The Rota view: the final schedule as a week or month, my shifts, sources and editing. */
export function RotaView() {
  const { t } = useTranslation();
  const now = useNow(60_000);
  const schedules = useRota();
  const prefs = usePrefs();
  const range = useAppStore((s) => s.rotaRange);
  const anchor = useAppStore((s) => s.rotaAnchor) ?? now;
  const setRange = useAppStore((s) => s.setRotaRange);
  const setAnchor = useAppStore((s) => s.setRotaAnchor);
  const reportError = useAppStore((s) => s.reportError);
  if (!schedules || !prefs) return <main className="view rota-view" />;
  const zone = prefs.timeZone;
  const { from, days } = rotaWindow(anchor, range, zone);
  const step = (dir: number) => setAnchor(range === 'week' ? anchor + dir * 7 * DAY : from + dir * (dir > 0 ? days + 1 : 1) * DAY);

  return (
    <main className="view rota-view">
      <header className="view-header">
        <h1>{t('rota.rotaTitle')}</h1>
        <div className="segmented" role="group">
          <button type="button" aria-pressed={range === 'week'} onClick={() => setRange('week')}>
            {t('rota.week')}
          </button>
          <button type="button" aria-pressed={range === 'month'} onClick={() => setRange('month')}>
            {t('rota.month')}
          </button>
        </div>
        <button type="button" onClick={() => step(-1)} aria-label={t('rota.previous')}>
          ◀
        </button>
        <button type="button" onClick={() => setAnchor(null)}>
          {t('rota.today')}
        </button>
        <button type="button" onClick={() => step(1)} aria-label={t('rota.next')}>
          ▶
        </button>
        <span className="muted">{zone}</span>
      </header>
      {schedules.length === 0 ? <p className="empty">{t('rota.noSchedules')}</p> : <Timeline schedules={schedules} from={from} days={days} zone={zone} now={now} />}
      <MyShifts schedules={schedules} me={prefs.me} zone={zone} now={now} leadMinutes={prefs.reminderLeadMinutes} />
      <SourcesPanel zone={zone} now={now} />
      <OverrideForm schedules={schedules} zone={zone} />
      <OverridesList schedules={schedules} zone={zone} now={now} />
      <ScheduleForm zone={zone} />
      <section className="card inline-form">
        <label htmlFor="lead">{t('rota.reminderLead')}</label>
        <input
          id="lead"
          type="number"
          min={0}
          max={1440}
          defaultValue={prefs.reminderLeadMinutes}
          onBlur={(e) => {
            const n = Number(e.target.value);
            if (Number.isInteger(n) && n >= 0 && n <= 1440) setPref(db, 'reminderLeadMinutes', String(n)).catch((err: Error) => reportError(err.message));
          }}
        />
      </section>
    </main>
  );
}
