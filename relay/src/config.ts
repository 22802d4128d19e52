import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { relayNameSchema } from '../../src/core/relay/envelope';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The app treats 45 s without a byte as a stalled stream; pings at most every 30 s leave room for one late one. */
export const MAX_PING_SECONDS = 30;

/** An address to listen on: an IP address, or a host name (which must resolve to a local address). */
const bindSchema = z.string().refine(
  (v) => isIP(v) !== 0 || (!/^[\d.]+$/.test(v) && /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(v)),
  { error: (iss) => `not an IP address or host name: ${JSON.stringify(String(iss.input)).slice(0, 80)}` },
);

const channelSchema = z.strictObject({
  /** Bearer token that senders present on POST /hooks/<channel>/<source>. */
  ingestToken: z.string().min(16, 'at least 16 characters').optional(),
  /** PagerDuty v3 webhook secrets: a POST with a valid X-PagerDuty-Signature is accepted without the bearer token. */
  pagerdutySecrets: z.array(z.string().min(1)).optional(),
  /** Extra request headers to keep with each event (a source's timestamp header, say); names in any case. */
  keepHeaders: z.array(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a header name')).max(32).default([]).transform((a) => a.map((h) => h.toLowerCase())),
  /** Bearer token of the app(s) that subscribe; must differ from the ingest token. */
  subscriberToken: z.string().min(16, 'at least 16 characters'),
});

const configSchema = z.strictObject({
  bind: bindSchema.default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  dataDir: z.string().min(1).default('./relay-data'),
  backend: z.enum(['embedded', 'redis']).default('embedded'),
  redis: z.strictObject({ url: z.string().min(1).default('redis://127.0.0.1:6379'), keyPrefix: z.string().default('occ-relay:'), maxLen: z.number().int().positive().optional() }).default({ url: 'redis://127.0.0.1:6379', keyPrefix: 'occ-relay:' }),
  retentionDays: z.number().positive().default(7),
  maxBodyBytes: z.number().int().positive().default(32 * 1024 * 1024),
  pingSeconds: z.number().positive().max(MAX_PING_SECONDS, `at most ${MAX_PING_SECONDS}: the app takes 45 s without a byte for a stalled stream`).default(15),
  maxSubscribersPerChannel: z.number().int().positive().default(16),
  /** A subscriber whose socket stays backed up this long, or buffers more than maxBufferedBytes, is disconnected. */
  slowClientSeconds: z.number().positive().default(30),
  maxBufferedBytes: z.number().int().positive().default(8 * 1024 * 1024),
  channels: z.record(relayNameSchema, channelSchema).refine((c) => Object.keys(c).length > 0, 'at least one channel'),
}).superRefine((cfg, ctx) => {
  for (const [name, ch] of Object.entries(cfg.channels)) {
    if (!ch.ingestToken && !ch.pagerdutySecrets?.length) ctx.addIssue({ code: 'custom', path: ['channels', name, 'ingestToken'], message: 'a channel needs an ingestToken or pagerdutySecrets' });
    if (ch.ingestToken && ch.ingestToken === ch.subscriberToken) ctx.addIssue({ code: 'custom', path: ['channels', name, 'subscriberToken'], message: 'must differ from ingestToken' });
  }
});

/** The relay's validated configuration. */
export type RelayConfig = z.infer<typeof configSchema>;
/** One channel's secrets. */
export type ChannelConfig = z.infer<typeof channelSchema>;

/** One problem with one setting. */
export interface RelayConfigIssue {
  /** The setting, e.g. `channels.ops.ingestToken`, with where it came from when not the file: `port (RELAY_PORT)`. */
  field: string;
  detail: string;
}

/** A configuration that cannot be used; one line per problem, each naming its setting. */
export class RelayConfigError extends Error {
  /** Every problem found, not only the first. */
  readonly issues: readonly RelayConfigIssue[];
  constructor(issues: RelayConfigIssue[]) {
    super(issues.map((i) => `relay config: ${i.field}: ${i.detail}`).join('\n'));
    this.name = 'RelayConfigError';
    this.issues = issues;
  }

  /** The first setting named (for callers that show one). */
  get field(): string {
    return this.issues[0]?.field ?? '(root)';
  }
}

/** A config error with a single issue. */
const configError = (field: string, detail: string) => new RelayConfigError([{ field, detail }]);

/** Retention in milliseconds. */
export const retentionMs = (cfg: RelayConfig) => cfg.retentionDays * DAY_MS;

function fieldOf(p: PropertyKey[]): string {
  return p.map((s) => String(s)).join('.') || '(root)';
}

/**
 * Validates a raw object (from a file, the environment and the command line, already merged).
 * `origins` names where a top-level setting came from (`RELAY_PORT`, `--port`), so the message does too.
 */
export function parseRelayConfig(raw: unknown, origins: Record<string, string> = {}, earlier: RelayConfigIssue[] = []): RelayConfig {
  const result = configSchema.safeParse(raw);
  const issues = [...earlier];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = fieldOf(issue.path);
      const origin = typeof issue.path[0] === 'string' ? origins[issue.path[0]] : undefined;
      issues.push({ field: origin ? `${field} (${origin})` : field, detail: issue.message });
    }
  }
  if (issues.length > 0 || !result.success) throw new RelayConfigError(issues);
  return result.data;
}

