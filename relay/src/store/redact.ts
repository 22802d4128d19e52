/** A URL fit for logs and error messages: any password (and a user name with it) replaced by `***`. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not parseable: show only the scheme, in case the rest holds a secret.
    return `${/^[a-z][a-z0-9+.-]*:/i.exec(raw)?.[0] ?? ''}//(unparseable URL)`;
  }
  if (url.password) url.password = '***';
  return url.toString().replace(/\/$/, '');
}
