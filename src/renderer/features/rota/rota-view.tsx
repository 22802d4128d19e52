import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fromWall, toWall } from '../../../core/rota/time-zone';
import { db } from '../../db/instance';
import { setPref } from '../../db/rota-repo';
import { useAppStore } from '../../store';
import { errorText } from './error-text';
import { MyShifts } from './my-shifts';
import { OverrideForm } from './override-form';
import { OverridesList } from './overrides-list';
import { ScheduleForm } from './schedule-form';
import { SourcesPanel } from './sources-panel';
import { Timeline } from './timeline';
import { useNow, usePrefs, useRota } from './use-rota';
import './rota.css';

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

/** "March 2026" for a month; "16 – 22 Mar 2026" for a week (the year and month always shown). */
export function periodLabel(from: number, days: number, zone: string, language: string): string {
  if (days > 7) return new Intl.DateTimeFormat(language, { timeZone: zone, month: 'long', year: 'numeric' }).format(from + DAY / 2);
  return new Intl.DateTimeFormat(language, { timeZone: zone, day: 'numeric', month: 'short', year: 'numeric' }).formatRange(from + DAY / 2, from + (days - 1) * DAY + DAY / 2);
}

const TABS = ['schedule', 'overrides', 'sources', 'new'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Record<Tab, string> = { schedule: 'rota.tabSchedule', overrides: 'rota.overrides', sources: 'rota.sources', new: 'rota.newSchedule' };

/**
 * The Rota view: the final schedule as a week or month with my next shifts; overrides, sources and
 * a new schedule each on their own tab, so the schedule fits a 1024×640 window.
 */
export function RotaView() {
  const { t, i18n } = useTranslation();
  const now = useNow(60_000);
  const schedules = useRota();
  const prefs = usePrefs();
  const [tab, setTab] = useState<Tab>('schedule');
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
      <header className="view-header rota-header">
        <h1>{t('rota.rotaTitle')}</h1>
        <div className="rota-tabs" role="tablist" aria-label={t('rota.rotaTitle')}>
          {TABS.map((id) => (
            <button key={id} type="button" role="tab" id={`rota-tab-${id}`} aria-selected={tab === id} aria-controls={`rota-panel-${id}`} onClick={() => setTab(id)}>
              {t(TAB_LABEL[id])}
            </button>
          ))}
        </div>
      </header>
      {tab === 'schedule' && (
        <section role="tabpanel" id="rota-panel-schedule" aria-labelledby="rota-tab-schedule">
          <div className="rota-toolbar">
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
            <h2 className="rota-period" data-testid="rota-period">
              {periodLabel(from, days, zone, i18n.language)}
            </h2>
            <span className="muted">{zone}</span>
          </div>
          {schedules.length === 0 ? <p className="empty">{t('rota.noSchedules')}</p> : <Timeline schedules={schedules} from={from} days={days} zone={zone} now={now} />}
          <MyShifts schedules={schedules} me={prefs.me} zone={zone} now={now} leadMinutes={prefs.reminderLeadMinutes} />
        </section>
      )}
      {tab === 'overrides' && (
        <section role="tabpanel" id="rota-panel-overrides" aria-labelledby="rota-tab-overrides" className="rota-columns">
          <OverrideForm schedules={schedules} zone={zone} />
          <OverridesList schedules={schedules} zone={zone} now={now} />
        </section>
      )}
      {tab === 'sources' && (
        <section role="tabpanel" id="rota-panel-sources" aria-labelledby="rota-tab-sources">
          <SourcesPanel zone={zone} now={now} />
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
                if (Number.isInteger(n) && n >= 0 && n <= 1440) setPref(db, 'reminderLeadMinutes', String(n)).catch((err: Error) => reportError(errorText(err, t)));
              }}
            />
          </section>
        </section>
      )}
      {tab === 'new' && (
        <section role="tabpanel" id="rota-panel-new" aria-labelledby="rota-tab-new">
          <ScheduleForm zone={zone} />
        </section>
      )}
    </main>
  );
}
