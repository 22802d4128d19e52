import { PagesView } from './features/pages/pages-view';
import { NowView } from './features/rota/now-view';
import { RotaView } from './features/rota/rota-view';
import { SettingsView } from './features/settings/settings-view';
import { IncidentsPage } from './features/incidents/incidents-page';
import { RunbooksPage } from './features/runbooks/runbooks-page';
import { ErrorBoundary } from './features/shell/error-boundary';
import { ErrorBanner } from './features/shell/error-banner';
import { NavBar } from './features/shell/nav-bar';
import { useAppStore } from './store';

/** The window: navigation on the left, the chosen view on the right; a view that throws shows why and a way back. */
export function App() {
  const view = useAppStore((s) => s.view);
  return (
    <div className="app">
      <NavBar />
      <div className={`content content-${view}`}>
        <ErrorBanner />
        <ErrorBoundary key={view}>{view === 'pages' ? <PagesView /> : view === 'now' ? <NowView /> : view === 'rota' ? <RotaView /> : view === 'runbooks' ? <RunbooksPage /> : view === 'incidents' ? <IncidentsPage /> : <SettingsView />}</ErrorBoundary>
      </div>
    </div>
  );
}
