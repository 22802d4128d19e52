import { useDeferredValue, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';
import type { PageStatus } from '../../../core/page';
import { RECENT_RESOLVED_MS } from '../../db/pages-repo';
import { useAckStore } from './ack-store';
import { DetailPane } from './detail-pane';
import { NoMatch, NoPages } from './empty-state';
import { TriageList } from './triage-list';
import { groupLines } from './triage-model';
import { useAttention, useLines, useNow, useTruncated } from './use-pages';
import { AwaySection } from '../relay/away-section';

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
}

/** The Pages view for 3 a.m.: one compact line per group, most urgent first, details beside the list. */
export function PagesView() {
  const { t } = useTranslation();
  const showResolved = useAppStore((s) => s.showResolved);
  const setShowResolved = useAppStore((s) => s.setShowResolved);
  const filter = useAppStore((s) => s.filter);
  const setFilter = useAppStore((s) => s.setFilter);
  const selected = useAppStore((s) => s.selectedPageId);
  const selectPage = useAppStore((s) => s.selectPage);
  const sort = useAppStore((s) => s.sort);
  const held = useAckStore((s) => s.held);
  const acks = useAckStore((s) => s.acks);
  const reportError = useAppStore((s) => s.reportError);
  const triage = useLines(showResolved);
  const attention = useAttention();
  const now = useNow();
  const deferredFilter = useDeferredValue(filter);
  const filterRef = useRef<HTMLInputElement>(null);
  const viewRef = useRef<HTMLElement>(null);
  const unacked = attention?.unacknowledged ?? 0;
  // resolved alerts stay in view for one shift; the cut-off moves with the clock tick, not every render
  const resolvedSince = showResolved ? null : Math.floor(now / 30_000) * 30_000 - RECENT_RESOLVED_MS;

  const lines = triage.ready ? triage.lines : undefined;
  const groups = useMemo(
    () => (lines ? groupLines(lines.values(), { filter: deferredFilter, held, sort, resolvedSince }) : undefined),
    // `version` marks every change to the (mutable) map of lines
    [lines, triage.version, deferredFilter, held, sort, resolvedSince],
  );

  const truncated = useTruncated();

  useEffect(() => {
    if (triage.error) reportError(t('errors.generic', { message: triage.error.message }));
  }, [triage.error, reportError, t]);

  // an optimistic acknowledgement ends when the store shows its pages acknowledged (an Undo: no longer acknowledged)
  useEffect(() => {
    if (!lines || Object.keys(acks).length === 0) return;
    const wanted = new Set(Object.values(acks).flatMap((a) => a.ids));
    const status = new Map<string, PageStatus>();
    for (const line of lines.values()) for (const m of line.members) if (wanted.has(m.id)) status.set(m.id, m.status);
    useAckStore.getState().settle((id) => status.get(id));
  }, [lines, triage.version, acks]);

  // "/" filters and Esc closes from anywhere in the view; the list handles its own keys
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '/' && !isTyping(e.target)) {
        e.preventDefault();
        filterRef.current?.focus();
        filterRef.current?.select();
      } else if (e.key === 'Escape') {
        const row = viewRef.current?.querySelector<HTMLElement>('.triage-row[tabindex="0"]');
        if (e.target === filterRef.current) row?.focus();
        else if (useAppStore.getState().selectedPageId !== null) {
          selectPage(null);
          row?.focus();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectPage]);

  const firingIds = () => [...(lines?.values() ?? [])].flatMap((l) => (l.firing > 0 ? l.members.filter((m) => m.status === 'firing').map((m) => m.id) : []));
  const allAck = acks['all'];
  return (
    <main ref={viewRef} className={`view pages-view${selected ? ' with-detail' : ''}`}>
      <header className="view-header">
        <h1>{t('pages.title')}</h1>
        <span className={`attention ${unacked > 0 ? 'hot' : 'calm'}`} role="status">
          {t('pages.unacknowledged', { count: unacked })}
        </span>
        {/* offered once every line is read: it acknowledges the pages the list holds, so it must hold them all */}
        {unacked > 1 && !allAck && triage.complete && (
          <button type="button" className="primary" onClick={() => useAckStore.getState().acknowledge('all', firingIds(), Date.now())}>
            {t('pages.acknowledgeAll', { count: unacked })}
          </button>
        )}
        {allAck?.undoable && allAck.phase !== 'undoing' && (
          <button type="button" onClick={() => useAckStore.getState().undo('all')}>
            {t('pages.undo')}
          </button>
        )}
      </header>
      <AwaySection />
      <div className="toolbar">
        <input ref={filterRef} type="search" aria-label={t('pages.filter')} placeholder={t('pages.filterPlaceholder')} value={filter} onChange={(e) => setFilter(e.target.value)} />
        <label>
          <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} />
          {t('pages.showResolved')}
        </label>
      </div>
      <div className="triage-body" data-complete={triage.complete}>
        {groups === undefined ? (
          <div className="triage" />
        ) : groups.length > 0 ? (
          <TriageList groups={groups} now={now} truncated={truncated} />
        ) : filter.trim() !== '' && (lines?.size ?? 0) > 0 ? (
          <NoMatch filter={filter} />
        ) : (
          <NoPages />
        )}
        {selected && <DetailPane pageId={selected} now={now} truncated={truncated} groupSize={(key) => groups?.find((g) => g.key === key)?.members.length ?? 1} />}
      </div>
    </main>
  );
}
