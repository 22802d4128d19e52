import type { z } from 'zod';

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
