import { isIP } from 'node:net';
import { ImportError } from './errors';

/** True for loopback, private, link-local, CGNAT and unspecified addresses (v4, v6, v4-mapped). */
export function isPrivateAddress(ip: string): boolean {
  const v = ip.toLowerCase().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v);
  if (mapped) return isPrivateAddress(mapped[1]!);
  if (isIP(v) === 4) {
    const [a, b] = v.split('.').map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (isIP(v) === 6) return v === '::' || v === '::1' || /^f[cd]/.test(v) || /^fe[89ab]/.test(v);
  return false;
}

/** True when the host names this machine: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1' || h === '::ffff:127.0.0.1';
}

/**
 * A feed location the app will fetch: https, or plain http only on this machine (nothing on the
 * network path can then change who is on call). data:, file: and the rest are refused.
 */
export function checkFeedUrl(location: string): URL {
  if (/^\s*data:/i.test(location)) throw new ImportError('imports.dataUrl');
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new ImportError('imports.badUrl', { url: location.slice(0, 200) });
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return url;
    throw new ImportError('imports.notHttps', { url: url.href });
  }
  throw new ImportError('imports.badUrl', { url: url.href.slice(0, 200) });
}
