import { z } from 'zod';

/** Priorities from the ops handbook: P1 critical (15 min) down to P4 best effort. */
export const SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Which `severity` label values map to each priority; anything unlisted falls to `fallback`. */
export const severityMappingSchema = z
  .object({
    P1: z.array(z.string().min(1)),
    P2: z.array(z.string().min(1)),
    P3: z.array(z.string().min(1)),
    P4: z.array(z.string().min(1)),
    fallback: z.enum(SEVERITIES),
  })
  .strict();
export type SeverityMapping = z.infer<typeof severityMappingSchema>;

/**
 * The default mapping. `page` is what SLO burn-rate alerts (sloth, pyrra) use for "wake someone
 * up", so it is a P1 rather than falling through to the fallback.
 */
export const DEFAULT_SEVERITY_MAPPING: SeverityMapping = {
  P1: ['critical', 'page'],
  P2: ['error', 'high'],
  P3: ['warning'],
  P4: ['info'],
  fallback: 'P4',
};

/**
 * Maps a `severity` label to P1–P4. Matching is case-insensitive and a label that already
 * says "P1".."P4" is taken as it is, because teams that page by priority label that way.
 */
export function mapSeverity(label: string | undefined, mapping: SeverityMapping = DEFAULT_SEVERITY_MAPPING): Severity {
  if (label === undefined) return mapping.fallback;
  const value = label.trim().toLowerCase();
  const literal = value.toUpperCase();
  if ((SEVERITIES as readonly string[]).includes(literal)) return literal as Severity;
  for (const sev of SEVERITIES) {
    if (mapping[sev].some((v) => v.toLowerCase() === value)) return sev;
  }
  return mapping.fallback;
}

/** Lower rank = more urgent; used for sorting. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
