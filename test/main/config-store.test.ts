import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfigStore, DEFAULT_LISTENER_PORT } from '../../src/main/services/config-store';

const tmp = () => path.join(mkdtempSync(path.join(tmpdir(), 'occ-config-')), 'config.json');
let n = 0;
const token = () => `generated-token-${String(++n).padStart(8, '0')}`;

describe('config store', () => {
  it('creates a config with a fresh token on first run, bound to 127.0.0.1', () => {
    const file = tmp();
    const store = createConfigStore(file, token);
    expect(store.error()).toBeNull();
    expect(store.get().listener).toMatchObject({ host: '127.0.0.1', port: DEFAULT_LISTENER_PORT });
    expect(JSON.parse(readFileSync(file, 'utf8')).listener.token).toBe(store.get().listener.token);
    expect(createConfigStore(file, token).get().listener.token).toBe(store.get().listener.token);
  });

  it('names the field of a wrong config and leaves the file untouched', () => {
    const file = tmp();
    const broken = JSON.stringify({ listener: { host: '127.0.0.1', port: 'nine', token: 'x'.repeat(20) } });
    writeFileSync(file, broken);
    const store = createConfigStore(file, token);
    expect(store.error()).toMatch(/listener\.port: .*number/);
    expect(() => store.update((c) => c)).toThrow(/not saving settings/);
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });

  it('reports invalid JSON with the parser message', () => {
    const file = tmp();
    writeFileSync(file, '{ "listener": ');
    expect(createConfigStore(file, token).error()).toMatch(/invalid JSON/);
  });

  it('refuses an update that would make the config invalid, keeping the stored one', () => {
    const file = tmp();
    const store = createConfigStore(file, token);
    const before = readFileSync(file, 'utf8');
    expect(() => store.update((c) => ({ ...c, listener: { ...c.listener, port: 70000 } }))).toThrow();
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
