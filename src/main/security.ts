/** Only http(s) links may leave the app; file:, javascript:, custom schemes and the like never do. */
export function isSafeExternalUrl(url: string): boolean {
  return safeExternalUrl(url) !== null;
}

/**
 * The link as the browser should get it: parsed and re-serialized (`new URL(x).href`), so what
 * the OS opens is exactly what was checked; null for anything but an http(s) URL with a host.
 */
export function safeExternalUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0 ? u.href : null;
  } catch {
    return null;
  }
}

/** The renderer's own scheme: served by main from dist/renderer, never from file://. */
export const APP_SCHEME = 'app';
/** The one host of that scheme; a standard scheme needs one, and it makes the origin app://oncall. */
export const APP_HOST = 'oncall';
/** Where the window starts, and the only top-level page trusted to use IPC. */
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The CSP for the renderer: nothing but the app's own files, no inline script, no remote anything. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
  "frame-src 'none'",
].join('; ');

/** A sender is trusted only if it is the app's own top-level page (same scheme, host and path; the hash may differ). */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const u = new URL(url);
    const app = new URL(appUrl);
    return u.protocol === app.protocol && u.host === app.host && u.pathname === app.pathname;
  } catch {
    return false;
  }
}
