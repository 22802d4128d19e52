import { z } from 'zod';
import { SOURCE_KINDS, type SourceKind } from './kinds';
import { shapeError } from './parse';
import { SOURCE_ADAPTERS } from './registry';
import type { SourceError } from './types';

/** A dead-man's switch as the user sets it on a source. */
export const deadmanSettingsSchema = z
  .object({
    watch: z.enum(['heartbeat', 'any-delivery']),
    maxSilenceMinutes: z.number().int().min(1).max(7 * 24 * 60),
  })
  .strict();

/**
 * One configured source as config.json stores it. Secrets are not here: they live in the
 * SecretStore under the source's id. `options` is checked by the kind's adapter.
 */
export const sourceConfigSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'lower-case letters, digits and dashes' }),
    kind: z.enum(SOURCE_KINDS),
    name: z.string().min(1).max(80),
    enabled: z.boolean().default(true),
    options: z.unknown().default({}),
    deadman: deadmanSettingsSchema.nullable().default(null),
  })
  .strict();
/** A configured source, options still unchecked. */
export type SourceConfig = z.infer<typeof sourceConfigSchema>;

/** A configured source whose options its adapter accepted. */
export interface CheckedSource<Options = unknown> extends Omit<SourceConfig, 'options'> {
  kind: SourceKind;
  options: Options;
}

/** Checks a list of sources: each shape, each kind's options, and that ids are unique (they prefix page ids). */
export function parseSourceConfigs(raw: unknown): { ok: true; sources: CheckedSource[] } | { ok: false; error: SourceError } {
  const parsed = z.array(sourceConfigSchema).safeParse(raw);
  if (!parsed.success) return { ok: false, error: shapeError(parsed.error, 'source list') };
  const seen = new Set<string>();
  const sources: CheckedSource[] = [];
  for (const [i, s] of parsed.data.entries()) {
    if (seen.has(s.id)) return { ok: false, error: { code: 'wrongShape', params: { what: 'source list', field: `[${i}].id`, detail: `[${i}].id: "${s.id}" is used twice` } } };
    seen.add(s.id);
    const options = SOURCE_ADAPTERS[s.kind].parseOptions(s.options as never);
    if (!options.ok) {
      const field = `[${i}].options.${String(options.error.params['field'])}`;
      return { ok: false, error: { code: 'wrongShape', params: { ...options.error.params, field } } };
    }
    sources.push({ ...s, options: options.options });
  }
  return { ok: true, sources };
}

/** The configured source a page or signal id belongs to: ids are `${sourceId}:${dedupKey}` and source ids hold no colon. */
export function sourceIdOf(pageId: string): string {
  const i = pageId.indexOf(':');
  return i < 0 ? pageId : pageId.slice(0, i);
}
