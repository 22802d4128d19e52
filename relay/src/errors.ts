import { RelayConfigError } from './config';

/** A command-line mistake (unknown flag, malformed value): the CLI prints the usage text after it. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `scheme://user:password@` → `scheme://user:***@`, wherever it appears in a message. */
export function hideUrlPasswords(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]*@/gi, '$1***@');
}

/**
 * An error as the operator should read it: its message, then each cause on its own line, so the
 * reason under a wrapper ("Database failed to open" → "lock … already held") is not lost. Config
 * errors are printed as they are (one line per setting). Passwords in URLs never appear.
 */
export function describeError(err: unknown): string {
  if (err instanceof RelayConfigError) return hideUrlPasswords(err.message);
  const lines: string[] = [];
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e !== undefined && e !== null && !seen.has(e) && lines.length < 8) {
    seen.add(e);
    const ex = e as { message?: unknown; code?: unknown; cause?: unknown };
    const message = typeof ex.message === 'string' ? ex.message : String(e);
    const code = typeof ex.code === 'string' && !message.includes(ex.code) ? ` (${ex.code})` : '';
    lines.push(lines.length === 0 ? `relay: ${message}${code}` : `  because: ${message}${code}`);
    e = ex.cause;
  }
  return hideUrlPasswords(lines.join('\n'));
}
