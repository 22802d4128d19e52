import i18next, { type i18n } from 'i18next';
import en from './en.json';
import de from './de.json';

/** The catalogs, shared by main (tray) and renderer (UI). */
export const resources = { en: { translation: en }, de: { translation: de } } as const;
export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Picks a supported language from a locale such as "de-AT"; English otherwise. */
export function pickLanguage(locale: string | undefined): Language {
  const base = (locale ?? 'en').toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(base ?? '') ? (base as Language) : 'en';
}

/** A ready, synchronous i18next instance for the given locale. */
export function createI18n(locale: string | undefined): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: pickLanguage(locale),
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return instance;
}
