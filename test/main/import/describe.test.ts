import { describe, expect, it } from 'vitest';
import { RotaImportError } from '../../../src/core/rota/errors';
import de from '../../../src/core/i18n/catalogs/imports.de.json';
import en from '../../../src/core/i18n/catalogs/imports.en.json';
import { createImportI18n, describeImportError } from '../../../src/main/import/describe';
import { ImportError, type ImportErrorCode } from '../../../src/main/import/errors';

const params = { seconds: 2, megabytes: 20, rule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', reason: 'ECONNREFUSED', message: 'rota.yaml line 3: bad', url: 'https://x.example/f.ics', from: 'https://a.example/', to: 'http://127.0.0.1/', max: 5, status: 404, file: '/r/rota.yaml', names: 'rota.yaml / rota.yml / rota.json' };
const codes = Object.keys(en.imports).filter((k) => !['refused', 'timeBudgetRule', 'memoryBudgetRule'].includes(k)).map((k) => `imports.${k}` as ImportErrorCode);

describe('import refusals in the user\'s words', () => {
  it('every text exists in English and German, with the same placeholders', () => {
    expect(Object.keys(de.imports).sort()).toEqual(Object.keys(en.imports).sort());
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(en.imports)) expect(placeholders(de.imports[key as keyof typeof de.imports]), key).toEqual(placeholders(text));
  });

  it('names the source, fills every placeholder and says the stored rota stays, in both languages', () => {
    for (const language of ['en', 'de']) {
      const i18n = createImportI18n(language);
      for (const code of codes) {
        const text = describeImportError(new ImportError(code, params), 'https://x.example/f.ics', i18n);
        expect(text, `${language} ${code}`).toMatch(/^https:\/\/x\.example\/f\.ics: /);
        expect(text, `${language} ${code}`).not.toMatch(/\{\{|imports\./);
        expect(text).toMatch(language === 'en' ? /The rota stored before stays in use\.$/ : /Der zuvor gespeicherte Dienstplan bleibt in Gebrauch\.$/);
      }
    }
  });

  it('names the rule when a budget stopped a job that had one', () => {
    const i18n = createImportI18n('en');
    expect(describeImportError(new ImportError('imports.timeBudget', { seconds: 2, rule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30' }), 'feed', i18n)).toBe(
      'feed: the import took longer than 2 s and was stopped; the recurrence rule FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30 most likely never ends. The rota stored before stays in use.',
    );
    expect(describeImportError(new ImportError('imports.memoryBudget', { megabytes: 256 }), 'feed', i18n)).toBe('feed: the import needed more than 256 MiB of memory and was stopped. The rota stored before stays in use.');
  });

  it("uses core's own translated text for the importer's refusals", () => {
    const core = new RotaImportError('notIcal', {});
    const i18n = createImportI18n('de');
    const viaWorker = new ImportError('imports.invalid', { message: core.message, jobError: 'RotaImportError', jobCode: 'notIcal' });
    const direct = describeImportError(core, 'feed', i18n);
    expect(describeImportError(viaWorker, 'feed', i18n)).toBe(direct);
    expect(direct).toBe(`feed: ${i18n.t('rota.errors.notIcal').replace(/([^.!?…])$/, '$1.')} Der zuvor gespeicherte Dienstplan bleibt in Gebrauch.`);
    expect(direct).not.toContain(core.message); // German, not core's English
  });
});
