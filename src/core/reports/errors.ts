/** Why a report could not be read back; the catalog key is `reports.errors.<code>`. */
export type ReportErrorCode = 'jsonInvalid' | 'schemaMismatch' | 'markdownInvalid' | 'windowInvalid';

/** A typed error: a code and params, translated by the UI. */
export class ReportError extends Error {
  constructor(
    readonly code: ReportErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code} ${JSON.stringify(params)}`);
    this.name = 'ReportError';
  }
}

/** The translate function core report builders take, so core stays free of UI state. */
export type Translate = (key: string, params?: Record<string, unknown>) => string;
