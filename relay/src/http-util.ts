import type * as http from 'node:http';

/** Why the relay refused a request; the app's catalog (relay.errors.<code>) holds the texts. */
export type RefusalCode =
  | 'notFound'
  | 'methodNotAllowed'
  | 'unknownChannel'
  | 'badName'
  | 'missingToken'
  | 'wrongToken'
  | 'badSignature'
  | 'replayed'
  | 'tooLarge'
  | 'emptyBody'
  | 'badLastEventId'
  | 'tooManySubscribers'
  | 'storageUnavailable';

/** Answers with JSON `{ error, reason }` (or any body for 2xx). */
export function replyJson(res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), 'cache-control': 'no-store', ...extra });
  res.end(text);
}

/** Answers a refusal: a 4xx/5xx with a machine code and an English reason. */
export function refuse(res: http.ServerResponse, status: number, error: RefusalCode, reason: string, extra: Record<string, string> = {}): void {
  replyJson(res, status, { error, reason }, extra);
}

/** Result of reading a body under a limit. */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; tooLarge: true } | { ok: false; tooLarge: false };

/** After refusing an oversized body we discard at most this much more, so the sender can read the 413, then hang up. */
const MAX_DISCARD_BYTES = 1024 * 1024;

/** Reads the body as a stream and stops at `limit`: nothing past it is buffered. */
export function readBodyLimited(req: http.IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    let discarded = 0;
    const finish = (r: BodyResult) => {
      resolve(r);
    };
    if (Number.isFinite(declared) && declared > limit) {
      over = true;
      finish({ ok: false, tooLarge: true });
    }
    req.on('data', (chunk: Buffer) => {
      if (over) {
        discarded += chunk.length;
        if (discarded > MAX_DISCARD_BYTES) req.destroy();
        return;
      }
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        finish({ ok: false, tooLarge: true });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) finish({ ok: true, body: Buffer.concat(chunks, size) });
    });
    req.on('error', () => finish({ ok: false, tooLarge: false }));
    req.on('close', () => finish({ ok: false, tooLarge: false }));
  });
}

/** Splits a path into decoded segments; null when a segment is not valid percent-encoding. */
export function pathSegments(pathname: string): string[] | null {
  try {
    return pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}
