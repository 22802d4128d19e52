import { useTranslation } from 'react-i18next';
import { SELF_TEST_CHECKS, selfTestStatus, type SelfTestCheck, type SelfTestLog } from '../../../core/alarms/self-test';
import { formatDateTime } from '../../format';

/** The checks only the user can answer: did you see it, did you hear it. */
export const CONFIRMED_CHECKS = ['notificationSeen', 'alarmHeard'] as const satisfies readonly SelfTestCheck[];
export type ConfirmedCheck = (typeof CONFIRMED_CHECKS)[number];

/** Props only: main runs the automatic checks and records every answer in the log. */
export interface SelfTestPanelProps {
  log: SelfTestLog;
  /** True from Run until every check of the newest run has a result. */
  running: boolean;
  onRun: () => void;
  onConfirm: (check: ConfirmedCheck, ok: boolean) => void;
}

const isConfirmed = (c: SelfTestCheck): c is ConfirmedCheck => (CONFIRMED_CHECKS as readonly string[]).includes(c);

/**
 * "Is my pager working?": each check with its latest result and time, Yes/No for the two the user
 * confirms, and the summary the tray also shows. A failure stays listed until that check passes.
 */
export function SelfTestPanel({ log, running, onRun, onConfirm }: SelfTestPanelProps) {
  const { t, i18n } = useTranslation();
  const status = selfTestStatus(log);
  const run = log.runs.at(-1);
  const failing = new Set(status.failing.map((r) => r.check));
  const summary =
    status.failing.length > 0
      ? t('alarms.selfTest.failing', { checks: status.failing.map((r) => t(`alarms.selfTest.checks.${r.check}`)).join(', ') })
      : status.lastPassedAt !== null
        ? t('alarms.selfTest.passed', { time: formatDateTime(status.lastPassedAt, i18n.language) })
        : t('alarms.selfTest.never');
  return (
    <section className="self-test" aria-label={t('alarms.selfTest.title')}>
      <h2>{t('alarms.selfTest.title')}</h2>
      <p role="status" data-failing={status.failing.length > 0}>
        {summary}
      </p>
      <ul>
        {SELF_TEST_CHECKS.map((check) => {
          const result = run?.results.find((r) => r.check === check) ?? null;
          const ask = running && result === null && isConfirmed(check);
          return (
            <li key={check} aria-label={t(`alarms.selfTest.checks.${check}`)} data-outcome={result?.outcome ?? (failing.has(check) ? 'fail' : 'pending')}>
              <span>{t(`alarms.selfTest.checks.${check}`)}</span>{' '}
              {result ? (
                <span>
                  {t(`alarms.selfTest.outcome.${result.outcome}`)} · <time dateTime={new Date(result.at).toISOString()}>{formatDateTime(result.at, i18n.language)}</time>
                </span>
              ) : null}
              {ask ? (
                <span role="group" aria-label={t(`alarms.selfTest.checks.${check}`)}>
                  <button type="button" onClick={() => onConfirm(check, true)}>
                    {t('alarms.selfTest.yes')}
                  </button>
                  <button type="button" onClick={() => onConfirm(check, false)}>
                    {t('alarms.selfTest.no')}
                  </button>
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      <button type="button" onClick={onRun} disabled={running}>
        {t('alarms.selfTest.run')}
      </button>
    </section>
  );
}
