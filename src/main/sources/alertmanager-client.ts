import type { AdapterContext } from '../../core/sources/types';
import { parseAlertmanagerAlerts, parseSilences, type AlertmanagerPoll, type GettableSilence } from '../../core/sources/alertmanager/poll';
import { ackSilence, needsExtension } from '../../core/sources/alertmanager/silence';
import type { WriteBackResult } from '../../core/sources/write-back';
import type { Clock } from '../adapters';
import { request, type FetchLike, type RequestFailure, type Timers } from './http';

/** A poll of Alertmanager: the parsed alerts and when the request was sent (for reconciliation). */
export type AlertmanagerPollResult = { ok: true; poll: AlertmanagerPoll; polledAt: number; notModified: boolean } | { ok: false; failure: RequestFailure; polledAt: number };

/** An acknowledgement silence this app holds for one page. */
export interface AckSilence {
  pageId: string;
  silenceId: string;
  endsAt: number;
}

/** Talks to one Alertmanager's API v2: polling, and acknowledgements as silences. */
export interface AlertmanagerClient {
  pollAlerts(): Promise<AlertmanagerPollResult>;
  listSilences(): Promise<{ ok: true; silences: GettableSilence[] } | { ok: false; failure: RequestFailure }>;
  /** Creates (or, with `silenceId`, extends) the "ACK!" silence on the alert's exact labels. */
  acknowledge(alert: { labels: Record<string, string>; endsAt: number | null }, by: string, silenceId?: string): Promise<WriteBackResult & { silenceId?: string; endsAt?: number }>;
  /** Expires the acknowledgement silence. */
  unacknowledge(silenceId: string): Promise<WriteBackResult>;
  /** Extends the acknowledgement silences whose alerts still fire; resolved ones are left to run out. */
  keepAcks(poll: AlertmanagerPoll, acks: readonly AckSilence[], by: string): Promise<Array<{ pageId: string; result: WriteBackResult & { silenceId?: string; endsAt?: number } }>>;
}

/** Creates a client for the Alertmanager at `baseUrl`; `headers` carries auth when the API needs it. */
export function createAlertmanagerClient(opts: { baseUrl: string; fetch: FetchLike; clock: Clock; timers: Timers; ctx: AdapterContext; headers?: Record<string, string>; timeoutMs?: number }): AlertmanagerClient {
  const base = opts.baseUrl.replace(/\/$/, '');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const now = () => opts.clock.now();
  let etag: string | null = null;
  let last: AlertmanagerPoll | null = null;

  const fail = (action: 'acknowledge' | 'unacknowledge', failure: RequestFailure): WriteBackResult => ({ ok: false, target: 'alertmanager', action, at: now(), error: failure.error });

  const client: AlertmanagerClient = {
    async pollAlerts(): Promise<AlertmanagerPollResult> {
      const polledAt = now();
      const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
      if (etag && last) headers['if-none-match'] = etag;
      const res = await request(opts.fetch, opts.timers, `${base}/api/v2/alerts`, { headers }, { timeoutMs, now });
      if (!res.ok) return { ok: false, failure: res.failure, polledAt };
      if (res.status === 304 && last) return { ok: true, poll: last, polledAt, notModified: true };
      const parsed = parseAlertmanagerAlerts(res.body, opts.ctx, polledAt);
      if (!parsed.ok) return { ok: false, failure: { error: parsed.error, status: res.status }, polledAt };
      etag = res.response.headers.get('etag');
      last = parsed.poll;
      return { ok: true, poll: parsed.poll, polledAt, notModified: false };
    },
    async listSilences(): Promise<{ ok: true; silences: GettableSilence[] } | { ok: false; failure: RequestFailure }> {
      const res = await request(opts.fetch, opts.timers, `${base}/api/v2/silences`, { headers: { accept: 'application/json', ...opts.headers } }, { timeoutMs, now });
      if (!res.ok) return { ok: false, failure: res.failure };
      const parsed = parseSilences(res.body);
      return parsed.ok ? { ok: true, silences: parsed.silences } : { ok: false, failure: { error: parsed.error } };
    },
    async acknowledge(alert, by, silenceId) {
      const silence = ackSilence({ labels: alert.labels, alertEndsAt: alert.endsAt, now: now(), createdBy: by, ...(silenceId ? { id: silenceId } : {}) });
      const res = await request(
        opts.fetch,
        opts.timers,
        `${base}/api/v2/silences`,
        { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...opts.headers }, body: JSON.stringify(silence) },
        { timeoutMs, now },
      );
      if (!res.ok) return fail('acknowledge', res.failure);
      const id = (res.body as { silenceID?: unknown } | null)?.silenceID;
      if (typeof id !== 'string') return fail('acknowledge', { error: { code: 'wrongShape', params: { what: 'Alertmanager POST /api/v2/silences answer', field: 'silenceID', detail: 'silenceID: expected string' } } });
      return { ok: true, target: 'alertmanager', action: 'acknowledge', at: now(), ref: id, silenceId: id, endsAt: Date.parse(silence.endsAt) };
    },
    async unacknowledge(silenceId) {
      const res = await request(opts.fetch, opts.timers, `${base}/api/v2/silence/${encodeURIComponent(silenceId)}`, { method: 'DELETE', headers: { ...opts.headers } }, { timeoutMs, now });
      if (!res.ok) return fail('unacknowledge', res.failure);
      return { ok: true, target: 'alertmanager', action: 'unacknowledge', at: now(), ref: silenceId };
    },
    async keepAcks(poll, acks, by) {
      const byPage = new Map(poll.suppressions.map((s) => [s.pageId, s]));
      const firing = new Set(poll.signals.filter((s) => s.status === 'firing').map((s) => s.id));
      const out: Array<{ pageId: string; result: WriteBackResult & { silenceId?: string; endsAt?: number } }> = [];
      for (const ack of acks) {
        const alert = byPage.get(ack.pageId);
        if (!alert) continue;
        if (!needsExtension({ silenceEndsAt: ack.endsAt, alertFiring: firing.has(ack.pageId), alertEndsAt: alert.endsAt, now: now() })) continue;
        out.push({ pageId: ack.pageId, result: await client.acknowledge({ labels: alert.labels, endsAt: alert.endsAt }, by, ack.silenceId) });
      }
      return out;
    },
  };
  return client;
}
