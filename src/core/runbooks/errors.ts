/** Why a runbook could not be read at all; the catalog key is `runbooks.errors.<code>`. */
export type RunbookErrorCode = 'tooLarge' | 'binary' | 'runStepUnknown' | 'runFinished' | 'runStateInvalid' | 'skipNeedsReason' | 'noteEmpty' | 'recurrenceInvalid' | 'urlNotHttps' | 'tooDeep' | 'notParsedYet';

/** A typed error: the UI translates `code` with `params`, core never builds sentences. */
export class RunbookError extends Error {
  constructor(
    readonly code: RunbookErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code} ${JSON.stringify(params)}`);
    this.name = 'RunbookError';
  }
}
