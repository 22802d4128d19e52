import { z } from 'zod';

/** Turns zod issues into one line such as `alerts[0].fingerprint: expected string`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
      return `${path || '(body)'}: ${i.message}`;
    })
    .join('; ');
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Labels and annotations: an object of strings. Built with Object.fromEntries rather than
 * z.record, because assigning a `__proto__` key would drop that label (or worse); here it is
 * just a label like any other.
 */
export const labelMapSchema = z
  .custom<Record<string, string>>((v) => isRecord(v) && Object.values(v).every((s) => typeof s === 'string'), {
    message: 'expected an object whose values are strings',
  })
  .transform((v) => Object.fromEntries(Object.entries(v)) as Record<string, string>);

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 timestamp with a zone, as Alertmanager and most APIs write them; "0" or "2026" are not times. */
export const rfc3339Schema = z.string().refine((v) => RFC3339.test(v) && !Number.isNaN(Date.parse(v)), { message: 'not an RFC 3339 date-time' });
