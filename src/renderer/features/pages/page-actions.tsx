import { useTranslation } from 'react-i18next';
import type { Page } from '../../../core/page';
import { bridge } from '../../bridge';
import { useAppStore } from '../../store';

/** Per-row actions: Acknowledge, and links to the source graph and runbook (opened outside the app). */
export function PageActions({ page }: { page: Page }) {
  const { t } = useTranslation();
  const reportError = useAppStore((s) => s.reportError);
  const open = (url: string) => (e: React.MouseEvent) => {
    e.preventDefault();
    e.stopPropagation();
    bridge().openExternal({ url }).catch((err: Error) => reportError(err.message));
  };
  return (
    <div className="actions">
      {page.status === 'firing' && (
        <button
          type="button"
          className="primary"
          onClick={(e) => {
            e.stopPropagation();
            bridge()
              .acknowledgePages({ ids: [page.id] })
              .catch((err: Error) => reportError(err.message));
          }}
        >
          {t('pages.acknowledge')}
        </button>
      )}
      {page.runbookUrl && (
        <a href={page.runbookUrl} onClick={open(page.runbookUrl)}>
          {t('pages.openRunbook')}
        </a>
      )}
      {page.generatorUrl && (
        <a href={page.generatorUrl} onClick={open(page.generatorUrl)}>
          {t('pages.openSource')}
        </a>
      )}
    </div>
  );
}
