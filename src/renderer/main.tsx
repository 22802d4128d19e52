import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app';
import { createWebAudioPlayer, isAlertWindow, startAlarmHost } from './features/alarm/alarm-host';
import { bridge, setErrorTranslator } from './bridge';
import { db } from './db/instance';
import { startDeliverySync } from './features/pages/delivery-sync';
import { startRotaSync } from './features/rota/rota-sync';
import { startWorkSync } from './features/runbooks/work-state';
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

// the always-on-top alert window loads this page at #/alert: it shows the alert and nothing else
const alertOnly = isAlertWindow(window.location.hash);
const reportError = (err: Error) => useAppStore.getState().reportError(i18n.t('errors.generic', { message: err.message }));
startAlarmHost({
  api: bridge(),
  // main decides when the alarm sounds; only the main window plays it
  player: alertOnly ? null : createWebAudioPlayer((r) => bridge().readSoundFile(r)),
  container: () => document.body,
  locale: () => i18n.language,
  open: (route) => (alertOnly ? void bridge().openApp({ route }).catch(reportError) : navigate(route)),
  onError: reportError,
});

// the tray and notifications in main follow the language chosen in Settings
if (!alertOnly) i18n.on('languageChanged', (language) => void bridge().setLanguage({ language }).catch(reportError));

if (!alertOnly) startDeliverySync({
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
// the runbook library and incident reminders: main watches and reminds, this window stores
startWorkSync({ api: bridge(), db, timeZone: systemZone(), language: () => i18n.language, onError: (err) => useAppStore.getState().reportError(i18n.t('errors.generic', { message: err.message })) });
window.addEventListener('hashchange', () => navigate(window.location.hash));
if (window.location.hash) navigate(window.location.hash);

const rota = alertOnly ? null : startRotaSync({
  api: bridge(),
  db,
  defaultZone: systemZone(),
  language: () => i18n.language,
  onError: (err) => useAppStore.getState().reportError(i18n.t('errors.generic', { message: err.message })),
});
i18n.on('languageChanged', () => rota?.resync());

if (!alertOnly) createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>
  </StrictMode>,
);
