import { PagesView } from './features/pages/pages-view';
import { NowView } from './features/rota/now-view';
import { RotaView } from './features/rota/rota-view';
import { SettingsView } from './features/settings/settings-view';
import { ErrorBanner } from './features/shell/error-banner';
import { NavBar } from './features/shell/nav-bar';
import { useAppStore } from './store';

/** The window: navigation on the left, the chosen view on the right. */
export function App() {
  const view = useAppStore((s) => s.view);
  return (
    <div className="app">
      <NavBar />
      <div className="content">
        <ErrorBanner />
        {view === 'pages' ? <PagesView /> : view === 'now' ? <NowView /> : view === 'rota' ? <RotaView /> : <SettingsView />}
      </div>
    </div>
  );
}
