import type { PageSignal } from '../../core/page';
import type { SeverityMapping } from '../../core/severity';
import { describeSilences, type AlertSuppression, type SilenceInfo } from '../../core/sources/alertmanager/poll';
import type { AlertmanagerOptions } from '../../core/sources/alertmanager/webhook';
import type { CheckedSource } from '../../core/sources/config';
import type { OpsgenieOptions } from '../../core/sources/opsgenie/adapter';
import type { PagerDutyOptions } from '../../core/sources/pagerduty/adapter';
import { reconcileListed, type KnownPage, type Reconciliation } from '../../core/sources/reconcile';
import { SOURCE_ADAPTERS } from '../../core/sources/registry';
import type { AdapterResult, SourceError, WebhookInput } from '../../core/sources/types';
import type { WriteBackAction, WriteBackError, WriteBackResult } from '../../core/sources/write-back';
import type { Clock } from '../adapters';
import { createAlertmanagerClient, type AckSilence, type AlertmanagerClient } from './alertmanager-client';
import type { FetchLike, RequestFailure, Timers } from './http';
import { createOpsgenieClient, type OpsgenieClient } from './opsgenie-client';
import { createPagerDutyClient, type PagerDutyClient } from './pagerduty-client';
import { createPoller, DEFAULT_TIMING, type Poller, type PollerState } from './poller';
import { answerWebhook } from './receive';
import { secretIds, type SecretStore } from './secret-store';

/** What Settings shows for one source. */
export interface SourceStatus {
  id: string;
  kind: CheckedSource['kind'];
  name: string;
  /** connected: delivered or polled fine; polling: a poll is running; failing: the last poll or delivery failed. */
  state: 'idle' | 'connected' | 'polling' | 'failing';
  lastDeliveryAt: number | null;
  lastError: { code: string; params: Record<string, string | number>; at: number } | null;
  poller: PollerState | null;
}

/** What the registry hands main after a poll: signals to apply (reconciled) and Alertmanager's suppression details. */
export interface PollDelivery {
  sourceId: string;
  reconciliation: Reconciliation;
  polledAt: number;
  suppressions: AlertSuppression[];
  /** For silenced pages: who silenced them, until when, and whether it is this app's own acknowledgement. */
  silences: Record<string, SilenceInfo[]>;
  /** Since when this source's polls had all failed before this one worked; null if the last one worked. */
  downSince: number | null;
}

/** Everything the registry needs from main. */
export interface SourceRegistryDeps {
  sources: readonly CheckedSource[];
  secrets: SecretStore;
  fetch: FetchLike;
  clock: Clock;
  timers: Timers;
  random?: () => number;
  severityMapping: SeverityMapping;
  /** The open pages of one source, for reconciliation. */
  knownPages(sourceId: string): KnownPage[];
  onPoll(delivery: PollDelivery): void;
  onStatus?(status: SourceStatus): void;
  /** Shown in the `createdBy` of acknowledgement silences and sent as Opsgenie's user. */
  who: string;
}

interface Entry {
  source: CheckedSource;
  status: SourceStatus;
  poller: Poller | null;
  am?: AlertmanagerClient;
  pd?: PagerDutyClient;
  og?: OpsgenieClient;
}

/** The configured sources at run time: webhook receiving, polling, write-back and their status. */
export interface SourceRegistry {
  start(): Promise<void>;
  stop(): void;
  /** Resume from sleep or reconnect: every poller polls at once. */
  pollAll(): Promise<void>;
  receive(sourceId: string, input: WebhookInput, maxBytes: number): Promise<{ status: number; result: AdapterResult }>;
  writeBack(sourceId: string, action: WriteBackAction, page: { id: string; fingerprint: string; labels: Record<string, string> }): Promise<WriteBackResult>;
  /** The Alertmanager acknowledgement silences held now, to persist; `restoreAcks` puts them back after a restart. */
  ackSilences(sourceId: string): AckSilence[];
  restoreAcks(sourceId: string, acks: readonly AckSilence[]): void;
  statuses(): SourceStatus[];
}