/** Reads a JSON or YAML config file (by extension; YAML otherwise). */
export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw configError('--config', `cannot read ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = path.extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw configError('--config', `${file} is not valid ${path.extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw configError('(root)', `${file} must hold an object`);
  return value as Record<string, unknown>;
}

/**
 * A setting given as text (environment, command line): plain decimal only, so `0x50`, `1e3` or an empty
 * `--port ''` are refused rather than read as 80, 1000 or 0. Problems are collected in `issues`.
 */
export function decimalSetting(value: string, name: string, issues: RelayConfigIssue[], opts: { integer?: boolean; max?: number } = {}): number | undefined {
  const ok = opts.integer ? /^\d{1,15}$/.test(value) : /^\d{1,15}(\.\d{1,15})?$/.test(value);
  const n = Number(value);
  if (!ok || (opts.max !== undefined && n > opts.max)) {
    const range = opts.max !== undefined ? ` 0–${opts.max}` : '';
    issues.push({ field: name, detail: `not a ${opts.integer ? 'whole ' : ''}decimal number${range}: ${JSON.stringify(value).slice(0, 40)}` });
    return undefined;
  }
  return n;
}

/** Settings read from the environment, and which variable each top-level one came from. */
export interface EnvSettings {
  values: Record<string, unknown>;
  origins: Record<string, string>;
  issues: RelayConfigIssue[];
}

const CHANNEL_ENV = /^RELAY_CHANNEL_([A-Z0-9_]+?)_(INGEST_TOKEN|SUBSCRIBER_TOKEN|PAGERDUTY_SECRETS|NAME)$/;

/**
 * Settings from the environment: RELAY_BIND, RELAY_PORT, RELAY_DATA, RELAY_BACKEND, RELAY_REDIS_URL,
 * RELAY_RETENTION_DAYS, RELAY_MAX_BODY_BYTES, RELAY_PING_SECONDS, and per channel
 * RELAY_CHANNEL_<KEY>_INGEST_TOKEN, _SUBSCRIBER_TOKEN, _PAGERDUTY_SECRETS (comma-separated) and _NAME.
 * Variable names cannot carry "-" or lower case, so <KEY> names the channel thus: _NAME when set (any
 * channel name, e.g. `team-A`); else the file's channel whose name upper-cased with "-" as "_" is <KEY>;
 * else <KEY> in lower case (so `TEAM_A` is `team_a`).
 */
export function readEnvSettings(env: Record<string, string | undefined>, base: Record<string, unknown> = {}): EnvSettings {
  const values: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  const issues: RelayConfigIssue[] = [];
  const set = (k: string, name: string, v: unknown) => {
    if (v === undefined || v === '') return;
    values[k] = v;
    origins[k] = name;
  };
  const number = (name: string, opts: { integer?: boolean; max?: number } = {}) => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : decimalSetting(v, name, issues, opts);
  };
  set('bind', 'RELAY_BIND', env.RELAY_BIND);
  set('port', 'RELAY_PORT', number('RELAY_PORT', { integer: true, max: 65535 }));
  set('dataDir', 'RELAY_DATA', env.RELAY_DATA);
  set('backend', 'RELAY_BACKEND', env.RELAY_BACKEND);
  set('retentionDays', 'RELAY_RETENTION_DAYS', number('RELAY_RETENTION_DAYS'));
  set('maxBodyBytes', 'RELAY_MAX_BODY_BYTES', number('RELAY_MAX_BODY_BYTES', { integer: true }));
  set('pingSeconds', 'RELAY_PING_SECONDS', number('RELAY_PING_SECONDS'));
  if (env.RELAY_REDIS_URL) set('redis', 'RELAY_REDIS_URL', { ...((base.redis as object) ?? {}), url: env.RELAY_REDIS_URL });
  const baseChannels = (base.channels && typeof base.channels === 'object' ? base.channels : {}) as Record<string, Record<string, unknown>>;
  const found = new Map<string, Record<string, string>>();
  for (const [k, v] of Object.entries(env)) {
    const m = CHANNEL_ENV.exec(k);
    if (!m || v === undefined) continue;
    const fields = found.get(m[1]!) ?? {};
    fields[m[2]!] = v;
    found.set(m[1]!, fields);
  }
  const channels: Record<string, Record<string, unknown>> = {};
  for (const [envKey, fields] of found) {
    const name = fields.NAME?.trim() || (Object.keys(baseChannels).find((c) => c.toUpperCase().replace(/-/g, '_') === envKey) ?? envKey.toLowerCase());
    const ch = (channels[name] ??= { ...(baseChannels[name] ?? {}) });
    if (fields.INGEST_TOKEN !== undefined) ch.ingestToken = fields.INGEST_TOKEN;
    if (fields.SUBSCRIBER_TOKEN !== undefined) ch.subscriberToken = fields.SUBSCRIBER_TOKEN;
    if (fields.PAGERDUTY_SECRETS !== undefined) ch.pagerdutySecrets = fields.PAGERDUTY_SECRETS.split(',').map((s) => s.trim()).filter(Boolean);
  }
  if (Object.keys(channels).length > 0) set('channels', 'RELAY_CHANNEL_*', { ...baseChannels, ...channels });
  return { values, origins, issues };
}

/** The environment's settings as a raw object (see readEnvSettings); throws on a malformed number. */
export function configFromEnv(env: Record<string, string | undefined>, base: Record<string, unknown> = {}): Record<string, unknown> {
  const { values, issues } = readEnvSettings(env, base);
  if (issues.length > 0) throw new RelayConfigError(issues);
  return values;
}

/**
 * Merges file < environment < command line, and validates, reporting every problem at once. `cliOrigins`
 * names the flag each command-line setting came from (`port` → `--port`).
 */
export function loadRelayConfig(opts: { file?: string; env: Record<string, string | undefined>; cli: Record<string, unknown>; cliOrigins?: Record<string, string>; cliIssues?: RelayConfigIssue[] }): RelayConfig {
  const fromFile = opts.file ? readConfigFile(opts.file) : {};
  const fromEnv = readEnvSettings(opts.env, fromFile);
  const origins = { ...fromEnv.origins, ...(opts.cliOrigins ?? {}) };
  return parseRelayConfig({ ...fromFile, ...fromEnv.values, ...opts.cli }, origins, [...fromEnv.issues, ...(opts.cliIssues ?? [])]);
}
