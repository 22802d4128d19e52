import type { Severity } from '../../../core/severity';

/** P1–P4 as a coloured badge; colour plus text, so it reads without colour too. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge sev sev-${severity.toLowerCase()}`}>{severity}</span>;
}
