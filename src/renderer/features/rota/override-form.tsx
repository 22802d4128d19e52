import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schedule } from '../../../core/rota/model';
import { fromWall } from '../../../core/rota/time-zone';
import { db } from '../../db/instance';
import { addOverride } from '../../db/rota-repo';
import { errorText } from './error-text';

/** "X covers [from, to)" on any schedule; times are read in my time zone. */
export function OverrideForm({ schedules, zone }: { schedules: Schedule[]; zone: string }) {
  const { t } = useTranslation();
  const [scheduleId, setScheduleId] = useState(schedules[0]?.id ?? '');
  const [person, setPerson] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (schedules.length === 0) return null;
  // datetime-local gives a wall time without zone: read it in my zone, DST gaps included
  const instant = (local: string) => (local ? fromWall(Date.parse(`${local}:00Z`), zone) : Number.NaN);
  const submit = () =>
    addOverride(db, scheduleId || schedules[0]!.id, { id: crypto.randomUUID(), person, start: instant(from), end: instant(to) }).then(
      () => {
        setPerson('');
        setError(null);
      },
      (e: Error) => setError(errorText(e, t)),
    );
  return (
    <form className="card inline-form" aria-label={t('rota.addOverride')} onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}>
      <strong>{t('rota.addOverride')}</strong>
      <select aria-label={t('rota.schedule')} value={scheduleId} onChange={(e) => setScheduleId(e.target.value)}>
        {schedules.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <input aria-label={t('rota.person')} placeholder={t('rota.person')} value={person} onChange={(e) => setPerson(e.target.value)} />
      <input aria-label={t('rota.overrideFrom')} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
      <input aria-label={t('rota.overrideTo')} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
      <button type="submit">{t('rota.add')}</button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
