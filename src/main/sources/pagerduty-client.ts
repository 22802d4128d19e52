import type { PageSignal } from '../../core/page';
import { parsePagerDutyIncidents } from '../../core/sources/pagerduty/adapter';
import type { AdapterContext } from '../../core/sources/types';
import type { WriteBackResult } from '../../core/sources/write-back';
import type { Clock } from '../adapters';
import { request, type FetchLike, type RequestFailure, type Timers } from './http';

/** A complete list of open incidents (every page fetched), or the failure that stopped it. */
export type PagerDutyPollResult = { ok: true; signals: PageSignal[]; polledAt: number; pages: number } | { ok: false; failure: RequestFailure; polledAt: number };

/** Talks to PagerDuty's REST API v2 with a REST API key. */
export interface PagerDutyClient {
  pollIncidents(): Promise<PagerDutyPollResult>;
  acknowledge(incidentId: string): Promise<WriteBackResult>;
  resolve(incidentId: string): Promise<WriteBackResult>;
}

/** Incidents per page; PagerDuty allows up to 100. */
export const PAGERDUTY_PAGE_LIMIT = 100;
/** Stops a runaway paging loop: 100 pages of 100 is more open incidents than a pager can show. */
const MAX_PAGES = 100;

/** Creates a client. `from` is the e-mail of a PagerDuty user, required on every write. */
export function createPagerDutyClient(opts: { apiBase: string; apiKey: string; from: string | null; serviceIds?: readonly string[]; teamIds?: readonly string[]; fetch: FetchLike; clock: Clock; timers: Timers; ctx: AdapterContext; timeoutMs?: number; pageLimit?: number }): PagerDutyClient {
  const base = opts.apiBase.replace(/\/$/, '');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const limit = opts.pageLimit ?? PAGERDUTY_PAGE_LIMIT;
  const now = () => opts.clock.now();
  const filters = [...(opts.serviceIds ?? []).map((id) => `&service_ids[]=${encodeURIComponent(id)}`), ...(opts.teamIds ?? []).map((id) => `&team_ids[]=${encodeURIComponent(id)}`)].join('');
  const headers = (): Record<string, string> => ({ authorization: `Token token=${opts.apiKey}`, accept: 'application/json', 'content-type': 'application/json' });

  const update = async (incidentId: string, status: 'acknowledged' | 'resolved', action: 'acknowledge' | 'resolve'): Promise<WriteBackResult> => {
    if (!opts.from) return { ok: false, target: 'pagerduty', action, at: now(), error: { code: 'notConfigured', params: { what: 'From (PagerDuty user e-mail)' } } };
    const body = JSON.stringify({ incidents: [{ id: incidentId, type: 'incident_reference', status }] });
    const res = await request(opts.fetch, opts.timers, `${base}/incidents`, { method: 'PUT', headers: { ...headers(), from: opts.from }, body }, { timeoutMs, now });
    if (!res.ok) return { ok: false, target: 'pagerduty', action, at: now(), error: res.failure.error };
    return { ok: true, target: 'pagerduty', action, at: now(), ref: incidentId };
  };

  return {
    async pollIncidents(): Promise<PagerDutyPollResult> {
      const polledAt = now();
      const signals: PageSignal[] = [];
      let offset = 0;
      for (let page = 1; page <= MAX_PAGES; page++) {
        const url = `${base}/incidents?statuses[]=triggered&statuses[]=acknowledged${filters}&limit=${limit}&offset=${offset}`;
        const res = await request(opts.fetch, opts.timers, url, { headers: headers() }, { timeoutMs, now });
        if (!res.ok) return { ok: false, failure: res.failure, polledAt };
        const parsed = parsePagerDutyIncidents(res.body, opts.ctx);
        if (!parsed.ok) return { ok: false, failure: { error: parsed.error, status: res.status }, polledAt };
        signals.push(...parsed.signals);
        if (!parsed.more || parsed.signals.length === 0) return { ok: true, signals, polledAt, pages: page };
        offset += parsed.signals.length;
      }
      return { ok: true, signals, polledAt, pages: MAX_PAGES };
    },
    acknowledge: (id) => update(id, 'acknowledged', 'acknowledge'),
    resolve: (id) => update(id, 'resolved', 'resolve'),
  };
}
