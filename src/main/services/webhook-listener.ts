import * as http from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** 1 MiB: Alertmanager groups are small; anything larger is a mistake or an attack. */
export const MAX_BODY_BYTES = 1024 * 1024;
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

/** A route receives the parsed JSON body and returns the JSON answer. */
export type JsonRoute = (body: unknown) => Promise<unknown> | unknown;

export interface WebhookListenerOptions {
  host: string;
  port: number;
  token: () => string;
  routes: Record<string, JsonRoute>;
  maxBodyBytes?: number;
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
    const url = new URL(req.url ?? '/', 'http://listener');
    const route = opts.routes[url.pathname];
    if (!route) return reply(res, 404, { error: `no webhook at ${url.pathname}` });
    if (req.method !== 'POST') return reply(res, 405, { error: 'use POST' }, { allow: 'POST' });
    const authError = authorize(req);
    if (authError) {
      drain(req);
      return reply(res, 401, { error: authError }, { 'www-authenticate': 'Bearer' });
    }
    const type = req.headers['content-type'];
    if (type && !/^application\/json\b/i.test(type)) {
      drain(req);
      return reply(res, 415, { error: `content-type must be application/json, got ${type}` });
    }
    const raw = await readBody(req, res);
    if (raw === null) return;
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      return reply(res, 400, { error: `invalid JSON: ${(err as Error).message}` });
    }
    try {
      reply(res, 200, await route(body));
    } catch (err) {
      if (err instanceof HttpError) return reply(res, err.status, { error: err.message });
      // 5xx makes Alertmanager retry, which is what we want if we could not store the page
      reply(res, 500, { error: `could not accept the webhook: ${(err as Error).message}` });
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
