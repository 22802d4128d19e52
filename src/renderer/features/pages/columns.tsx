import {
  columnFilteringFeature,
  createColumnHelper,
  createFilteredRowModel,
  createSortedRowModel,
  filterFn_includesString,
  globalFilteringFeature,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  tableFeatures,
} from '@tanstack/react-table';
import type { TFunction } from 'i18next';
import type { Page } from '../../../core/page';
import { formatDateTime } from '../../format';
import { PageActions } from './page-actions';
import { SeverityBadge } from './severity-badge';
import { StatusBadge } from './status-badge';

/** Table features: sorting and a global text filter. Module scope keeps them stable across renders. */
export const pageTableFeatures = tableFeatures({
  columnFilteringFeature,
  globalFilteringFeature,
  rowSortingFeature,
  filteredRowModel: createFilteredRowModel(),
  sortedRowModel: createSortedRowModel(),
  filterFns: { includesString: filterFn_includesString },
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic },
});

const helper = createColumnHelper<typeof pageTableFeatures, Page>();
const STATUS_ORDER = { firing: 0, acknowledged: 1, resolved: 2 } as const;

/** Flattens labels for display and filtering: "instance=db-1:9100 severity=critical". */
export function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .filter(([k]) => k !== 'alertname')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** Column definitions of the Pages table. */
export function pageColumns(t: TFunction, language: string) {
  return helper.columns([
    helper.accessor('severity', {
      id: 'severity',
      header: () => t('pages.columns.severity'),
      cell: (c) => <SeverityBadge severity={c.getValue()} />,
      sortFn: 'alphanumeric',
    }),
    helper.accessor((p) => STATUS_ORDER[p.status], {
      id: 'status',
      header: () => t('pages.columns.status'),
      cell: (c) => <StatusBadge status={c.row.original.status} />,
      sortFn: 'basic',
      enableGlobalFilter: false,
    }),
    helper.accessor((p) => t(`pages.sources.${p.source}`), {
      id: 'source',
      header: () => t('pages.columns.source'),
      sortFn: 'alphanumeric',
    }),
    helper.accessor('startsAt', {
      id: 'started',
      header: () => t('pages.columns.started'),
      cell: (c) => <time dateTime={new Date(c.getValue()).toISOString()}>{formatDateTime(c.getValue(), language)}</time>,
      sortFn: 'basic',
      enableGlobalFilter: false,
    }),
    helper.accessor((p) => `${p.title} ${p.summary} ${p.instance}`, {
      id: 'summary',
      header: () => t('pages.columns.summary'),
      cell: (c) => (
        <div className="summary">
          <strong>{c.row.original.title}</strong>
          <span>{c.row.original.summary}</span>
          {c.row.original.instance && <code>{c.row.original.instance}</code>}
        </div>
      ),
      sortFn: 'alphanumeric',
    }),
    helper.accessor((p) => labelText(p.labels), {
      id: 'labels',
      header: () => t('pages.columns.labels'),
      cell: (c) => (
        <ul className="labels">
          {Object.entries(c.row.original.labels)
            .filter(([k]) => k !== 'alertname')
            .map(([k, v]) => (
              <li key={k}>
                {k}={v}
              </li>
            ))}
        </ul>
      ),
      enableSorting: false,
    }),
    helper.display({
      id: 'actions',
      header: () => t('pages.columns.actions'),
      cell: (c) => <PageActions page={c.row.original} />,
    }),
  ]);
}
