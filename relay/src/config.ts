import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { relayNameSchema } from '../../src/core/relay/envelope';

const DAY_MS = 24 * 60 * 60 * 1000;

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
  bind: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  dataDir: z.string().min(1).default('./relay-data'),
  backend: z.enum(['embedded', 'redis']).default('embedded'),
  redis: z.strictObject({ url: z.string().min(1).default('redis://127.0.0.1:6379'), keyPrefix: z.string().default('occ-relay:'), maxLen: z.number().int().positive().optional() }).default({ url: 'redis://127.0.0.1:6379', keyPrefix: 'occ-relay:' }),
  retentionDays: z.number().positive().default(7),
  maxBodyBytes: z.number().int().positive().default(32 * 1024 * 1024),
  pingSeconds: z.number().positive().default(15),
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

/** A configuration that cannot be used; the message names the field. */
export class RelayConfigError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`relay config: ${field}: ${detail}`);
  }
}

/** Retention in milliseconds. */
export const retentionMs = (cfg: RelayConfig) => cfg.retentionDays * DAY_MS;

function fieldOf(p: PropertyKey[]): string {
  return p.map((s) => String(s)).join('.') || '(root)';
}

/** Validates a raw object (from a file, the environment and the command line, already merged). */
export function parseRelayConfig(raw: unknown): RelayConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new RelayConfigError(fieldOf(issue.path), issue.message);
  }
  return result.data;
}

/** Reads a JSON or YAML config file (by extension; YAML otherwise). */
export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RelayConfigError('--config', `cannot read ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = path.extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new RelayConfigError('--config', `${file} is not valid ${path.extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new RelayConfigError('(root)', `${file} must hold an object`);
  return value as Record<string, unknown>;
}

function num(env: Record<string, string | undefined>, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new RelayConfigError(name, `not a number: ${JSON.stringify(v)}`);
  return n;
}

/**
 * Settings from the environment: RELAY_BIND, RELAY_PORT, RELAY_DATA, RELAY_BACKEND, RELAY_REDIS_URL,
 * RELAY_RETENTION_DAYS, RELAY_MAX_BODY_BYTES, and per channel RELAY_CHANNEL_<NAME>_INGEST_TOKEN,
 * _SUBSCRIBER_TOKEN and _PAGERDUTY_SECRETS (comma-separated). <NAME> is upper-case; "_" stands for "-" only
 * when the config file already names the channel with a "-".
 */
export function configFromEnv(env: Record<string, string | undefined>, base: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const set = (k: string, v: unknown) => {
    if (v !== undefined && v !== '') out[k] = v;
  };
  set('bind', env.RELAY_BIND);
  set('port', num(env, 'RELAY_PORT'));
  set('dataDir', env.RELAY_DATA);
  set('backend', env.RELAY_BACKEND);
  set('retentionDays', num(env, 'RELAY_RETENTION_DAYS'));
  set('maxBodyBytes', num(env, 'RELAY_MAX_BODY_BYTES'));
  if (env.RELAY_REDIS_URL) out.redis = { ...((base.redis as object) ?? {}), url: env.RELAY_REDIS_URL };
  const baseChannels = (base.channels && typeof base.channels === 'object' ? base.channels : {}) as Record<string, Record<string, unknown>>;
  const channels: Record<string, Record<string, unknown>> = {};
  const nameFor = (envName: string) => Object.keys(baseChannels).find((c) => c.toUpperCase().replace(/-/g, '_') === envName) ?? envName.toLowerCase();
  for (const [k, v] of Object.entries(env)) {
    const m = /^RELAY_CHANNEL_([A-Z0-9_]+?)_(INGEST_TOKEN|SUBSCRIBER_TOKEN|PAGERDUTY_SECRETS)$/.exec(k);
    if (!m || v === undefined) continue;
    const name = nameFor(m[1]!);
    const ch = (channels[name] ??= { ...(baseChannels[name] ?? {}) });
    if (m[2] === 'INGEST_TOKEN') ch.ingestToken = v;
    else if (m[2] === 'SUBSCRIBER_TOKEN') ch.subscriberToken = v;
    else ch.pagerdutySecrets = v.split(',').map((s) => s.trim()).filter(Boolean);
  }
  if (Object.keys(channels).length > 0) out.channels = { ...baseChannels, ...channels };
  return out;
}

/** Merges file < environment < command line, and validates. */
export function loadRelayConfig(opts: { file?: string; env: Record<string, string | undefined>; cli: Record<string, unknown> }): RelayConfig {
  const fromFile = opts.file ? readConfigFile(opts.file) : {};
  const fromEnv = configFromEnv(opts.env, fromFile);
  return parseRelayConfig({ ...fromFile, ...fromEnv, ...opts.cli });
}
