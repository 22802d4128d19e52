import { describe, expect, it } from 'vitest';
import sourcesDe from '../../../src/core/i18n/catalogs/sources.de.json';
import sourcesEn from '../../../src/core/i18n/catalogs/sources.en.json';
import { createI18n } from '../../../src/core/i18n';
import { SOURCE_KINDS } from '../../../src/core/sources/kinds';
import type { WriteBackAction, WriteBackError } from '../../../src/core/sources/write-back';

function keys(o: unknown, prefix = ''): string[] {
  if (o === null || typeof o !== 'object') return [prefix];
  return Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

// Listing every code here makes the compiler complain when a code is added without a text.
const errorCodes: Record<WriteBackError['code'], true> = {
  bodyTooLarge: true, malformedJson: true, wrongShape: true, missingSignature: true, badSignature: true, unknownSource: true,
  http: true, network: true, timeout: true, rateLimited: true, requestFailed: true, requestPending: true, notConfigured: true, unsupported: true,
};
const actions: Record<WriteBackAction, true> = { acknowledge: true, unacknowledge: true, resolve: true };

describe('sources catalog', () => {
  it('German has exactly the keys English has', () => {
    expect(keys(sourcesDe)).toEqual(keys(sourcesEn));
  });

  it('every error code, write-back action and kind has a text in both languages', () => {
    const wanted = [
      ...Object.keys(errorCodes).map((c) => `sources.errors.${c}`),
      ...Object.keys(actions).map((a) => `sources.writeBack.${a}`),
      ...SOURCE_KINDS.map((k) => `sources.kinds.${k}`),
    ];
    for (const lng of ['en', 'de']) {
      const i = createI18n(lng);
      for (const key of wanted) expect(i.exists(key), `${lng}: ${key}`).toBe(true);
    }
  });

  it('the catch-up digest counts in both languages, singular and plural', () => {
    expect(createI18n('en').t('sources.digest.body', { count: 14, firing: 3 })).toBe('14 pages, 3 still firing');
    expect(createI18n('en').t('sources.digest.body', { count: 1, firing: 0 })).toBe('1 page, 0 still firing');
    expect(createI18n('de').t('sources.digest.title')).toBe('Während du weg warst');
    expect(createI18n('de').t('sources.digest.body', { count: 14, firing: 3 })).toBe('14 Pages, davon 3 noch aktiv');
    // a night's worth reads as a number, not a string of digits
    expect(createI18n('en').t('sources.digest.body', { count: 1100, firing: 1002 })).toBe('1,100 pages, 1,002 still firing');
    expect(createI18n('de').t('sources.digest.body', { count: 1100, firing: 1002 })).toBe('1.100 Pages, davon 1.002 noch aktiv');
  });
});
