import type { WriteBackError } from '../../core/sources/write-back';

/** The part of fetch the clients use; tests pass the real fetch against a local fake. */
export type FetchLike = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<Response>;

/** setTimeout/clearTimeout, injected so tests can drive time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers. */
export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** A failed request: the typed error, the HTTP status if one came, and how long the server asked us to wait. */
export interface RequestFailure {
  error: WriteBackError;
  status?: number;
  retryAfterMs?: number;
}

/** Result of one HTTP exchange. */
export type HttpResult = { ok: true; response: Response; body: unknown } | { ok: false; failure: RequestFailure };

/**
 * How long a 429 (or 503) asks us to wait: PagerDuty's `ratelimit-reset` (seconds until the window
 * resets), else `Retry-After` (seconds or an HTTP date), else Opsgenie-style `X-RateLimit-Period-In-Sec`.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const reset = headers.get('ratelimit-reset');
  if (reset !== null && /^\d+(\.\d+)?$/.test(reset.trim())) return Math.ceil(Number(reset) * 1000);
  const after = headers.get('retry-after');
  if (after !== null) {
    if (/^\d+$/.test(after.trim())) return Number(after) * 1000;
    const at = Date.parse(after);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const period = headers.get('x-ratelimit-period-in-sec');
  if (period !== null && /^\d+$/.test(period.trim())) return Number(period) * 1000;
  return undefined;
}

/** Short text for an HTTP error answer: the vendor's message when its body has one, never request headers. */
async function reasonOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    const msg = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message);
    if (msg) return msg.slice(0, 200);
  } catch {
    // not JSON: fall through to the status text
  }
  return (response.statusText || text).slice(0, 200);
}

/** Performs one request with a timeout and turns every failure into a typed one. Secrets stay in headers and are never echoed. */
export async function request(
  fetchFn: FetchLike,
  timers: Timers,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  opts: { timeoutMs: number; now: () => number; accept?: (status: number) => boolean },
): Promise<HttpResult & { status?: number }> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = timers.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, opts.timeoutMs);
  try {
    const response = await fetchFn(url, { ...init, signal: controller.signal });
    const accept = opts.accept ?? ((s: number) => s >= 200 && s < 300);
    if (response.status === 304) return { ok: true, response, body: undefined, status: 304 };
    if (!accept(response.status)) {
      const failure: RequestFailure = { status: response.status, error: { code: 'http', params: { status: response.status, reason: await reasonOf(response) } } };
      const wait = retryAfterMs(response.headers, opts.now());
      if (response.status === 429) {
        failure.error = { code: 'rateLimited', params: { seconds: Math.ceil((wait ?? 0) / 1000), status: 429 } };
      }
      if (wait !== undefined) failure.retryAfterMs = wait;
      return { ok: false, failure };
    }
    const text = await response.text();
    if (text.trim() === '') return { ok: true, response, body: null, status: response.status };
    try {
      return { ok: true, response, body: JSON.parse(text) as unknown, status: response.status };
    } catch (e) {
      return { ok: false, failure: { status: response.status, error: { code: 'malformedJson', params: { reason: e instanceof Error ? e.message : String(e) } } } };
    }
  } catch (e) {
    if (timedOut) return { ok: false, failure: { error: { code: 'timeout', params: { url: origin(url), seconds: Math.round(opts.timeoutMs / 100) / 10 } } } };
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
    return { ok: false, failure: { error: { code: 'network', params: { url: origin(url), reason: cause } } } };
  } finally {
    timers.clearTimeout(timer);
  }
}

/** Only the origin of a URL goes into messages, never its query. */
export function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

/** Whether a paging link stays on the API's own origin, so the API key is never sent elsewhere. */
export function sameOrigin(link: string, base: string): boolean {
  try {
    return new URL(link).origin === new URL(base).origin;
  } catch {
    return false;
  }
}
