import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { formatShiftTime } from '../../../core/rota/format';
import type { Schedule } from '../../../core/rota/model';
import { db } from '../../db/instance';
import { removeOverride, upcomingOverrides } from '../../db/rota-repo';
import { useAppStore } from '../../store';
import { errorText } from './error-text';

/** Current and future overrides, each removable. */
export function OverridesList({ schedules, zone, now }: { schedules: Schedule[]; zone: string; now: number }) {
  const { t, i18n } = useTranslation();
  const reportError = useAppStore((s) => s.reportError);
  const overrides = useLiveQuery(() => upcomingOverrides(db, now), [now]);
  if (!overrides || overrides.length === 0) return null;
  const names = new Map(schedules.map((s) => [s.id, s.name]));
  const fmt = (ms: number) => formatShiftTime(ms, zone, i18n.language, now);
  return (
    <section className="card" aria-label={t('rota.overrides')}>
      <h2>{t('rota.overrides')}</h2>
      <ul className="source-list">
        {overrides.map((o) => (
          <li key={o.id}>
            <strong>{o.person}</strong> {names.get(o.scheduleId) ?? o.scheduleId}: {fmt(o.start)} – {fmt(o.end)}{' '}
            <button type="button" className="danger" onClick={() => removeOverride(db, o.id).catch((e: Error) => reportError(errorText(e, t)))}>
              {t('rota.remove')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
