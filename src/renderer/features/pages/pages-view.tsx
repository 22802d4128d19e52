import { useDeferredValue, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';
import { useAckStore } from './ack-store';
import { DetailPane } from './detail-pane';
import { NoMatch, NoPages } from './empty-state';
import { TriageList } from './triage-list';
import { groupPages } from './triage-model';
import { useAttention, useNow, usePages, useTruncated } from './use-pages';

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
  const pages = usePages(showResolved);
  const attention = useAttention();
  const now = useNow();
  const deferredFilter = useDeferredValue(filter);
  const filterRef = useRef<HTMLInputElement>(null);
  const viewRef = useRef<HTMLElement>(null);
  const unacked = attention?.unacknowledged ?? 0;

  const groups = useMemo(() => (pages ? groupPages(pages, { filter: deferredFilter, held, sort }) : undefined), [pages, deferredFilter, held, sort]);
  const byKey = useMemo(() => new Map((groups ?? []).map((g) => [g.key, g])), [groups]);
  const truncated = useTruncated(useMemo(() => (groups ?? []).filter((g) => g.lead.source === 'alertmanager').map((g) => g.key), [groups]));

  // an optimistic acknowledgement ends when the store shows its pages no longer firing
  useEffect(() => {
    if (!pages || Object.keys(acks).length === 0) return;
    const firing = new Set<string>();
    for (const p of pages) if (p.status === 'firing') firing.add(p.id);
    useAckStore.getState().settle((id) => firing.has(id));
  }, [pages, acks]);

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

  const firingIds = useMemo(() => (pages ?? []).filter((p) => p.status === 'firing').map((p) => p.id), [pages]);
  return (
    <main ref={viewRef} className={`view pages-view${selected ? ' with-detail' : ''}`}>
      <header className="view-header">
        <h1>{t('pages.title')}</h1>
        <span className={`attention ${unacked > 0 ? 'hot' : 'calm'}`} role="status">
          {t('pages.unacknowledged', { count: unacked })}
        </span>
        {unacked > 1 && !acks['all'] && (
          <button type="button" className="primary" onClick={() => useAckStore.getState().acknowledge('all', firingIds, Date.now())}>
            {t('pages.acknowledgeAll', { count: unacked })}
          </button>
        )}
        {acks['all']?.phase === 'waiting' && (
          <button type="button" onClick={() => useAckStore.getState().undo('all')}>
            {t('pages.undo')}
          </button>
        )}
      </header>
      <div className="toolbar">
        <input ref={filterRef} type="search" aria-label={t('pages.filter')} placeholder={t('pages.filterPlaceholder')} value={filter} onChange={(e) => setFilter(e.target.value)} />
        <label>
          <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} />
          {t('pages.showResolved')}
        </label>
      </div>
      <div className="triage-body">
        {groups === undefined ? (
          <div className="triage" />
        ) : groups.length > 0 ? (
          <TriageList groups={groups} now={now} truncated={truncated} />
        ) : filter.trim() !== '' && (pages?.length ?? 0) > 0 ? (
          <NoMatch filter={filter} />
        ) : (
          <NoPages />
        )}
        {selected && <DetailPane pageId={selected} now={now} truncated={truncated} groupSize={(key) => byKey.get(key)?.pages.length ?? 1} />}
      </div>
    </main>
  );
}