/** Builds the registry. Secrets are read from the store when needed and never kept in status or errors. */
export function createSourceRegistry(deps: SourceRegistryDeps): SourceRegistry {
  const entries = new Map<string, Entry>();
  const acks = new Map<string, Map<string, AckSilence>>();
  const lastSuppressions = new Map<string, AlertSuppression[]>();

  const emit = (e: Entry) => deps.onStatus?.({ ...e.status, poller: e.poller?.state() ?? null });
  const fail = (e: Entry, error: SourceError | WriteBackError) => {
    e.status.state = 'failing';
    e.status.lastError = { code: error.code, params: error.params, at: deps.clock.now() };
    emit(e);
  };
  const ctxOf = (s: CheckedSource) => ({ sourceId: s.id, severityMapping: deps.severityMapping });

  const deliverPoll = (e: Entry, signals: PageSignal[], polledAt: number, suppressions: AlertSuppression[], silences: Record<string, SilenceInfo[]> = {}) => {
    const reconciliation = reconcileListed(deps.knownPages(e.source.id), signals, polledAt);
    // read before the poller marks this poll as working: it is still the failing run's start
    deps.onPoll({ sourceId: e.source.id, reconciliation, polledAt, suppressions, silences, downSince: e.poller?.state().failingSince ?? null });
    e.status.state = 'connected';
    e.status.lastError = null;
    emit(e);
  };
  const pollFailed = (e: Entry, failure: RequestFailure) => {
    fail(e, failure.error);
    return failure.retryAfterMs === undefined ? { ok: false as const } : { ok: false as const, retryAfterMs: failure.retryAfterMs };
  };

  /**
   * Fetches silences only when some alert is silenced, explains them per page, and adopts this
   * app's own ACK! silences it does not hold (after a restart), so they keep being extended and
   * can be expired by unacknowledge.
   */
  async function explainSilences(sourceId: string, am: AlertmanagerClient, suppressions: AlertSuppression[]): Promise<Record<string, SilenceInfo[]>> {
    const silenced = suppressions.filter((s) => s.silencedBy.length > 0);
    if (silenced.length === 0) return {};
    const list = await am.listSilences();
    if (!list.ok) return {};
    const held = acks.get(sourceId) ?? new Map<string, AckSilence>();
    acks.set(sourceId, held);
    const out: Record<string, SilenceInfo[]> = {};
    for (const s of silenced) {
      const info = describeSilences(s, list.silences);
      out[s.pageId] = info;
      const ours = info.find((i) => i.isAck && list.silences.find((x) => x.id === i.id)?.createdBy === deps.who);
      if (ours && !held.has(s.pageId)) held.set(s.pageId, { pageId: s.pageId, silenceId: ours.id, endsAt: ours.endsAt });
    }
    return out;
  }

  async function build(source: CheckedSource): Promise<Entry> {
    const e: Entry = { source, poller: null, status: { id: source.id, kind: source.kind, name: source.name, state: 'idle', lastDeliveryAt: null, lastError: null, poller: null } };
    const common = { fetch: deps.fetch, clock: deps.clock, timers: deps.timers, ctx: ctxOf(source) };
    const apiKey = await deps.secrets.get(secretIds(source.id).api);
    let poll: (() => Promise<{ ok: true } | { ok: false; retryAfterMs?: number }>) | null = null;
    let intervalMs = 60_000;
    if (source.kind === 'alertmanager') {
      const o = source.options as AlertmanagerOptions;
      if (o.baseUrl) {
        const am = createAlertmanagerClient({ ...common, baseUrl: o.baseUrl, ...(apiKey ? { headers: { authorization: `Bearer ${apiKey}` } } : {}) });
        e.am = am;
        intervalMs = o.pollIntervalMs;
        poll = async () => {
          const r = await am.pollAlerts();
          if (!r.ok) return pollFailed(e, r.failure);
          lastSuppressions.set(source.id, r.poll.suppressions);
          const silences = await explainSilences(source.id, am, r.poll.suppressions);
          deliverPoll(e, r.poll.signals, r.polledAt, r.poll.suppressions, silences);
          const held = [...(acks.get(source.id)?.values() ?? [])];
          for (const k of await am.keepAcks(r.poll, held, deps.who)) {
            if (k.result.ok && k.result.silenceId && k.result.endsAt) acks.get(source.id)?.set(k.pageId, { pageId: k.pageId, silenceId: k.result.silenceId, endsAt: k.result.endsAt });
          }
          return { ok: true };
        };
      }
    } else if (source.kind === 'pagerduty' && apiKey) {
      const o = source.options as PagerDutyOptions;
      const pd = createPagerDutyClient({ ...common, apiBase: o.apiBase, apiKey, from: o.from ?? null, serviceIds: o.serviceIds, teamIds: o.teamIds });
      e.pd = pd;
      intervalMs = o.pollIntervalMs;
      poll = async () => {
        const r = await pd.pollIncidents();
        if (!r.ok) return pollFailed(e, r.failure);
        deliverPoll(e, r.signals, r.polledAt, []);
        return { ok: true };
      };
    } else if (source.kind === 'opsgenie' && apiKey) {
      const o = source.options as OpsgenieOptions;
      const og = createOpsgenieClient({ ...common, apiBase: o.apiBase, apiKey, query: o.query, ...(o.user ? { user: o.user } : {}) });
      e.og = og;
      intervalMs = o.pollIntervalMs;
      poll = async () => {
        const r = await og.pollAlerts();
        if (!r.ok) return pollFailed(e, r.failure);
        deliverPoll(e, r.signals, r.polledAt, []);
        return { ok: true };
      };
    }
    if (poll) {
      e.poller = createPoller({
        timing: { ...DEFAULT_TIMING, intervalMs },
        clock: deps.clock,
        timers: deps.timers,
        ...(deps.random ? { random: deps.random } : {}),
        poll,
        onState: (st) => {
          if (st.status === 'polling') e.status.state = 'polling';
          emit(e);
        },
      });
    }
    return e;
  }

  const notConfigured = (sourceId: string, action: WriteBackAction, what: string): WriteBackResult => ({
    ok: false,
    target: entries.get(sourceId)?.source.kind ?? 'generic',
    action,
    at: deps.clock.now(),
    error: { code: 'notConfigured', params: { what } },
  });
  const unsupported = (sourceId: string, action: WriteBackAction, target: string): WriteBackResult => ({
    ok: false,
    target: entries.get(sourceId)?.source.kind ?? 'generic',
    action,
    at: deps.clock.now(),
    error: { code: 'unsupported', params: { target } },
  });

  return {
    async start() {
      for (const s of deps.sources) if (s.enabled) entries.set(s.id, await build(s));
      for (const e of entries.values()) e.poller?.start();
    },
    stop() {
      for (const e of entries.values()) e.poller?.stop();
    },
    async pollAll() {
      await Promise.all([...entries.values()].map((e) => e.poller?.pollNow()));
    },
    async receive(sourceId, input, maxBytes) {
      const e = entries.get(sourceId);
      if (!e) return { status: 404, result: { ok: false, error: { code: 'unknownSource', params: { source: sourceId } } } };
      const secret = await deps.secrets.get(secretIds(sourceId).signing);
      const answer = answerWebhook({ adapter: SOURCE_ADAPTERS[e.source.kind], options: e.source.options as never, ctx: ctxOf(e.source), secret }, input, maxBytes);
      if (answer.result.ok) {
        e.status.lastDeliveryAt = input.receivedAt;
        e.status.state = 'connected';
        e.status.lastError = null;
        emit(e);
      } else fail(e, answer.result.error);
      return answer;
    },
    async writeBack(sourceId, action, page) {
      const e = entries.get(sourceId);
      if (!e) return notConfigured(sourceId, action, sourceId);
      if (e.am) {
        const held = acks.get(sourceId) ?? new Map<string, AckSilence>();
        acks.set(sourceId, held);
        if (action === 'acknowledge') {
          const current = lastSuppressions.get(sourceId)?.find((s) => s.pageId === page.id);
          const r = await e.am.acknowledge({ labels: page.labels, endsAt: current?.endsAt ?? null }, deps.who);
          if (r.ok && r.silenceId && r.endsAt) held.set(page.id, { pageId: page.id, silenceId: r.silenceId, endsAt: r.endsAt });
          return r;
        }
        const ack = held.get(page.id);
        if (!ack) return notConfigured(sourceId, action, 'ACK! silence');
        const r = await e.am.unacknowledge(ack.silenceId);
        if (r.ok) held.delete(page.id);
        return r;
      }
      if (e.pd) {
        // PagerDuty's REST API can only acknowledge or resolve; its own acknowledgement timeout re-triggers
        if (action === 'unacknowledge') return unsupported(sourceId, action, 'PagerDuty');
        return action === 'acknowledge' ? e.pd.acknowledge(page.fingerprint) : e.pd.resolve(page.fingerprint);
      }
      if (e.og) {
        const alertId = page.labels['alertId'] ?? page.fingerprint;
        if (action === 'unacknowledge') return e.og.unacknowledge(alertId);
        if (action !== 'acknowledge') return notConfigured(sourceId, action, `${action} in Opsgenie`);
        return e.og.acknowledge(alertId);
      }
      return notConfigured(sourceId, action, 'API access');
    },
    ackSilences: (sourceId) => [...(acks.get(sourceId)?.values() ?? [])],
    restoreAcks(sourceId, list) {
      acks.set(sourceId, new Map(list.map((a) => [a.pageId, a])));
    },
    statuses: () => [...entries.values()].map((e) => ({ ...e.status, poller: e.poller?.state() ?? null })),
  };
}
