import { protocol } from 'electron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from '../security';

/** What each file the renderer build contains is served as; anything else is a download-type blob. */
const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
};

/** The Content-Type for a file name. */
export function mimeTypeOf(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Registers app:// as standard (relative URLs and an origin), secure (like https: for the CSP
 * and secure-context APIs), able to use fetch, with V8's code cache (a faster start). Never
 * bypassCSP and no service workers. Electron allows this only before `ready`.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

/**
 * The file under `root` an app:// URL names, or null: another host, `..` or encoded separators,
 * NUL bytes and anything that would leave root are refused. "/" is index.html.
 */
export function resolveAppPath(root: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\') || rel.split('/').some((seg) => seg === '..')) return null;
  if (rel === '/' || rel === '') rel = '/index.html';
  const base = path.resolve(root);
  const file = path.resolve(base, `.${rel}`);
  return file.startsWith(base + path.sep) ? file : null;
}

/** A file served from the renderer build, or a plain status; the CSP rides on every answer. */
export async function serveAppRequest(root: string, request: { url: string; method: string }): Promise<Response> {
  const headers = { 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' };
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers });
  const file = resolveAppPath(root, request.url);
  if (!file) return new Response(null, { status: 404, headers });
  try {
    // a symlink inside the build must not lead out of it either
    const real = await fs.promises.realpath(file);
    const realRoot = await fs.promises.realpath(root);
    if (!real.startsWith(realRoot + path.sep)) return new Response(null, { status: 404, headers });
    const stat = await fs.promises.stat(real);
    if (!stat.isFile()) return new Response(null, { status: 404, headers });
    const body = request.method === 'HEAD' ? null : new Uint8Array(await fs.promises.readFile(real));
    return new Response(body, { status: 200, headers: { ...headers, 'content-type': mimeTypeOf(real) } });
  } catch {
    return new Response(null, { status: 404, headers });
  }
}

/** Serves app:// from the renderer build folder (after `ready`). */
export function handleAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(root, request));
}
