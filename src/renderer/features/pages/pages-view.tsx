import { useTranslation } from 'react-i18next';
import { bridge } from '../../bridge';
import { useAppStore } from '../../store';
import { PageTimeline } from './page-timeline';
import { PagesTable } from './pages-table';
import { useAttention, usePages } from './use-pages';

/** The Pages view: what is firing now, most urgent first, with Acknowledge one click away. */
export function PagesView() {
  const { t } = useTranslation();
  const showResolved = useAppStore((s) => s.showResolved);
  const setShowResolved = useAppStore((s) => s.setShowResolved);
  const filter = useAppStore((s) => s.filter);
  const setFilter = useAppStore((s) => s.setFilter);
  const selected = useAppStore((s) => s.selectedPageId);
  const reportError = useAppStore((s) => s.reportError);
  const pages = usePages(showResolved);
  const attention = useAttention();
  const unacked = attention?.unacknowledged ?? 0;

  return (
    <main className="view pages-view">
      <header className="view-header">
        <h1>{t('pages.title')}</h1>
        <span className={`attention ${unacked > 0 ? 'hot' : 'calm'}`} role="status">
          {t('pages.unacknowledged', { count: unacked })}
        </span>
        {unacked > 1 && (
          <button type="button" className="primary" onClick={() => bridge().acknowledgePages({ all: true }).catch((e: Error) => reportError(e.message))}>
            {t('pages.acknowledgeAll', { count: unacked })}
          </button>
        )}
      </header>
      <div className="toolbar">
        <input
          type="search"
          aria-label={t('pages.filter')}
          placeholder={t('pages.filterPlaceholder')}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <label>
          <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} />
          {t('pages.showResolved')}
        </label>
      </div>
      {pages === undefined ? null : pages.length === 0 ? (
        <p className="empty">{t('pages.empty')}</p>
      ) : (
        <PagesTable pages={pages} />
      )}
      {selected && <PageTimeline pageId={selected} />}
    </main>
  );
}
