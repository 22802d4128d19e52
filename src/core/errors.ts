/** Parameters of a typed error, interpolated into its translated text. */
export type ErrorParams = Record<string, string | number | boolean | null>;

/** A typed error as it crosses IPC: a code (its text is `errors.<code>` in the catalogs) plus parameters. */
export interface AppErrorData {
  code: string;
  params: ErrorParams;
}

/** An error the user may see: translated from its code, never shown as raw English. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly params: ErrorParams = {},
    message?: string,
  ) {
    super(message ?? `${code} ${JSON.stringify(params)}`);
    this.name = 'AppError';
  }
}

/** Every IPC reply: the value, or a typed error. Nothing is thrown across the boundary. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };

/** Turns anything thrown into a typed error; unknown errors keep their message as a parameter. */
export function toErrorData(err: unknown): AppErrorData {
  if (err instanceof AppError) return { code: err.code, params: err.params };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'generic', params: { message } };
}
