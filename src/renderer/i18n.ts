import { initReactI18next } from 'react-i18next';
import { createI18n } from '../core/i18n';

/** The renderer's i18next instance, in the browser's language, wired into React. */
export function setupI18n(locale: string) {
  const instance = createI18n(locale);
  void instance.use(initReactI18next).init({ initAsync: false });
  return instance;
}
