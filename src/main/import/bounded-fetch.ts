import { lookup } from 'node:dns/promises';
import { ImportError } from './errors';
import { checkFeedUrl, isLoopbackHost, isPrivateAddress } from './feed-url';

/** Redirects followed at most; a sixth is refused. */
export const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Resolves a host name to its addresses, to tell a public name from one pointing inside. */
export type HostLookup = (host: string) => Promise<string[]>;

/** How a feed is fetched: the fetch to use, the body limit, validators, timeout and host lookup. */
export interface FeedFetchOptions {
  fetch: typeof fetch;
  /** Bytes of body after decompression; reading stops before more is taken in. */
  maxBytes: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  lookup?: HostLookup;
}

/** What a feed answered: unchanged since the validators, or its body as bytes. */
export type FeedResponse =
  | { status: 'unchanged' }
  | { status: 'ok'; bytes: Uint8Array; etag: string | null; lastModified: string | null; url: string };

/** Where a URL's host is: this machine, the local network, or the internet. */
type Reach = 'loopback' | 'private' | 'public';
const RANK: Record<Reach, number> = { public: 0, private: 1, loopback: 2 };

async function reachOf(url: URL, lookup: HostLookup | undefined): Promise<Reach> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isLoopbackHost(host)) return 'loopback';
  if (isPrivateAddress(host)) return 'private';
  if (!lookup) return 'public';
  const addresses = await lookup(host).catch(() => [] as string[]);
  if (addresses.some((a) => isLoopbackHost(a))) return 'loopback';
  return addresses.some((a) => isPrivateAddress(a)) ? 'private' : 'public';
}

/**
 * Reads a body chunk by chunk and stops at the limit: the rest is never read, so a 200 MiB feed
 * or a gzip bomb costs at most the limit in memory. fetch inflates gzip/deflate/br as it streams,
 * so the limit applies to what the body inflates to.
 */
export async function readBounded(res: Response, maxBytes: number): Promise<Uint8Array> {
  const encoded = (res.headers.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity';
  const tooLarge = () => new ImportError(encoded ? 'imports.inflatesTooLarge' : 'imports.tooLarge', { megabytes: Math.round((maxBytes / 1024 / 1024) * 10) / 10 });
  const declared = Number(res.headers.get('content-length'));
  if (!encoded && Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  // a declared length is written straight into one buffer: a big feed then costs its size once,
  // not chunks plus their copy (a length that lies is caught below either way)
  const known = !encoded && Number.isFinite(declared) && declared > 0 ? new Uint8Array(declared) : null;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    if (known && total + value.byteLength <= known.length) known.set(value, total);
    else chunks.push(value);
    total += value.byteLength;
  }
  if (known && chunks.length === 0) return total === known.length ? known : known.slice(0, total);
  if (known) chunks.unshift(known.subarray(0, total - chunks.reduce((n, c) => n + c.byteLength, 0)));
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** A short reason for a failed request: "timeout", a system code such as ECONNREFUSED, or the message. */
function networkReason(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || (e.cause as { name?: string } | undefined)?.name === 'TimeoutError') return 'timeout';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

/**
 * GETs a feed with redirects followed by hand: at most five, never https → http, and never
 * further in than the original address (public → private network → loopback), so a feed cannot
 * become a probe of the LAN or of this machine. HTTP errors, refusals and oversize bodies reject with ImportError.
 */
export async function fetchFeed(location: string, opts: FeedFetchOptions): Promise<FeedResponse> {
  const original = checkFeedUrl(location);
  const originalReach = await reachOf(original, opts.lookup);
  let url = original;
  for (let hops = 0; ; hops++) {
    let res: Response;
    try {
      res = await opts.fetch(url.href, { headers: opts.headers, redirect: 'manual', signal: opts.signal });
    } catch (err) {
      throw new ImportError('imports.network', { url: url.href, reason: networkReason(err) });
    }
    if (REDIRECTS.has(res.status)) {
      await res.body?.cancel().catch(() => undefined);
      const to = res.headers.get('location');
      if (!to) throw new ImportError('imports.httpStatus', { url: url.href, status: res.status });
      if (hops + 1 > MAX_REDIRECTS) throw new ImportError('imports.tooManyRedirects', { url: original.href, max: MAX_REDIRECTS });
      let next: URL;
      try {
        next = new URL(to, url);
      } catch {
        throw new ImportError('imports.badUrl', { url: to.slice(0, 200) });
      }
      if (url.protocol === 'https:' && next.protocol !== 'https:') throw new ImportError('imports.redirectDowngrade', { from: url.href, to: next.href });
      // a redirect may not reach further in than the address the user gave: public → LAN → this machine
      if (RANK[await reachOf(next, opts.lookup)] > RANK[originalReach]) throw new ImportError('imports.redirectPrivate', { from: url.href, to: next.href });
      url = checkFeedUrl(next.href);
      continue;
    }
    if (res.status === 304) {
      await res.body?.cancel().catch(() => undefined);
      return { status: 'unchanged' };
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new ImportError('imports.httpStatus', { url: url.href, status: res.status });
    }
    let bytes: Uint8Array;
    try {
      bytes = await readBounded(res, opts.maxBytes);
    } catch (err) {
      if (err instanceof ImportError) throw err;
      // the connection dropped or the 30 s timeout hit mid-body
      throw new ImportError('imports.network', { url: url.href, reason: networkReason(err) });
    }
    return { status: 'ok', bytes, etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified'), url: url.href };
  }
}

/** Host lookup through the system resolver, every address. */
export const dnsLookup: HostLookup = async (host) => (await lookup(host, { all: true })).map((a) => a.address);
