import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SNOOZE_MINUTES, type SnoozeMinutes } from '../../../core/alarms/state';
import type { Severity } from '../../../core/severity';
import { SeverityBadge } from '../pages/severity-badge';
import './alarm.css';

/** Props only: main decides what the always-on-top alert window shows and does what it asks. */
export interface AlertWindowProps {
  severity: Severity;
  title: string;
  /** The alert's summary line, if it has one. */
  summary?: string;
  /** Where it fires (the instance label), if known. */
  instance?: string;
  /** Since when it fires, as the user reads the time ("03:12"), if known. */
  since?: string;
  /** How many pages wait in all (the shown group and any others). */
  count: number;
  onAcknowledge: () => void;
  onOpen: () => void;
  /** Offered when given: the tray's snooze lengths. */
  onSnooze?: (minutes: SnoozeMinutes) => void;
}

/** How long the keyboard must be still (since the alert appeared, or the last other key) before Enter acknowledges. */
export const ENTER_QUIET_MS = 800;

/**
 * The alert window's content: severity, title, what and where it is and since when, and the count,
 * with big Acknowledge and Open buttons.
 * Enter acknowledges wherever focus is, because someone woken at night hits the biggest key (but
 * not while they are typing: see ENTER_QUIET_MS).
 * One press sends one acknowledgement; a new page (new props) arms it again.
 */
export function AlertWindow(props: AlertWindowProps) {
  const { t } = useTranslation();
  const { severity, title, summary, instance, since, count, onAcknowledge, onOpen, onSnooze } = props;
  const where = [instance, since ? t('alarms.alert.since', { time: since }) : ''].filter(Boolean).join(' · ');
  const [sent, setSent] = useState(false);
  const [enterArmed, setEnterArmed] = useState(false);
  const ackRef = useRef<HTMLButtonElement>(null);
  const latest = useRef({ sent, onAcknowledge });
  latest.current = { sent, onAcknowledge };

  useEffect(() => setSent(false), [severity, title, count]);
  useEffect(() => ackRef.current?.focus(), []);
  useEffect(() => {
    // Someone typing elsewhere when the alert took focus ends a line with Enter: that must not
    // acknowledge a P1 they have not read. Enter counts once the keyboard was still for a moment
    // since the alert appeared or the last other key (shown as data-enter-armed, for tests too).
    let armed = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const disarm = () => {
      armed = false;
      setEnterArmed(false);
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => {
        armed = true;
        setEnterArmed(true);
      }, ENTER_QUIET_MS);
    };
    disarm();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Enter') {
        disarm();
        return;
      }
      if (e.repeat) return;
      e.preventDefault();
      if (!armed || latest.current.sent) return;
      setSent(true);
      latest.current.onAcknowledge();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      if (timer !== null) clearTimeout(timer);
      document.removeEventListener('keydown', onKey);
    };
  }, []);

  const acknowledge = () => {
    if (sent) return;
    setSent(true);
    onAcknowledge();
  };

  return (
    <section className={`alert-window alert-${severity.toLowerCase()}`} role="alertdialog" data-enter-armed={enterArmed} aria-label={t('alarms.alert.label')} aria-describedby="alert-title">
      <header className="alert-head">
        <SeverityBadge severity={severity} />
        <span className="alert-count">{t('alarms.alert.more', { count })}</span>
      </header>
      <h1 id="alert-title" className="alert-title">
        {title}
      </h1>
      {summary ? <p className="alert-summary">{summary}</p> : null}
      {where ? <p className="alert-where">{where}</p> : null}
      <div className="alert-actions">
        <button ref={ackRef} type="button" className="alert-ack" onClick={acknowledge} disabled={sent}>
          {t('alarms.alert.acknowledge')}
        </button>
        <button type="button" className="alert-open" onClick={onOpen}>
          {t('alarms.alert.open')}
        </button>
      </div>
      {onSnooze ? (
        <div className="alert-snooze" role="group" aria-label={t('alarms.snooze.label')}>
          {SNOOZE_MINUTES.map((m) => (
            <button key={m} type="button" onClick={() => onSnooze(m)}>
              {t('alarms.snooze.minutes', { count: m })}
            </button>
          ))}
        </div>
      ) : null}
      <p className="alert-hint">{t('alarms.alert.hint')}</p>
    </section>
  );
}
