import { ImportError } from './errors';

/** How a job's own error crosses the thread boundary (Error instances lose their class there). */
export interface SerializedJobError {
  name: string;
  message: string;
  code?: string;
  params?: Record<string, unknown>;
}

/** An importer's error as plain data: its name, text, and typed code and params where it has them. */
export function serializeJobError(err: unknown): SerializedJobError {
  if (err instanceof Error) {
    const { code, params } = err as Error & { code?: unknown; params?: unknown };
    return {
      name: err.name,
      message: err.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(params && typeof params === 'object' ? { params: { ...(params as Record<string, unknown>) } } : {}),
    };
  }
  return { name: 'Error', message: String(err) };
}

/** The importer's own refusal, back in main: `imports.invalid` carrying its code and params, whose text names the line or field. */
export function jobFailure(error: SerializedJobError): ImportError {
  const { code, params, message, name } = error;
  const detail = { ...(params as Record<string, string | number>), message, jobError: name, ...(code ? { jobCode: code } : {}) };
  return new ImportError('imports.invalid', detail, `${name}: ${message}`);
}
