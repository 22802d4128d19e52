/** Why an incident action was refused; the catalog key is `incidents.errors.<code>`. */
export type IncidentErrorCode = 'noPages' | 'textEmpty' | 'titleEmpty' | 'unknownStatus' | 'outageAfterDetection' | 'intervalInvalid';

/** A typed error: a code and params, translated by the UI. */
export class IncidentError extends Error {
  constructor(
    readonly code: IncidentErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code} ${JSON.stringify(params)}`);
    this.name = 'IncidentError';
  }
}
