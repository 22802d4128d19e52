import * as fs from 'node:fs';
import { z } from 'zod';
import { alarmPolicySchema } from '../../core/alarms/policy';
import { DEFAULT_HEARTBEAT_MATCHERS, heartbeatMatchersSchema } from '../../core/pager/heartbeat';
import { DEFAULT_SEVERITY_MAPPING, severityMappingSchema, type SeverityMapping } from '../../core/severity';
import { describeIssues } from '../../core/validation';
import { writeFileAtomic } from './atomic-file';
import type { SecretStore } from './secret-store';

/** Default listener port: next to Alertmanager's 9093/9094, unlikely to clash. */
export const DEFAULT_LISTENER_PORT = 9797;
/** The current config.json format; older files are migrated when read. */
export const CONFIG_VERSION = 2;
/** Name of the listener token in the secret store. */
export const LISTENER_TOKEN_SECRET = 'listener-token';

/** config.json, version 2: everything the user may edit. Secrets live in the secret store. */
export const configSchema = z
  .object({
    version: z.literal(CONFIG_VERSION),
    listener: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(DEFAULT_LISTENER_PORT),
        /** Alertmanager groups of 10,000 alerts are about 6.5 MB; 32 MiB leaves room. */
        maxBodyMiB: z.number().min(1).max(512).default(32),
      })
      .strict(),
    severityMapping: severityMappingSchema.default(DEFAULT_SEVERITY_MAPPING),
    heartbeats: heartbeatMatchersSchema.default(DEFAULT_HEARTBEAT_MATCHERS),
    /** Webhooks for one group within this many seconds make one notification. */
    coalesceSeconds: z.number().min(0).max(3600).default(15),
    /** Alert sources; each entry is checked on its own (src/core/sources/config.ts), so one broken entry never stops the others. */
    sources: z.array(z.unknown()).max(200).default([]),
    /** Webhook relays and smee.io channels; tokens live in the secret store. */
    relays: z.array(z.unknown()).max(50).default([]),
    /** The notification policy per severity, quiet hours, escalation (issue 12). */
    alarms: alarmPolicySchema.default(() => alarmPolicySchema.parse({})),
    /** Desktop integration: a global shortcut that acknowledges the newest page (off by default), start at login. */
    desktop: z
      .object({ shortcut: z.string().max(100).nullable().default(null), startAtLogin: z.boolean().default(false) })
      .strict()
      .default(() => ({ shortcut: null, startAtLogin: false })),
  })
  .strict();
export type AppConfig = z.infer<typeof configSchema>;

/** Reads config.json; a broken file is reported and left untouched, and the last good config runs. */
export interface ConfigStore {
  readonly path: string;
  get(): AppConfig;
  /** The webhook token: durable, apart from config.json, so a broken config never changes it. */
  token(): string;
  setToken(token: string): void;
  /** Why the file on disk could not be used, or null. */
  error(): string | null;
  update(change: (current: AppConfig) => AppConfig): AppConfig;
}

const OLD_DEFAULT_P1 = ['critical'];

/**
 * Version 1 (no `version` key) kept the token in config.json and mapped only `critical` to P1.
 * Returns the migrated config and the token it carried, if any.
 */
export function migrateConfig(json: unknown): { config: unknown; token: string | null } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { config: json, token: null };
  const raw = json as Record<string, unknown>;
  if (raw['version'] !== undefined) return { config: json, token: null };
  const listener = { ...((raw['listener'] as Record<string, unknown> | undefined) ?? {}) };
  const token = typeof listener['token'] === 'string' ? listener['token'] : null;
  delete listener['token'];
  const config: Record<string, unknown> = { ...raw, version: CONFIG_VERSION, listener };
  const mapping = raw['severityMapping'] as SeverityMapping | undefined;
  if (mapping && Array.isArray(mapping.P1) && mapping.P1.join() === OLD_DEFAULT_P1.join()) {
    config['severityMapping'] = { ...mapping, P1: [...mapping.P1, 'page'] };
  }
  return { config, token };
}

