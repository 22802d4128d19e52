import { useTranslation } from 'react-i18next';
import { useAppStore, type View } from '../../store';
import { useAttention } from '../pages/use-pages';

const VIEWS: View[] = ['pages', 'now', 'rota', 'settings'];

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
          {t(`nav.${v}`)}
          {v === 'pages' && unacked > 0 && <span className="count">{unacked}</span>}
        </button>
      ))}
    </nav>
  );
}
