/**
 * Why an import was refused. Each code is the i18n key of its text (catalog `imports`), and
 * params fill it in; the source is added where the error is shown.
 */
export type ImportErrorCode =
  | 'imports.timeBudget'
  | 'imports.memoryBudget'
  | 'imports.crashed'
  | 'imports.invalid'
  | 'imports.tooLarge'
  | 'imports.inflatesTooLarge'
  | 'imports.notHttps'
  | 'imports.dataUrl'
  | 'imports.badUrl'
  | 'imports.tooManyRedirects'
  | 'imports.redirectDowngrade'
  | 'imports.redirectPrivate'
  | 'imports.httpStatus'
  | 'imports.network'
  | 'imports.notRegularFile'
  | 'imports.noRotaFile';

/** An import refused as a whole; the stored rota stays in use. */
export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    readonly params: Record<string, string | number> = {},
    message?: string,
  ) {
    super(message ?? `${code} ${JSON.stringify(params)}`);
    this.name = 'ImportError';
  }
}
