import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isBuiltinSound, POLICY_SEVERITIES, type AlarmPolicy } from '../../../core/alarms/policy';
import type { AppErrorData } from '../../../core/errors';
import type { AlarmsView } from '../../../core/ipc-contract';
import { bridge, type Bridge } from '../../bridge';
import { PolicyForm } from './policy-form';
import { CONFIRMED_CHECKS, SelfTestPanel } from './self-test-panel';

/** What the alarm settings need of main. */
export type AlarmSettingsApi = Pick<
  Bridge,
  'getAlarms' | 'onAlarmsChanged' | 'setAlarmPolicy' | 'checkSoundFile' | 'startSelfTest' | 'recordSelfTest' | 'setDoNotDisturb' | 'setDesktop'
>;

/** Whether the newest self-test run still waits for the user's answers. */
function awaitingAnswers(view: AlarmsView): boolean {
  const run = view.selfTestLog.runs.at(-1);
  return run !== undefined && CONFIRMED_CHECKS.some((c) => !run.results.some((r) => r.check === c));
}

/**
 * Settings for the tray pager: the notification policy, "Is my pager working?", Do Not Disturb,
 * and the desktop settings (global shortcut, start at login). Every refusal from main (a bad
 * field, a broken sound file, an invalid or taken shortcut) is shown here in words.
 */
export function AlarmSettings({ api = bridge() }: { api?: AlarmSettingsApi }) {
  const { t } = useTranslation();
  const [view, setView] = useState<AlarmsView | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [running, setRunning] = useState(false);
  const [shortcut, setShortcut] = useState('');
  const [desktopError, setDesktopError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.getAlarms().then(
      (v) => {
        if (!live) return;
        setView(v);
        setShortcut(v.desktop.shortcut ?? '');
      },
      (e: Error) => live && setProblems([e.message]),
    );
    const off = api.onAlarmsChanged((v) => setView(v));
    return () => {
      live = false;
      off();
    };
  }, [api]);
  if (!view) return <section className="card alarm-settings" aria-busy="true" />;

  const fail = (e: Error) => setProblems([e.message]);
  const savePolicy = async (policy: AlarmPolicy) => {
    // a broken custom sound is named now, not at 3 a.m.; the policy is saved anyway and the built-in sound plays
    const found: string[] = [];
    for (const severity of POLICY_SEVERITIES) {
      const file = policy.severities[severity].soundFile;
      if (!isBuiltinSound(file)) await api.checkSoundFile({ file }).catch((e: Error) => found.push(e.message));
    }
    try {
      setView(await api.setAlarmPolicy({ policy }));
      setProblems(found);
    } catch (e) {
      setProblems([...found, (e as Error).message]);
    }
  };
  const answer = (check: (typeof CONFIRMED_CHECKS)[number], ok: boolean) =>
    api.recordSelfTest({ check, outcome: ok ? 'pass' : 'fail' }).then((v) => {
      setView(v);
      setRunning(awaitingAnswers(v));
    }, fail);
  const saveDesktop = (startAtLogin: boolean) =>
    api.setDesktop({ shortcut: shortcut.trim() === '' ? null : shortcut, startAtLogin }).then(
      (v) => {
        setView(v);
        setShortcut(v.desktop.shortcut ?? '');
        setDesktopError(null);
      },
      (e: Error) => setDesktopError(e.message),
    );
  const dndOn = view.dnd !== null && (view.dnd.until === null || view.dnd.until > Date.now());
  const stateProblems: AppErrorData[] = [view.error, view.desktop.shortcutError].filter((p): p is AppErrorData => p !== null);

  return (
    <div className="alarm-settings">
      {problems.map((p, i) => (
        <p key={i} className="banner error" role="alert">
          {p}
        </p>
      ))}
      <PolicyForm value={view.policy} onSave={(p) => void savePolicy(p)} problems={stateProblems} />
      <label className="card">
        <input type="checkbox" checked={dndOn} onChange={(e) => void api.setDoNotDisturb({ dnd: e.target.checked ? { until: null } : null }).then(setView, fail)} />{' '}
        {t('alarms.dnd.on')}
      </label>
      <SelfTestPanel
        log={view.selfTestLog}
        running={running}
        onRun={() => {
          setRunning(true);
          api.startSelfTest().then(setView, fail);
        }}
        onConfirm={(check, ok) => void answer(check, ok)}
      />
      <section className="card alarm-desktop" aria-label={t('alarms.desktop.title')}>
        <h2>{t('alarms.desktop.title')}</h2>
        <label>
          {t('alarms.desktop.shortcut')}{' '}
          <input value={shortcut} placeholder="CommandOrControl+Alt+A" onChange={(e) => setShortcut(e.target.value)} aria-describedby="alarm-shortcut-hint" />
        </label>
        <button type="button" onClick={() => void saveDesktop(view.desktop.startAtLogin)}>
          {t('alarms.desktop.save')}
        </button>
        <p id="alarm-shortcut-hint" className="hint">
          {t('alarms.desktop.shortcutHint')}
        </p>
        {desktopError ? (
          <p className="banner error" role="alert">
            {desktopError}
          </p>
        ) : null}
        <label>
          <input type="checkbox" checked={view.desktop.startAtLogin} onChange={(e) => void saveDesktop(e.target.checked)} /> {t('alarms.desktop.startAtLogin')}
        </label>
      </section>
    </div>
  );
}
