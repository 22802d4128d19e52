import { describe, expect, it } from 'vitest';
import relayDe from '../../../src/core/i18n/catalogs/relay.de.json';
import relayEn from '../../../src/core/i18n/catalogs/relay.en.json';
import { RELAY_CLIENT_ERROR_CODES } from '../../../src/main/relay';

const keys = (o: unknown, prefix = ''): string[] =>
  o !== null && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)) : [prefix];
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('relay catalog', () => {
  it('has the same keys and placeholders in English and German', () => {
    expect(keys(relayDe)).toEqual(keys(relayEn));
    const get = (o: unknown, path: string) => path.split('.').reduce<unknown>((acc, k) => (acc as Record<string, unknown>)[k], o) as string;
    for (const k of keys(relayEn)) expect(placeholders(get(relayDe, k))).toEqual(placeholders(get(relayEn, k)));
  });

  it('has a text for every error the client reports', () => {
    for (const code of RELAY_CLIENT_ERROR_CODES) {
      expect(relayEn.relay.client.errors[code]).toBeTypeOf('string');
      expect(relayDe.relay.client.errors[code]).toBeTypeOf('string');
    }
  });
});
