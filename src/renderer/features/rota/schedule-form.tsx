import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WEEKDAYS, type Weekday } from '../../../core/rota/model';
import { db } from '../../db/instance';
import { saveAppSchedule } from '../../db/rota-repo';
import { errorText } from './error-text';

const PRESETS = { daily: 'FREQ=DAILY', weekly: 'FREQ=WEEKLY', biweekly: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO' } as const;
type Preset = keyof typeof PRESETS | 'custom';

/** A new schedule edited in the app: one rotation layer, optionally limited to some hours. */
export function ScheduleForm({ zone }: { zone: string }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [timeZone, setTimeZone] = useState(zone);
  const [participants, setParticipants] = useState('');
  const [preset, setPreset] = useState<Preset>('weekly');
  const [custom, setCustom] = useState('FREQ=WEEKLY;BYDAY=MO');
  const [start, setStart] = useState(new Date().toISOString().slice(0, 10));
  const [handoff, setHandoff] = useState('09:00');
  const [restricted, setRestricted] = useState(false);
  const [days, setDays] = useState<Weekday[]>(['MO', 'TU', 'WE', 'TH', 'FR']);
  const [from, setFrom] = useState('09:00');
  const [to, setTo] = useState('17:00');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = () => {
    // a name of only symbols still gets an id
    const slug = name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    const id = `app-${slug || 'schedule'}`;
    saveAppSchedule(db, {
      id,
      name: name.trim(),
      timeZone,
      layers: [
        {
          id: 'layer-1',
          participants: participants.split(',').map((p) => p.trim()).filter(Boolean),
          rotation: preset === 'custom' ? custom : PRESETS[preset],
          start,
          handoff,
          restrictions: restricted ? [{ days, start: from, end: to }] : [],
        },
      ],
    }).then(
      () => setMessage({ ok: true, text: t('rota.saved') }),
      (e: Error) => setMessage({ ok: false, text: errorText(e, t) }),
    );
  };

  return (
    <form className="card form-grid" aria-label={t('rota.newSchedule')} onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}>
      <h2>{t('rota.newSchedule')}</h2>
      <label>
        {t('rota.scheduleName')} <input value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label>
        {t('rota.timeZone')} <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
      </label>
      <label className="span column">
        {t('rota.participants')} <input value={participants} onChange={(e) => setParticipants(e.target.value)} placeholder="alice, bob, carol" />
      </label>
      <label>
        {t('rota.rotation')}{' '}
        <select value={preset} onChange={(e) => setPreset(e.target.value as Preset)}>
          <option value="daily">{t('rota.rotationDaily')}</option>
          <option value="weekly">{t('rota.rotationWeekly')}</option>
          <option value="biweekly">{t('rota.rotationBiweekly')}</option>
          <option value="custom">{t('rota.rotationCustom')}</option>
        </select>
      </label>
      {preset === 'custom' && (
        <label>
          {t('rota.customRule')} <input value={custom} onChange={(e) => setCustom(e.target.value)} />
        </label>
      )}
      <label>
        {t('rota.startDate')} <input type="date" value={start} onChange={(e) => setStart(e.target.value)} />
      </label>
      <label>
        {t('rota.handoff')} <input type="time" value={handoff} onChange={(e) => setHandoff(e.target.value)} />
      </label>
      <label className="span">
        <input type="checkbox" checked={restricted} onChange={(e) => setRestricted(e.target.checked)} /> {t('rota.restrict')}
      </label>
      {restricted && (
        <fieldset className="span">
          <legend>{t('rota.restrictDays')}</legend>
          {WEEKDAYS.map((d) => (
            <label key={d} className="day">
              <input type="checkbox" checked={days.includes(d)} onChange={(e) => setDays(e.target.checked ? [...days, d] : days.filter((x) => x !== d))} />
              {t(`rota.weekdays.${d}`)}
            </label>
          ))}
          <label>
            {t('rota.restrictFrom')} <input type="time" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            {t('rota.restrictTo')} <input type="time" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
        </fieldset>
      )}
      <div className="span">
        <button type="submit" className="primary">
          {t('rota.save')}
        </button>{' '}
        {message && (
          <span className={message.ok ? 'ok-text' : 'field-error'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </span>
        )}
      </div>
    </form>
  );
}
