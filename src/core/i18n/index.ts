import i18next, { type i18n } from 'i18next';
import en from './en.json';
import de from './de.json';
import pagesEn from './catalogs/pages.en.json';
import pagesDe from './catalogs/pages.de.json';
import rotaEn from './catalogs/rota.en.json';
import rotaDe from './catalogs/rota.de.json';
import runbooksEn from './catalogs/runbooks.en.json';
import runbooksDe from './catalogs/runbooks.de.json';
import incidentsEn from './catalogs/incidents.en.json';
import incidentsDe from './catalogs/incidents.de.json';
import reportsEn from './catalogs/reports.en.json';
import reportsDe from './catalogs/reports.de.json';
import sourcesEn from './catalogs/sources.en.json';
import sourcesDe from './catalogs/sources.de.json';
import relayEn from './catalogs/relay.en.json';
import relayDe from './catalogs/relay.de.json';
import importsEn from './catalogs/imports.en.json';
import importsDe from './catalogs/imports.de.json';
import alarmsEn from './catalogs/alarms.en.json';
import alarmsDe from './catalogs/alarms.de.json';

// Each feature keeps its strings in its own catalog file under one top-level key, so features
// can be worked on side by side; they are merged into one `translation` namespace here.
const enCatalog = { ...en, ...pagesEn, ...rotaEn, ...runbooksEn, ...incidentsEn, ...reportsEn, ...sourcesEn, ...relayEn, ...importsEn, ...alarmsEn };
const deCatalog = { ...de, ...pagesDe, ...rotaDe, ...runbooksDe, ...incidentsDe, ...reportsDe, ...sourcesDe, ...relayDe, ...importsDe, ...alarmsDe };

/** The catalogs, shared by main (tray) and renderer (UI). */
export const resources = { en: { translation: enCatalog }, de: { translation: deCatalog } } as const;
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
