import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';
import { useAckStore, type PendingAck } from './ack-store';
import { flattenRows, type SortColumn, type TriageGroup, type TriageRow } from './triage-model';
import { SharedRow, TriageRowView } from './triage-row';
import { useOpenGroupPages } from './use-pages';

const ROW_HEIGHT = 40;
const SHARED_HEIGHT = 30;
const COLUMNS: SortColumn[] = ['severity', 'status', 'title', 'count', 'age'];

/** Pages a row's acknowledgement covers: the firing ones of the group, or the one alert. */
export function firingIds(row: TriageRow): string[] {
  if (row.kind === 'alert') return row.page.status === 'firing' ? [row.page.id] : [];
  return row.group.members.filter((m) => m.status === 'firing').map((m) => m.id);
}

/** The row's own pending acknowledgement, else its group's, else "acknowledge all". */
function pendingFor(row: TriageRow, acks: Record<string, PendingAck>): PendingAck | undefined {
  return acks[row.key] ?? (row.kind === 'alert' ? acks[`g:${row.group.key}`] : undefined) ?? acks['all'];
}

/** Sortable column headers; "Urgency order" brings the default back after a header sort. */
function TriageHeader() {
  const { t } = useTranslation();
  const sort = useAppStore((s) => s.sort);
  const setSort = useAppStore((s) => s.setSort);
  const label = (c: SortColumn) => t(`pages.columns.${c === 'title' ? 'alert' : c}`);
  return (
    <div className="triage-row triage-head" role="presentation">
      {COLUMNS.map((c) => (
        <button
          key={c}
          type="button"
          className={`sort col-${c}`}
          aria-sort={sort?.column === c ? (sort.desc ? 'descending' : 'ascending') : undefined}
          aria-label={t('pages.sortBy', { column: label(c) })}
          onClick={() => setSort(sort?.column === c ? { column: c, desc: !sort.desc } : { column: c, desc: false })}
        >
          {c === 'severity' ? t('pages.columns.severityShort') : label(c)}
          <span aria-hidden="true">{sort?.column === c ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
        </button>
      ))}
      <span className="cell-action">
        {sort && (
          <button type="button" className="link" onClick={() => setSort(null)}>
            {t('pages.urgencyOrder')}
          </button>
        )}
      </span>
    </div>
  );
}

/**
 * The triage list: one line per group, open groups show their alerts. Virtualized, so 100,000
 * pages cost what the visible rows cost. One Tab stop: arrows or j/k move between rows.
 */
export const TriageList = memo(function TriageList({ groups, now, truncated }: { groups: TriageGroup[]; now: number; truncated: Map<string, number> }) {
  const { t } = useTranslation();
  const expanded = useAppStore((s) => s.expandedGroups);
  const toggleGroup = useAppStore((s) => s.toggleGroup);
  const focusedRow = useAppStore((s) => s.focusedRow);
  const setFocusedRow = useAppStore((s) => s.setFocusedRow);
  const selected = useAppStore((s) => s.selectedPageId);
  const selectPage = useAppStore((s) => s.selectPage);
  const acks = useAckStore((s) => s.acks);
  const ackStore = useAckStore;
  const openKeys = useMemo(() => groups.filter((g) => g.members.length > 1 && expanded.has(g.key)).map((g) => g.key), [groups, expanded]);
  const openPages = useOpenGroupPages(openKeys);
  const rows = useMemo(() => flattenRows(groups, expanded, openPages), [groups, expanded, openPages]);
  const index = useMemo(() => new Map(rows.map((r, i) => [r.key, i])), [rows]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const hasFocus = useRef(false);

  const focusKey = focusedRow !== null && index.has(focusedRow) ? focusedRow : (rows[0]?.key ?? null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (rows[i]!.kind === 'shared' ? SHARED_HEIGHT : ROW_HEIGHT),
    getItemKey: (i) => rows[i]!.key,
    overscan: 8,
    initialRect: { width: 800, height: 600 },
  });
  const items = virtualizer.getVirtualItems();

  const moveTo = useCallback(
    (key: string) => {
      setFocusedRow(key);
      ackStore.getState().release(key);
      const i = index.get(key);
      if (i !== undefined) virtualizer.scrollToIndex(i, { align: 'auto' });
    },
    [index, setFocusedRow, ackStore, virtualizer],
  );

  // focus follows the focused row's key: across re-sorts, acknowledgements and virtual re-renders
  const rendered = items.map((i) => i.key).join('|');
  // a deep link asked for keyboard focus on its row: answered once that row is rendered
  const asked = useAppStore((s) => s.rowFocusPending);
  const rowFocused = useAppStore((s) => s.rowFocused);
  useLayoutEffect(() => {
    if ((!hasFocus.current && !asked) || focusKey === null) return;
    const active = document.activeElement;
    const inside = active !== null && scrollRef.current?.contains(active);
    if (!asked && active && active !== document.body && !inside) return;
    const target = [...(scrollRef.current?.querySelectorAll<HTMLElement>('[data-key]') ?? [])].find((el) => el.dataset['key'] === focusKey);
    if (!target) return;
    if (asked) rowFocused();
    if (inside && (active as HTMLElement).closest('[data-key]') === target) return;
    target.focus({ preventScroll: !asked });
  }, [focusKey, rendered, asked, rowFocused]);

  useEffect(() => {
    if (focusedRow !== null && !index.has(focusedRow) && focusKey !== null) setFocusedRow(focusKey);
  }, [focusedRow, focusKey, index, setFocusedRow]);

  const acknowledge = (row: TriageRow) => {
    ackStore.getState().acknowledge(row.key, firingIds(row), Date.now());
  };
  const select = (row: TriageRow) => {
    const id = row.kind === 'alert' ? row.page.id : row.group.lead.id;
    selectPage(id);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const i = focusKey !== null ? (index.get(focusKey) ?? 0) : 0;
    const row = rows[i];
    if (!row) return;
    const step = (dir: 1 | -1, by = 1) => {
      // a page jump stops at the ends rather than doing nothing
      let j = by === 1 ? i + dir : Math.min(rows.length - 1, Math.max(0, i + dir * by));
      while (rows[j]?.kind === 'shared') j += dir;
      const next = rows[j];
      if (next) moveTo(next.key);
    };
    // a screenful less one row, so the row focused last stays in sight
    const perPage = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1);
    const handled = (fn: () => void) => {
      e.preventDefault();
      fn();
    };
    switch (e.key) {
      case 'ArrowDown':
      case 'j':
        return handled(() => step(1));
      case 'ArrowUp':
      case 'k':
        return handled(() => step(-1));
      case 'PageDown':
        return handled(() => step(1, perPage));
      case 'PageUp':
        return handled(() => step(-1, perPage));
      case 'Home':
        return handled(() => rows[0] && moveTo(rows[0].key));
      case 'End':
        return handled(() => rows.at(-1) && moveTo(rows.at(-1)!.key));
      case 'Enter':
        return handled(() => select(row));
      case 'ArrowRight':
        return handled(() => row.kind === 'group' && row.group.members.length > 1 && toggleGroup(row.group.key, true));
      case 'ArrowLeft':
        return handled(() => (row.kind === 'group' ? toggleGroup(row.group.key, false) : moveTo(`g:${row.group.key}`)));
      case 'a':
        return handled(() => acknowledge(row));
      case 'u':
        return handled(() => {
          const ack = pendingFor(row, ackStore.getState().acks);
          if (ack) ackStore.getState().undo(ack.key);
        });
    }
  };

  return (
    <div className="triage">
      <TriageHeader />
      <div
        ref={scrollRef}
        className="triage-scroll"
        role="list"
        aria-label={t('pages.list')}
        onKeyDown={onKeyDown}
        onFocus={() => (hasFocus.current = true)}
        onBlur={(e) => {
          // a row that unmounts takes focus with it (relatedTarget null): keep following the key
          if (e.relatedTarget !== null && !scrollRef.current?.contains(e.relatedTarget as Node)) hasFocus.current = false;
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            const style = { position: 'absolute', top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` } as const;
            const cut = truncated.get(row.group.key) ?? 0;
            if (row.kind === 'shared') return <SharedRow key={row.key} row={row} truncated={cut} style={style} />;
            const pageId = row.kind === 'alert' ? row.page.id : row.group.lead.id;
            const ack = pendingFor(row, acks);
            return (
              <TriageRowView
                key={row.key}
                row={row}
                now={now}
                ack={ack}
                truncated={cut}
                expanded={expanded.has(row.group.key)}
                focused={row.key === focusKey}
                selected={selected === pageId && (row.kind === 'alert' || !expanded.has(row.group.key))}
                style={style}
                onAcknowledge={() => {
                  moveTo(row.key);
                  acknowledge(row);
                }}
                onUndo={() => ack && ackStore.getState().undo(ack.key)}
                onRetry={() => ack && ackStore.getState().retry(ack.key)}
                onDismiss={() => ack && ackStore.getState().dismiss(ack.key)}
                onToggle={() => toggleGroup(row.group.key)}
                onSelect={() => {
                  moveTo(row.key);
                  select(row);
                }}
                onFocus={() => focusedRow !== row.key && moveTo(row.key)}
              />
            );
          })}
        </div>
      </div>
      <p className="keys-hint muted">{t('pages.keys')}</p>
    </div>
  );
});
