import { useMemo, useState } from 'react';
import { useTable, type SortingState } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';
import type { Page } from '../../../core/page';
import { useAppStore } from '../../store';
import { pageColumns, pageTableFeatures } from './columns';

/** Most urgent first: firing before acknowledged, P1 before P4, newest first. */
const DEFAULT_SORTING: SortingState = [
  { id: 'status', desc: false },
  { id: 'severity', desc: false },
  { id: 'started', desc: true },
];

/** The live, sortable, filterable table of pages. */
export function PagesTable({ pages }: { pages: Page[] }) {
  const { t, i18n } = useTranslation();
  const filter = useAppStore((s) => s.filter);
  const selected = useAppStore((s) => s.selectedPageId);
  const selectPage = useAppStore((s) => s.selectPage);
  const [sorting, setSorting] = useState<SortingState>(DEFAULT_SORTING);
  const columns = useMemo(() => pageColumns(t, i18n.language), [t, i18n.language]);
  const table = useTable({
    features: pageTableFeatures,
    columns,
    data: pages,
    getRowId: (p) => p.id,
    state: { sorting, globalFilter: filter },
    onSortingChange: setSorting,
    globalFilterFn: 'includesString',
  });
  const rows = table.getRowModel().rows;

  return (
    <table className="pages-table">
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              const canSort = header.column.getCanSort();
              return (
                <th key={header.id} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined} className={`col-${header.column.id}`}>
                  {canSort ? (
                    <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()}>
                      <table.FlexRender header={header} />
                      <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                    </button>
                  ) : (
                    <table.FlexRender header={header} />
                  )}
                </th>
              );
            })}
          </tr>
        ))}
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={row.id}
            data-page-id={row.id}
            data-status={row.original.status}
            className={`row-${row.original.status}${selected === row.id ? ' selected' : ''}`}
            onClick={() => selectPage(selected === row.id ? null : row.id)}
          >
            {row.getAllCells().map((cell) => (
              <td key={cell.id} className={`col-${cell.column.id}`}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
