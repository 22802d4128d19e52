import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { alarmPolicySchema, SOUND_MODES, type AlarmPolicy, type SeverityPolicy, type SoundMode } from '../../../core/alarms/policy';
import { stepLabel } from '../../../core/alarms/escalation';
import type { AppErrorData } from '../../../core/errors';
import { SEVERITIES, type Severity } from '../../../core/severity';

/** Props only: the parent sends the saved policy to main and passes main's complaints back. */
export interface PolicyFormProps {
  value: AlarmPolicy;
  onSave: (policy: AlarmPolicy) => void;
  /** Problems main found while using the policy (a sound file that fails, an escalation that failed). */
  problems?: AppErrorData[];
}

type Draft = Record<Severity, Record<keyof SeverityPolicy, string | boolean>> & { quiet: { mode: string; start: string; end: string } };

function toDraft(p: AlarmPolicy): Draft {
  const sev = (s: SeverityPolicy) => ({ ...s, repeatMinutes: String(s.repeatMinutes), responseTargetMinutes: s.responseTargetMinutes === null ? '' : String(s.responseTargetMinutes) });
  return { P1: sev(p.severities.P1), P2: sev(p.severities.P2), P3: sev(p.severities.P3), P4: sev(p.severities.P4), quiet: { ...p.quietHours } };
}

/** Numbers stay numbers only if they are numbers: "abc" must reach the schema as text and be refused there. */
const num = (v: string | boolean) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);

function fromDraft(d: Draft, base: AlarmPolicy): unknown {
  const sev = (s: Draft[Severity]) => ({ ...s, repeatMinutes: num(s.repeatMinutes), responseTargetMinutes: s.responseTargetMinutes === '' ? null : num(s.responseTargetMinutes) });
  return { ...base, severities: { P1: sev(d.P1), P2: sev(d.P2), P3: sev(d.P3), P4: sev(d.P4) }, quietHours: d.quiet };
}

const FLAGS = ['alertWindow', 'breakThrough'] as const;

/**
 * The notification policy in Settings: per severity what it does, quiet hours, and the escalation
 * levels. Save checks it with the same schema as config.json, and a refusal names the field.
 */
export function PolicyForm({ value, onSave, problems = [] }: PolicyFormProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(() => toDraft(value));
  const [error, setError] = useState<string | null>(null);
  const setSev = (s: Severity, key: keyof SeverityPolicy, v: string | boolean) => setDraft((d) => ({ ...d, [s]: { ...d[s], [key]: v } }));
  const setQuiet = (key: 'mode' | 'start' | 'end', v: string) => setDraft((d) => ({ ...d, quiet: { ...d.quiet, [key]: v } }));
  const save = () => {
    const parsed = alarmPolicySchema.safeParse(fromDraft(draft, value));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      setError(t('alarms.errors.badPolicy', { path: issue.path.join('.'), message: issue.message }));
      return;
    }
    setError(null);
    onSave(parsed.data);
  };

  return (
    <section className="card alarm-policy" aria-label={t('alarms.policy.title')}>
      <h2>{t('alarms.policy.title')}</h2>
      {problems.map((p, i) => (
        <p key={i} className="banner error" role="alert">
          {t(p.code.startsWith('alarms.') ? `alarms.errors.${p.code.slice(7)}` : `errors.${p.code}`, p.params as Record<string, unknown>)}
        </p>
      ))}
      <table>
        <thead>
          <tr>
            <th>{t('alarms.policy.severity')}</th>
            <th>{t('alarms.policy.notify')}</th>
            <th>{t('alarms.policy.sound')}</th>
            <th>{t('alarms.policy.soundFile')}</th>
            <th>{t('alarms.policy.repeatMinutes')}</th>
            <th>{t('alarms.policy.alertWindow')}</th>
            <th>{t('alarms.policy.breakThrough')}</th>
            <th>{t('alarms.policy.responseTarget')}</th>
          </tr>
        </thead>
        <tbody>
          {SEVERITIES.map((s) => (
            <tr key={s}>
              <th scope="row">{s}</th>
              <td>
                <input type="checkbox" aria-label={`${s} ${t('alarms.policy.notify')}`} checked={draft[s].notify === true} onChange={(e) => setSev(s, 'notify', e.target.checked)} />
              </td>
              <td>
                <select aria-label={`${s} ${t('alarms.policy.sound')}`} value={String(draft[s].sound)} onChange={(e) => setSev(s, 'sound', e.target.value as SoundMode)}>
                  {SOUND_MODES.map((m) => (
                    <option key={m} value={m}>
                      {t(`alarms.sound.${m}`, { minutes: draft[s].repeatMinutes })}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input aria-label={`${s} ${t('alarms.policy.soundFile')}`} value={String(draft[s].soundFile)} onChange={(e) => setSev(s, 'soundFile', e.target.value)} />
              </td>
              <td>
                <input aria-label={`${s} ${t('alarms.policy.repeatMinutes')}`} inputMode="numeric" value={String(draft[s].repeatMinutes)} onChange={(e) => setSev(s, 'repeatMinutes', e.target.value)} />
              </td>
              {FLAGS.map((k) => (
                <td key={k}>
                  <input type="checkbox" aria-label={`${s} ${t(`alarms.policy.${k}`)}`} checked={draft[s][k] === true} onChange={(e) => setSev(s, k, e.target.checked)} />
                </td>
              ))}
              <td>
                <input
                  aria-label={`${s} ${t('alarms.policy.responseTarget')}`}
                  inputMode="numeric"
                  placeholder={t('alarms.policy.never')}
                  value={String(draft[s].responseTargetMinutes)}
                  onChange={(e) => setSev(s, 'responseTargetMinutes', e.target.value)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <fieldset>
        <legend>{t('alarms.policy.quietHours')}</legend>
        <select aria-label={t('alarms.policy.quietMode')} value={draft.quiet.mode} onChange={(e) => setQuiet('mode', e.target.value)}>
          {(['off', 'schedule', 'rota'] as const).map((m) => (
            <option key={m} value={m}>
              {t(`alarms.quietHours.${m}`, { start: draft.quiet.start, end: draft.quiet.end })}
            </option>
          ))}
        </select>
        {draft.quiet.mode === 'schedule' ? (
          <>
            <input aria-label={t('alarms.policy.quietStart')} value={draft.quiet.start} onChange={(e) => setQuiet('start', e.target.value)} />
            <input aria-label={t('alarms.policy.quietEnd')} value={draft.quiet.end} onChange={(e) => setQuiet('end', e.target.value)} />
          </>
        ) : null}
      </fieldset>
      <h3>{t('alarms.policy.escalation', { minutes: value.escalation.intervalMinutes })}</h3>
      <ol>
        {value.escalation.levels.map((level, i) => (
          <li key={i}>
            {t('alarms.escalation.level', { level: i + 1 })}: {level.run.length === 0 ? t('alarms.policy.realertOnly') : level.run.map(stepLabel).join('; ')}
          </li>
        ))}
      </ol>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="button" onClick={save}>
        {t('alarms.policy.save')}
      </button>
    </section>
  );
}
