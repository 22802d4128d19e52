import { create, type StateCreator } from 'zustand';
import type { SortState } from './features/pages/triage-model';

export type View = 'now' | 'pages' | 'rota' | 'settings' | 'runbooks' | 'incidents';

/** Navigation and table UI state; data itself lives in Dexie. */
export interface UiSlice {
  view: View;
  filter: string;
  showResolved: boolean;
  selectedPageId: string | null;
  setView(view: View): void;
  setFilter(filter: string): void;
  setShowResolved(show: boolean): void;
  selectPage(id: string | null): void;
  /** Triage groups shown open, by group key. */
  expandedGroups: ReadonlySet<string>;
  toggleGroup(key: string, open?: boolean): void;
  /** A header sort, or null for the default urgency order. */
  sort: SortState;
  setSort(sort: SortState): void;
  /** The triage row that has (or last had) keyboard focus, by row key. */
  focusedRow: string | null;
  /** `takeFocus`: the list moves keyboard focus to that row too (a deep link opened it), so `a` works at once. */
  setFocusedRow(key: string | null, takeFocus?: boolean): void;
  /**
   * True until the list has moved keyboard focus to the focused row as asked. Kept here, not in the
   * list: a deep link from another view asks before the list is even mounted.
   */
  rowFocusPending: boolean;
  rowFocused(): void;
  rotaRange: 'week' | 'month';
  /** The instant the Rota view centres on; null follows today. */
  rotaAnchor: number | null;
  setRotaRange(range: 'week' | 'month'): void;
  setRotaAnchor(anchor: number | null): void;
}

/** Session state: errors the user must see. */
export interface SessionSlice {
  errors: string[];
  reportError(message: string): void;
  dismissError(index: number): void;
}

export type AppState = UiSlice & SessionSlice;

const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  view: 'pages',
  filter: '',
  showResolved: false,
  selectedPageId: null,
  setView: (view) => set({ view }),
  setFilter: (filter) => set({ filter }),
  setShowResolved: (showResolved) => set({ showResolved }),
  selectPage: (selectedPageId) => set({ selectedPageId }),
  expandedGroups: new Set(),
  toggleGroup: (key, open) =>
    set((s) => {
      const next = new Set(s.expandedGroups);
      if (open ?? !next.has(key)) next.add(key);
      else next.delete(key);
      return { expandedGroups: next };
    }),
  sort: null,
  setSort: (sort) => set({ sort }),
  focusedRow: null,
  setFocusedRow: (focusedRow, takeFocus = false) => set(takeFocus ? { focusedRow, rowFocusPending: true } : { focusedRow }),
  rowFocusPending: false,
  rowFocused: () => set({ rowFocusPending: false }),
  rotaRange: 'week',
  rotaAnchor: null,
  setRotaRange: (rotaRange) => set({ rotaRange }),
  setRotaAnchor: (rotaAnchor) => set({ rotaAnchor }),
});

const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set) => ({
  errors: [],
  // The same error repeating (a retry loop) should not bury the screen.
  reportError: (message) => set((s) => (s.errors.includes(message) ? s : { errors: [...s.errors.slice(-4), message] })),
  dismissError: (index) => set((s) => ({ errors: s.errors.filter((_, i) => i !== index) })),
});

/** The one zustand store, built from slices. */
export const useAppStore = create<AppState>()((...a) => ({ ...createUiSlice(...a), ...createSessionSlice(...a) }));
