import type { PageSignal } from '../../core/page';
import { parseOpsgenieAlerts } from '../../core/sources/opsgenie/adapter';
import type { AdapterContext } from '../../core/sources/types';
import type { WriteBackError, WriteBackResult } from '../../core/sources/write-back';
import type { Clock } from '../adapters';
import { request, sameOrigin, type FetchLike, type RequestFailure, type Timers } from './http';

/** A complete list of open alerts, or the failure that stopped it. */
export type OpsgeniePollResult = { ok: true; signals: PageSignal[]; polledAt: number; pages: number } | { ok: false; failure: RequestFailure; polledAt: number };

/** Talks to Opsgenie's Alert API with an API integration key (GenieKey). */
export interface OpsgenieClient {
  pollAlerts(): Promise<OpsgeniePollResult>;
  /** Acknowledges, then confirms through the request status, since Opsgenie answers 202 and applies it later. */
  acknowledge(alertId: string): Promise<WriteBackResult>;
  /** Takes an acknowledgement back (Alert API "Unacknowledge Alert"), confirmed the same way. */
  unacknowledge(alertId: string): Promise<WriteBackResult>;
}

const MAX_PAGES = 100;

/** Creates a client. `confirmAttempts` × `confirmDelayMs` bounds how long an acknowledgement is confirmed. */
export function createOpsgenieClient(opts: {
  apiBase: string;
  apiKey: string;
  user?: string;
  query?: string;
  fetch: FetchLike;
  clock: Clock;
  timers: Timers;
  ctx: AdapterContext;
  timeoutMs?: number;
  pageLimit?: number;
  confirmAttempts?: number;
  confirmDelayMs?: number;
}): OpsgenieClient {
  const base = opts.apiBase.replace(/\/$/, '');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const now = () => opts.clock.now();
  const headers = (): Record<string, string> => ({ authorization: `GenieKey ${opts.apiKey}`, accept: 'application/json', 'content-type': 'application/json' });
  const wait = (ms: number) => new Promise<void>((resolve) => opts.timers.setTimeout(resolve, ms));
  const failedFor =
    (action: 'acknowledge' | 'unacknowledge') =>
    (error: WriteBackError): WriteBackResult => ({ ok: false, target: 'opsgenie', action, at: now(), error });

  /**
   * Opsgenie answers both actions 202 with a request id and applies them later, so the outcome is
   * the request's status, polled a few times; the timeline says "pending" rather than guess.
   */
  async function act(alertId: string, action: 'acknowledge' | 'unacknowledge'): Promise<WriteBackResult> {
    const failed = failedFor(action);
    const note = action === 'acknowledge' ? 'Acknowledged in On-Call Companion' : 'Acknowledgement taken back in On-Call Companion';
    const body = JSON.stringify({ source: 'On-Call Companion', note, ...(opts.user ? { user: opts.user } : {}) });
    const res = await request(opts.fetch, opts.timers, `${base}/v2/alerts/${encodeURIComponent(alertId)}/${action}?identifierType=id`, { method: 'POST', headers: headers(), body }, { timeoutMs, now });
    if (!res.ok) return failed(res.failure.error);
    const requestId = (res.body as { requestId?: unknown } | null)?.requestId;
    if (typeof requestId !== 'string') return failed({ code: 'wrongShape', params: { what: `Opsgenie ${action} answer`, field: 'requestId', detail: 'requestId: expected string' } });
    const attempts = opts.confirmAttempts ?? 5;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await wait(opts.confirmDelayMs ?? 1_000);
      const status = await request(opts.fetch, opts.timers, `${base}/v2/alerts/requests/${encodeURIComponent(requestId)}`, { headers: headers() }, { timeoutMs, now, accept: (s) => (s >= 200 && s < 300) || s === 404 });
      if (!status.ok) return failed(status.failure.error);
      if (status.status === 404) continue; // not processed yet
      const data = (status.body as { data?: { isSuccess?: unknown; success?: unknown; status?: unknown } } | null)?.data;
      if (data?.isSuccess === true || data?.success === true) return { ok: true, target: 'opsgenie', action, at: now(), ref: requestId };
      return failed({ code: 'requestFailed', params: { target: 'Opsgenie', reason: typeof data?.status === 'string' ? data.status : 'unknown' } });
    }
    return failed({ code: 'requestPending', params: { target: 'Opsgenie' } });
  }

  return {
    async pollAlerts(): Promise<OpsgeniePollResult> {
      const polledAt = now();
      const signals: PageSignal[] = [];
      let url: string | null = `${base}/v2/alerts?query=${encodeURIComponent(opts.query ?? 'status:open')}&limit=${opts.pageLimit ?? 100}&offset=0`;
      for (let page = 1; url !== null && page <= MAX_PAGES; page++) {
        const res = await request(opts.fetch, opts.timers, url, { headers: headers() }, { timeoutMs, now });
        if (!res.ok) return { ok: false, failure: res.failure, polledAt };
        const parsed = parseOpsgenieAlerts(res.body, opts.ctx);
        if (!parsed.ok) return { ok: false, failure: { error: parsed.error, status: res.status }, polledAt };
        signals.push(...parsed.signals);
        const next: string | null = res.response.headers.get('x-paging-next') ?? parsed.next;
        // Follow only links to the API's own origin, so the key is never sent elsewhere.
        url = next && parsed.signals.length > 0 && sameOrigin(next, base) ? next : null;
        if (url === null) return { ok: true, signals, polledAt, pages: page };
      }
      return { ok: true, signals, polledAt, pages: MAX_PAGES };
    },
    acknowledge: (alertId) => act(alertId, 'acknowledge'),
    unacknowledge: (alertId) => act(alertId, 'unacknowledge'),
  };
}
