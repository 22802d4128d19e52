import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VERSION, createConfigStore, DEFAULT_LISTENER_PORT, LISTENER_TOKEN_SECRET } from '../../src/main/services/config-store';
import { createFileSecretStore } from '../../src/main/services/secret-store';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'occ-config-'));
let n = 0;
const token = () => `generated-token-${String(++n).padStart(8, '0')}`;
const open = (dir: string) => createConfigStore(path.join(dir, 'config.json'), createFileSecretStore(path.join(dir, 'secrets')), token);
const good = (over: Record<string, unknown> = {}) => JSON.stringify({ version: CONFIG_VERSION, listener: { host: '127.0.0.1', port: 9999 }, ...over });

describe('config store', () => {
  it('creates a versioned config on first run, bound to 127.0.0.1, with the token kept apart from it', () => {
    const dir = tmp();
    const store = open(dir);
    expect(store.error()).toBeNull();
    expect(store.get()).toMatchObject({ version: CONFIG_VERSION, listener: { host: '127.0.0.1', port: DEFAULT_LISTENER_PORT }, coalesceSeconds: 15 });
    expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).not.toContain(store.token());
    expect(readFileSync(path.join(dir, 'secrets', LISTENER_TOKEN_SECRET), 'utf8')).toBe(store.token());
    expect(open(dir).token()).toBe(store.token());
  });

  it('migrates a version-1 file: the token moves to the secret store and stays the same, "page" becomes P1', () => {
    const dir = tmp();
    const v1 = { listener: { host: '127.0.0.1', port: 9797, token: 'the-old-token-1234567890' }, severityMapping: { P1: ['critical'], P2: ['error', 'high'], P3: ['warning'], P4: ['info'], fallback: 'P4' } };
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(v1));
    const store = open(dir);
    expect(store.error()).toBeNull();
    expect(store.token()).toBe('the-old-token-1234567890');
    expect(store.get().severityMapping.P1).toEqual(['critical', 'page']);
    const written = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(written.version).toBe(CONFIG_VERSION);
    expect(written.listener.token).toBeUndefined();
    expect(open(dir).token()).toBe('the-old-token-1234567890');
  });

  const broken: Array<[string, string]> = [
    ['an unknown key', good({ listner: { port: 1 } })],
    ['a wrong type', good({ listener: { host: '127.0.0.1', port: 'nine' } })],
    ['a truncated file', good().slice(0, 20)],
    ['an empty file', ''],
  ];

  it.each(broken)('with %s: the same token still works, the last good config runs, the file is left untouched', (_name, text) => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'config.json'), good({ coalesceSeconds: 42 }));
    const first = open(dir);
    expect(first.error()).toBeNull();
    writeFileSync(path.join(dir, 'config.json'), text);
    const store = open(dir);
    expect(store.error()).toMatch(/config\.json: .*running on the last good settings until it is fixed/);
    expect(store.token()).toBe(first.token());
    expect(store.get().coalesceSeconds).toBe(42);
    expect(store.get().listener.port).toBe(9999);
    expect(() => store.update((c) => c)).toThrow(/not saving settings/);
    expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(text);
  });

  it('names the field of a wrong config', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'config.json'), good({ listener: { host: '127.0.0.1', port: 'nine' } }));
    expect(open(dir).error()).toMatch(/listener\.port: .*number/);
  });

  it('a config file that cannot be read (a folder in its place) still keeps the token', () => {
    const dir = tmp();
    const t1 = open(dir).token();
    const file = path.join(dir, 'config.json');
    writeFileSync(file, good());
    // replace the file with a directory: reading it fails with EISDIR
    rmSync(file);
    mkdirSync(file);
    const store = open(dir);
    expect(store.error()).toMatch(/EISDIR/);
    expect(store.token()).toBe(t1);
  });

  it('refuses an update that would make the config invalid, keeping the stored one', () => {
    const dir = tmp();
    const store = open(dir);
    const before = readFileSync(path.join(dir, 'config.json'), 'utf8');
    expect(() => store.update((c) => ({ ...c, listener: { ...c.listener, port: 70000 } }))).toThrow();
    expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(before);
  });

  it('encrypts the token with the keychain cipher when one is available', () => {
    const dir = tmp();
    const cipher = { isAvailable: () => true, encrypt: (s: string) => Buffer.from(s, 'utf8').reverse(), decrypt: (b: Buffer) => Buffer.from(b).reverse().toString('utf8') };
    const store = createConfigStore(path.join(dir, 'config.json'), createFileSecretStore(path.join(dir, 'secrets'), cipher), token);
    const raw = readFileSync(path.join(dir, 'secrets', `${LISTENER_TOKEN_SECRET}.enc`));
    expect(raw.toString('utf8')).not.toBe(store.token());
    expect(createFileSecretStore(path.join(dir, 'secrets'), cipher).get(LISTENER_TOKEN_SECRET)).toBe(store.token());
  });
});
