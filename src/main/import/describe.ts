import type { i18n } from 'i18next';
import { createI18n } from '../../core/i18n';
import { RotaImportError } from '../../core/rota/errors';
import { ImportError } from './errors';

/** An i18next instance for import refusals (the `imports` catalog is part of core's catalogs). */
export function createImportI18n(language: string): i18n {
  return createI18n(language);
}

const sentence = (s: string) => (/[.!?…]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

/** The user's text for a refused import of `source` (a feed URL or rota folder), in i18n's language. */
export function describeImportError(err: unknown, source: string, i18n: i18n): string {
  const { t } = i18n;
  let reason: string;
  if (err instanceof ImportError) {
    const { jobCode, jobError, ...params } = err.params;
    // the core importers' refusals have their texts under rota.errors.<code> (runbooks: their own)
    const jobKey = jobError === 'RotaImportError' ? `rota.errors.${String(jobCode)}` : String(jobCode);
    if (err.code === 'imports.invalid' && jobCode !== undefined && i18n.exists(jobKey)) reason = t(jobKey, params);
    else if ((err.code === 'imports.timeBudget' || err.code === 'imports.memoryBudget') && params.rule) reason = t(`${err.code}Rule`, params);
    else reason = t(err.code, params);
  } else if (err instanceof RotaImportError) {
    // read loosely: core's error is gaining a code and params while this is written
    const { code, params } = err as unknown as { code?: unknown; params?: Record<string, unknown> };
    reason = typeof code === 'string' && i18n.exists(`rota.errors.${code}`) ? t(`rota.errors.${code}`, params ?? {}) : err.message;
  }
  else reason = err instanceof Error ? err.message : String(err); // e.g. the folder is not there: the OS says so
  return t('imports.refused', { source, reason: sentence(reason) });
}
