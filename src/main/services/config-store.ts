import * as fs from 'node:fs';
import { z } from 'zod';
import { describeIssues } from '../../core/validation';
import { DEFAULT_SEVERITY_MAPPING, severityMappingSchema } from '../../core/severity';
import { writeFileAtomic } from './atomic-file';

/** Default listener port: next to Alertmanager's 9093/9094, unlikely to clash. */
export const DEFAULT_LISTENER_PORT = 9797;

export const configSchema = z
  .object({
    listener: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(DEFAULT_LISTENER_PORT),
        token: z.string().min(16, 'token must be at least 16 characters'),
      })
      .strict(),
    severityMapping: severityMappingSchema.default(DEFAULT_SEVERITY_MAPPING),
  })
  .strict();
export type AppConfig = z.infer<typeof configSchema>;

/** Reads and writes config.json; a broken file is reported and left untouched, never overwritten. */
export interface ConfigStore {
  readonly path: string;
  get(): AppConfig;
  /** Why the file on disk could not be used, or null. */
  error(): string | null;
  update(change: (current: AppConfig) => AppConfig): AppConfig;
}

export function createConfigStore(file: string, newToken: () => string): ConfigStore {
  let error: string | null = null;
  let config: AppConfig;
  const defaults = (): AppConfig => ({
    listener: { host: '127.0.0.1', port: DEFAULT_LISTENER_PORT, token: newToken() },
    severityMapping: DEFAULT_SEVERITY_MAPPING,
  });

  let text: string | null = null;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') error = `${file}: ${(err as Error).message}`;
  }
  if (text === null) {
    config = defaults();
    if (error === null) writeFileAtomic(file, JSON.stringify(config, null, 2));
  } else {
    config = parse(text);
  }

  function parse(raw: string): AppConfig {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      error = `${file}: invalid JSON (${(err as Error).message}); using defaults until it is fixed`;
      return defaults();
    }
    const result = configSchema.safeParse(json);
    if (!result.success) {
      error = `${file}: ${describeIssues(result.error)}; using defaults until it is fixed`;
      return defaults();
    }
    return result.data;
  }

  return {
    path: file,
    get: () => config,
    error: () => error,
    update(change) {
      const next = configSchema.parse(change(config));
      // A file we could not read is the user's to fix; saving over it would destroy their edits.
      if (error !== null) throw new Error(`not saving settings: ${error}`);
      writeFileAtomic(file, JSON.stringify(next, null, 2));
      config = next;
      return config;
    },
  };
}
