import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { Page } from '../../../core/page';
import { formatClock, formatDateTime, formatDuration } from '../../format';
import type { PendingAck } from './ack-store';
import { SeverityBadge } from './severity-badge';
import { StatusBadge } from './status-badge';
import { ownLabels, type TriageRow } from './triage-model';

/** What a row needs besides its data: the clock, its pending acknowledgement, and what to do. */
export interface RowProps {
  row: TriageRow;
  now: number;
  ack: PendingAck | undefined;
  truncated: number;
  expanded: boolean;
  focused: boolean;
  selected: boolean;
  style: CSSProperties;
  onAcknowledge(): void;
  onUndo(): void;
  onRetry(): void;
  onDismiss(): void;
  onToggle(): void;
  onSelect(): void;
  onFocus(): void;
}

/**
 * The status cell: main's status, the optimistic "Acknowledged 03:09 · pending" until the store
 * shows main's acknowledgement, or firing again at once after Undo.
 */
function StatusCell({ status, acknowledgedAt, ack }: { status: Page['status']; acknowledgedAt: number | null; ack: PendingAck | undefined }) {
  const { t, i18n } = useTranslation();
  if (ack?.phase === 'undoing' && status === 'acknowledged') return <StatusBadge status="firing" />;
  if (ack && (ack.phase === 'sending' || ack.phase === 'sent') && !ack.settled) {
    return (
      <span className="row-status optimistic" data-pending={ack.phase}>
        {t('pages.acknowledged', { time: formatClock(ack.at, i18n.language) })}
        <em>{t('pages.pending')}</em>
      </span>
    );
  }
  if (status === 'acknowledged' && acknowledgedAt !== null) {
    return <span className="row-status acked">{t('pages.acknowledged', { time: formatClock(acknowledgedAt, i18n.language) })}</span>;
  }
  return <StatusBadge status={status} />;
}

/** The action cell: Acknowledge, Undo for 10 s after acknowledging, or the error with Retry. */
function ActionCell({ canAck, ack, onAcknowledge, onUndo, onRetry, onDismiss }: Pick<RowProps, 'ack' | 'onAcknowledge' | 'onUndo' | 'onRetry' | 'onDismiss'> & { canAck: boolean }) {
  const { t } = useTranslation();
  const stop = (fn: () => void) => (e: React.MouseEvent) => {
    e.stopPropagation();
    fn();
  };
  if (ack?.undoable && (ack.phase === 'sending' || ack.phase === 'sent')) {
    return (
      <button type="button" tabIndex={-1} className="undo" onClick={stop(onUndo)}>
        {t('pages.undo')}
      </button>
    );
  }
  if (ack?.phase === 'failed') {
    return (
      <span className="ack-failed" role="alert">
        <span title={ack.error ?? ''}>{t('pages.ackFailed', { message: ack.error ?? '' })}</span>
        <button type="button" tabIndex={-1} onClick={stop(onRetry)}>
          {t('pages.retry')}
        </button>
        <button type="button" tabIndex={-1} aria-label={t('pages.dismiss')} onClick={stop(onDismiss)}>
          ×
        </button>
      </span>
    );
  }
  if (!canAck || ack) return null;
  return (
    <button type="button" tabIndex={-1} className="primary ack" onClick={stop(onAcknowledge)}>
      {t('pages.acknowledge')}
    </button>
  );
}

/** One line of the triage list: a group (or lone page), an alert of an open group, or the group's shared labels. */
export function TriageRowView(props: RowProps) {
  const { t, i18n } = useTranslation();
  const { row, now, style } = props;
  const { group } = row;
  if (row.kind === 'alert') {
    const page = row.page;
    return (
      <div
        role="listitem"
        tabIndex={props.focused ? 0 : -1}
        data-key={row.key}
        data-page-id={page.id}
        data-status={page.status}
        className={`triage-row alert-row row-${page.status}${props.selected ? ' selected' : ''}`}
        style={style}
        onClick={props.onSelect}
        onFocus={props.onFocus}
      >
        <span className="cell-toggle" />
        <SeverityBadge severity={page.severity} />
        <StatusCell status={page.status} acknowledgedAt={page.acknowledgedAt} ack={props.ack} />
        <span className="cell-title">
          <span className="labels-inline">
            {ownLabels(page, group.shared).map(([k, v]) => (
              <code key={k}>
                {k}={v}
              </code>
            ))}
          </span>
        </span>
        <span className="cell-count" />
        <Age startsAt={page.startsAt} now={now} language={i18n.language} />
        <span className="cell-action">
          <ActionCell canAck={page.status === 'firing'} {...props} />
        </span>
      </div>
    );
  }
  const lead = group.lead;
  const count = group.members.length;
  return (
    <div
      role="listitem"
      tabIndex={props.focused ? 0 : -1}
      aria-expanded={count > 1 ? props.expanded : undefined}
      data-key={row.key}
      data-group-key={group.key}
      data-status={group.status}
      className={`triage-row group-row row-${group.status}${props.selected ? ' selected' : ''}`}
      style={style}
      onClick={props.onSelect}
      onFocus={props.onFocus}
    >
      <span className="cell-toggle">
        {count > 1 && (
          <button
            type="button"
            tabIndex={-1}
            className="toggle"
            aria-label={t(props.expanded ? 'pages.collapse' : 'pages.expand', { title: lead.title })}
            onClick={(e) => {
              e.stopPropagation();
              props.onToggle();
            }}
          >
            {props.expanded ? '▾' : '▸'}
          </button>
        )}
      </span>
      <SeverityBadge severity={group.severity} />
      <StatusCell status={group.status} acknowledgedAt={lead.acknowledgedAt} ack={props.ack} />
      <span className="cell-title">
        <strong>{lead.title}</strong>
        {group.titles > 1 && <span className="more">{t('pages.moreKinds', { count: group.titles - 1 })}</span>}
        {props.truncated > 0 && <span className="truncated">{t('pages.truncated', { count: props.truncated })}</span>}
        <span className="summary-inline">{lead.summary}</span>
      </span>
      <span className="cell-count" title={t('pages.alerts', { count })}>
        {count > 1 ? `×${count}` : ''}
      </span>
      <Age startsAt={group.startsAt} now={now} language={i18n.language} />
      <span className="cell-action">
        <ActionCell canAck={group.firing > 0} {...props} />
      </span>
    </div>
  );
}

/** "4 min", with the absolute start on hover. */
function Age({ startsAt, now, language }: { startsAt: number; now: number; language: string }) {
  const { t } = useTranslation();
  const absolute = formatDateTime(startsAt, language);
  return (
    <time className="cell-age" dateTime={new Date(startsAt).toISOString()} title={t('pages.startedAt', { time: absolute })}>
      {formatDuration(startsAt, now, language)}
    </time>
  );
}

/** The line under an open group: labels all its alerts share, shown once, and what Alertmanager left out. */
export function SharedRow({ row, truncated, style }: { row: TriageRow; truncated: number; style: CSSProperties }) {
  const { t } = useTranslation();
  const shared = Object.entries(row.group.shared).filter(([k]) => k !== 'alertname');
  return (
    <div className="triage-row shared-row" style={style} data-key={row.key}>
      <span className="shared-label">{t('pages.shared')}</span>
      {shared.length === 0 ? (
        <span className="muted">{t('pages.detail.none')}</span>
      ) : (
        shared.map(([k, v]) => (
          <code key={k}>
            {k}={v}
          </code>
        ))
      )}
      {truncated > 0 && <span className="truncated">{t('pages.truncated', { count: truncated })}</span>}
    </div>
  );
}