function defaults(): AppConfig {
  return configSchema.parse({ version: CONFIG_VERSION, listener: {} });
}

/**
 * config.json with a version and a migration path, the last config that parsed kept beside it as
 * config.last-good.json, and the listener token in the secret store. A broken file (unknown key,
 * truncated, empty, unreadable) is never overwritten: main runs on the last good config and says so.
 */
export function createConfigStore(file: string, secrets: SecretStore, newToken: () => string): ConfigStore {
  const lastGoodFile = file.replace(/\.json$/, '') + '.last-good.json';
  let error: string | null = null;
  let carriedToken: string | null = null;
  let writeBack = false;

  function parse(raw: string, name: string): AppConfig | string {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      return `${name}: invalid JSON (${(err as Error).message})`;
    }
    const migrated = migrateConfig(json);
    const result = configSchema.safeParse(migrated.config);
    if (!result.success) return `${name}: ${describeIssues(result.error)}`;
    carriedToken ??= migrated.token;
    return result.data;
  }

  function read(path: string): string | null | Error {
    try {
      return fs.readFileSync(path, 'utf8');
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? null : (err as Error);
    }
  }

  function load(): AppConfig {
    const text = read(file);
    if (text === null) {
      const fresh = defaults();
      save(fresh);
      return fresh;
    }
    const parsed = text instanceof Error ? `${file}: ${text.message}` : parse(text, file);
    if (typeof parsed !== 'string') {
      // a migrated file is written back in the new format once its token is safe in the store
      writeBack = carriedToken !== null || !(typeof text === 'string' && /"version"\s*:/.test(text));
      if (!writeBack) writeLastGood(parsed);
      return parsed;
    }
    const lastGood = read(lastGoodFile);
    const fallback = typeof lastGood === 'string' ? parse(lastGood, lastGoodFile) : null;
    const usable = fallback !== null && typeof fallback !== 'string';
    error = `${parsed}; running on the ${usable ? 'last good settings' : 'default settings'} until it is fixed`;
    return usable ? fallback : defaults();
  }

  function writeLastGood(config: AppConfig): void {
    try {
      writeFileAtomic(lastGoodFile, JSON.stringify(config, null, 2));
    } catch {
      // the last-good copy is a convenience; the real file still holds the settings
    }
  }

  function save(config: AppConfig): void {
    try {
      writeFileAtomic(file, JSON.stringify(config, null, 2));
      writeLastGood(config);
    } catch (err) {
      error ??= `cannot write ${file}: ${(err as Error).message}`;
    }
  }

  let config = load();
  let token = loadToken();
  if (writeBack && error === null) save(config);

  function loadToken(): string {
    let stored: string | null = null;
    try {
      stored = secrets.get(LISTENER_TOKEN_SECRET);
    } catch (err) {
      error ??= `cannot read the webhook token: ${(err as Error).message}`;
    }
    if (stored && stored.length >= 16) return stored;
    const value = carriedToken && carriedToken.length >= 16 ? carriedToken : newToken();
    try {
      secrets.set(LISTENER_TOKEN_SECRET, value);
    } catch (err) {
      error ??= `cannot save the webhook token: ${(err as Error).message}`;
    }
    return value;
  }

  return {
    path: file,
    get: () => config,
    token: () => token,
    setToken(next) {
      secrets.set(LISTENER_TOKEN_SECRET, next);
      token = next;
    },
    error: () => error,
    update(change) {
      const next = configSchema.parse(change(config));
      // A file we could not read is the user's to fix; saving over it would destroy their edits.
      if (error !== null) throw new Error(`not saving settings: ${error}`);
      writeFileAtomic(file, JSON.stringify(next, null, 2));
      writeLastGood(next);
      config = next;
      return config;
    },
  };
}
