import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app';
import { bridge, setErrorTranslator } from './bridge';
import { db } from './db/instance';
import { startDeliverySync } from './features/pages/delivery-sync';
import { startRotaSync } from './features/rota/rota-sync';
import { systemZone } from './features/rota/use-rota';
import { setupI18n } from './i18n';
import { openRoute } from './routes';
import { useAppStore } from './store';
import './styles.css';

const i18n = setupI18n(navigator.language);
setErrorTranslator((code, params) => (i18n.exists(`errors.${code}`) ? i18n.t(`errors.${code}`, params) : i18n.t('errors.generic', { message: String(params['message'] ?? code) })));
document.documentElement.lang = i18n.language;
i18n.on('languageChanged', (lng) => (document.documentElement.lang = lng));
// a language chosen in Settings wins over the system's
void db.prefs.get('language').then((p) => {
  if (p && p.value !== i18n.language) void i18n.changeLanguage(p.value);
});

startDeliverySync({
  api: bridge(),
  db,
  now: () => Date.now(),
  onError: (err, what) => {
    const key = what === 'store' ? 'errors.storeFailed' : 'errors.seedFailed';
    useAppStore.getState().reportError(i18n.t(key, { message: err.message }));
  },
});

const navigate = (route: string) => void openRoute(db, route).catch((err: Error) => useAppStore.getState().reportError(i18n.t('errors.generic', { message: err.message })));
bridge().onNavigate(({ route }) => navigate(route));
window.addEventListener('hashchange', () => navigate(window.location.hash));
if (window.location.hash) navigate(window.location.hash);

const rota = startRotaSync({
  api: bridge(),
  db,
  defaultZone: systemZone(),
  language: () => i18n.language,
  onError: (err) => useAppStore.getState().reportError(i18n.t('errors.generic', { message: err.message })),
});
i18n.on('languageChanged', () => rota.resync());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>
  </StrictMode>,
);
