import * as http from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/**
 * 32 MiB by default (configurable): an Alertmanager group of 10,000 alerts is about 6.5 MB, and
 * Alertmanager never retries a 4xx, so a limit that is too small loses pages without a trace.
 */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** After refusing an oversized body we read at most this much more before hanging up. */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

/** Thrown by a route handler to answer with a 4xx and a reason. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What a route receives: the body byte for byte (so signatures can be checked) and the headers. */
export interface WebhookRequest {
  raw: Buffer;
  headers: http.IncomingHttpHeaders;
  /** The request target, with its query (a token in the URL for tools that cannot set headers). */
  url: string;
}

/** A route handler receives the raw request and returns the JSON answer, or throws HttpError. */
export type WebhookHandler = (request: WebhookRequest) => Promise<unknown> | unknown;

/**
 * A route: a handler behind the listener's bearer token, or `{ handle, auth: 'own' }` for a
 * source that proves itself another way (an HMAC signature over the raw body, or a token in the
 * URL for tools that cannot set headers); such a handler must refuse with HttpError(401) itself.
 */
export type WebhookRoute = WebhookHandler | { handle: WebhookHandler; auth: 'own' };

/** Every answer the listener gave on a route, so refusals can be counted and shown. */
export type OutcomeListener = (path: string, status: number, reason: string | null) => void;

export interface WebhookListenerOptions {
  host: string;
  port: number;
  token: () => string;
  routes: Record<string, WebhookRoute>;
  maxBodyBytes?: number;
  onOutcome?: OutcomeListener;
  /** Resolves once what the handlers took in is on disk: a 200 is sent only after it (a failure answers 500, so the sender retries). */
  durable?: () => Promise<void>;
}

/** The local webhook listener; binds only where configured (127.0.0.1 by default). */
export interface WebhookListener {
  start(): Promise<number>;
  stop(): Promise<void>;
  port(): number | null;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Compares in constant time; hashing first hides the token's length too. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected)) && expected.length > 0;
}

function reply(res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

export function createWebhookListener(opts: WebhookListenerOptions): WebhookListener {
  const limit = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  let server: http.Server | null = null;

  function authorize(req: http.IncomingMessage): string | null {
    const header = req.headers.authorization;
    if (!header) return 'missing Authorization: Bearer token';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match?.[1]) return 'Authorization header is not a Bearer token';
    return tokenMatches(match[1], opts.token()) ? null : 'wrong bearer token';
  }

  function readBody(req: http.IncomingMessage, res: http.ServerResponse): Promise<Buffer | null> {
    return new Promise((resolve) => {
      const declared = Number(req.headers['content-length'] ?? '0');
      const tooLarge = () => `body exceeds ${limit} bytes`;
      if (declared > limit) {
        reply(res, 413, { error: tooLarge() }, { connection: 'close' });
        drain(req);
        resolve(null);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let refused = false;
      req.on('data', (chunk: Buffer) => {
        if (refused) return;
        size += chunk.length;
        if (size > limit) {
          refused = true;
          chunks.length = 0;
          reply(res, 413, { error: tooLarge() }, { connection: 'close' });
          drain(req);
          resolve(null);
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        if (!refused) resolve(Buffer.concat(chunks));
      });
      req.on('error', () => resolve(null));
    });
  }

  // Reading the rest lets the client see our 413 instead of a reset; past a cap we hang up.
  function drain(req: http.IncomingMessage): void {
    let drained = 0;
    req.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > MAX_DRAIN_BYTES) req.destroy();
    });
    req.resume();
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://listener').pathname;
    } catch {
      drain(req);
      return reply(res, 400, { error: 'malformed request target' }, { connection: 'close' });
    }
    if (!Object.hasOwn(opts.routes, pathname)) return reply(res, 404, { error: `no webhook at ${pathname}` });
    const route = opts.routes[pathname]!;
    const refuse = (status: number, error: string, extra: Record<string, string> = {}) => {
      opts.onOutcome?.(pathname, status, error);
      reply(res, status, { error }, extra);
    };
    if (req.method !== 'POST') return refuse(405, 'use POST', { allow: 'POST' });
    const ownAuth = typeof route !== 'function';
    const handler = typeof route === 'function' ? route : route.handle;
    const authError = ownAuth ? null : authorize(req);
    if (authError) {
      drain(req);
      return refuse(401, authError, { 'www-authenticate': 'Bearer' });
    }
    const type = req.headers['content-type'];
    if (type && !/^application\/json\b/i.test(type)) {
      drain(req);
      return refuse(415, `content-type must be application/json, got ${type}`);
    }
    const raw = await readBody(req, res);
    if (raw === null) {
      if (res.statusCode === 413) opts.onOutcome?.(pathname, 413, `body exceeds ${limit} bytes`);
      return;
    }
    try {
      const answer = await handler({ raw, headers: req.headers, url: req.url ?? '/' });
      await opts.durable?.();
      opts.onOutcome?.(pathname, 200, null);
      reply(res, 200, answer);
    } catch (err) {
      if (err instanceof HttpError) return refuse(err.status, err.message);
      // 5xx makes Alertmanager retry, which is what we want if we could not store the page
      refuse(500, `could not accept the webhook: ${(err as Error).message}`);
    }
  }

  return {
    start() {
      return new Promise((resolve, reject) => {
        const s = http.createServer((req, res) => {
          handle(req, res).catch((err: Error) => reply(res, 500, { error: err.message }));
        });
        s.headersTimeout = 10_000;
        s.requestTimeout = 30_000;
        s.once('error', reject);
        s.listen(opts.port, opts.host, () => {
          s.off('error', reject);
          server = s;
          resolve((s.address() as AddressInfo).port);
        });
      });
    },
    stop() {
      const s = server;
      server = null;
      if (!s) return Promise.resolve();
      return new Promise((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
    port() {
      return server ? (server.address() as AddressInfo).port : null;
    },
  };
}
