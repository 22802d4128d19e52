import { useTranslation } from 'react-i18next';
import { useAppStore, type View } from '../../store';
import { useAttention } from '../pages/use-pages';

const VIEWS: View[] = ['pages', 'incidents', 'runbooks', 'now', 'rota', 'settings'];
// views whose label lives in their feature's catalog
const LABELS: Partial<Record<View, string>> = { runbooks: 'runbooks.nav', incidents: 'incidents.nav' };

/** Left navigation; the Pages entry carries the unacknowledged count. */
export function NavBar() {
  const { t } = useTranslation();
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  const unacked = useAttention()?.unacknowledged ?? 0;
  return (
    <nav className="nav" aria-label={t('app.name')}>
      <div className="brand">{t('app.name')}</div>
      {VIEWS.map((v) => (
        <button key={v} type="button" className={view === v ? 'active' : ''} aria-current={view === v ? 'page' : undefined} onClick={() => setView(v)}>
          {t(LABELS[v] ?? `nav.${v}`)}
          {v === 'pages' && unacked > 0 && <span className="count">{unacked}</span>}
        </button>
      ))}
    </nav>
  );
}
