import { join } from 'node:path';
import type { i18n } from 'i18next';
import type { SourcesView, StrayEvents } from '../../core/sources/ipc-schemas';
import type { PageEvent, PageSignal } from '../../core/page';
import type { GroupInfo } from '../../core/pager/live-state';
import { EMPTY_CHANNEL_ID, parseEventId, type RelayEnvelope } from '../../core/relay/envelope';
import { isHeartbeat, type HeartbeatMatchers } from '../../core/pager/heartbeat';
import type { SeverityMapping } from '../../core/severity';
import { sourceIdOf, type CheckedSource } from '../../core/sources/config';
import { deadmanPageId } from '../../core/sources/deadman';
import type { KnownPage } from '../../core/sources/reconcile';
import { SOURCE_ADAPTERS } from '../../core/sources/registry';
import { describeWriteBack } from '../../core/sources/write-back';
import type { Clock, Logger, RendererEvents } from '../adapters';
import { envelopeToWebhookInput } from '../relay/to-webhook';
import type { Notifier } from '../services/notifier';
import type { SecretStore as FileSecretStore } from '../services/secret-store';
import { HttpError, tokenMatches, type WebhookRequest, type WebhookRoute } from '../services/webhook-listener';
import { createCatchUp, fileAwayStore, type CatchUpStatus } from '../sources/catch-up';
import { checkSources, DEFAULT_SOURCE_ID, groupsOf } from '../sources/configured';
import { createDeadmanWatch } from '../sources/deadman-watch';
import type { Timers } from '../sources/http';
import { normalizeHeaders } from '../sources/receive';
import { createSourceRegistry, type PollDelivery, type SourceRegistry } from '../sources/registry';
import { secretIds, type SecretStore } from '../sources/secret-store';
import type { IpcHandlers } from '../ipc-router';
import type { PagesFeature } from './pages';
import { checkRelayEntry, relayTokenSecret, setupRelays } from './relay';
import { secretFileName, sourcesHandlers } from './sources-ipc';

/** Where a configured source's webhooks arrive on the local listener. */
export const sourceRoute = (sourceId: string) => `/webhook/${sourceId}`;

/** What the sources feature needs from main. */
export interface SourcesDeps {
  /** The `sources` and `relays` lists of config.json, unchecked: a broken entry must not stop the others. */
  rawConfig(): { sources: unknown[]; relays: unknown[] };
  saveConfig(next: { sources: unknown[]; relays: unknown[] }): void;
  secrets: FileSecretStore;
  pages: Pick<PagesFeature, 'receiveSignals' | 'livePages' | 'onAcknowledged' | 'onUnacknowledged' | 'recordEvents' | 'onStateChanged' | 'routeStatus' | 'durable' | 'inWindow'>;
  /** The listener's route table; this feature adds and removes its `/webhook/<id>` routes in place. */
  routes: Record<string, WebhookRoute>;
  listenerToken(): string;
  /** `http://host:port` of the listener, or null while it is not listening. */
  listenerBase(): string | null;
  maxBodyBytes(): number;
  severityMapping(): SeverityMapping;
  heartbeats(): HeartbeatMatchers;
  fetch: typeof fetch;
  clock: Clock;
  timers: Timers;
  random?: () => number;
  notifier: Notifier;
  t(): i18n['t'];
  who(): string;
  dataDir: string;
  events: RendererEvents;
  logger: Logger;
  /** How long the catch-up waits for quiet before its digest (tests shorten it). */
  catchUpQuietMs?: number;
  /** How long an acknowledgement waits (the Undo window) before it is written back; 10 s by default. */
  writeBackDelayMs?: number;
  relayBackoff?: { initialMs?: number; maxMs?: number };
  /** A time as the user reads it ("Sat 03:12" in their zone and language), for notifications. */
  formatTime?: (ms: number) => string;
}


const hms = (at: number) => new Date(at).toTimeString().slice(0, 8);

/**
 * How long a relay must have been cut off before its replay counts as a catch-up (one digest, and
 * every polling source polled at once). A shorter blip (a proxy closing idle streams) brings at most
 * a few events, which ring as they would have live.
 */
export const RECONNECT_CATCH_UP_MS = 30_000;

/** How long stopping (quitting) waits for acknowledgements still held for Undo to reach their sources. */
const STOP_FLUSH_MS = 5_000;

/**
 * The alert sources at run time: the registry (webhooks, polling, write-back), their listener
 * routes, the relays, the dead-man's switches and the catch-up digest after sleep.
 */
export function setupSources(deps: SourcesDeps) {
  // Read once, not per webhook: a relay replay of 10,000 events read the signing-secret file (two
  // failed reads when there is none) 20,000 times on main's loop. Every change from Settings is
  // followed by a rebuild, which forgets them.
  const secretCache = new Map<string, string | null>();
  const secrets: SecretStore = {
    get: async (id) => {
      if (!secretCache.has(id)) secretCache.set(id, deps.secrets.get(secretFileName(id)));
      return secretCache.get(id)!;
    },
    set: async (id, value) => {
      secretCache.delete(id);
      deps.secrets.set(secretFileName(id), value);
    },
    delete: async (id) => {
      secretCache.delete(id);
      deps.secrets.delete(secretFileName(id));
    },
  };
  let sources: CheckedSource[] = [];
  let broken: SourcesView['broken'] = [];
  let registry: SourceRegistry | null = null;
  let deadman: ReturnType<typeof createDeadmanWatch> | null = null;
  const labels = new Map<string, Record<string, string>>();
  const lastDelivery = new Map<string, number>();
  const lastHeartbeat = new Map<string, number>();
  const tokenRefusals = new Map<string, number>();
  const suppressionNotes = new Map<string, string>();
  // relayed events for a source id no source has, by channel and source id (see stray())
  const strays = new Map<string, StrayEvents>();
  let started = false;
  let changedTimer: unknown = null;

  const changed = () => {
    // many status changes come at once (a poll of every source): tell the window once
    if (changedTimer !== null) return;
    changedTimer = deps.timers.setTimeout(() => {
      changedTimer = null;
      deps.events.emit('sources:changed', view());
    }, 50);
  };

  const relays = setupRelays({
    dataDir: deps.dataDir,
    fetch: deps.fetch,
    now: () => deps.clock.now(),
    timers: deps.timers,
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.relayBackoff ? { backoff: deps.relayBackoff } : {}),
    deliver: deliverEnvelopes,
    durable: () => deps.pages.durable(),
    // the last event id is kept only once its pages are in Dexie, not merely in main's journal (issue 11)
    inWindow: deps.pages.inWindow,
    onStatus: changed,
    logError: (message) => deps.logger.error(message),
    onGap: (relay, gap) => {
      const t = deps.t();
      const time = deps.formatTime ?? ((ms: number) => new Date(ms).toISOString());
      const from = time(parseEventId(gap.after)!.ms);
      const through = time(parseEventId(gap.lostThrough)!.ms);
      // from a subscription made while the channel was empty (0-0), "between 1970 and …" would say nothing
      const key = gap.reason === 'reset' ? 'sources.gap.reset' : gap.after === EMPTY_CHANNEL_ID ? 'sources.gap.retentionBefore' : 'sources.gap.retention';
      const body = t(key, { name: relay.name, from, through });
      deps.logger.error(`relay ${relay.id}: ${gap.reason} gap after ${gap.after} (through ${gap.lostThrough})`);
      // critical: pages may be among what is gone, and only the sources themselves can still say
      deps.notifier.notify({ title: t('sources.gap.title'), body, urgency: 'critical', pageId: `gap:${relay.id}`, route: '#/settings' });
      changed();
    },
    onReconnected: (relay, downSince) => backAfterDrop(`relay ${relay.id}`, downSince),
  });

  const statuses = () => new Map<string, CatchUpStatus>(deps.pages.livePages().map((p) => [p.id, p.status]));
  const catchUp = createCatchUp({
    timers: deps.timers,
    statuses,
    busy: () => relays.connecting(),
    ...(deps.catchUpQuietMs !== undefined ? { quietMs: deps.catchUpQuietMs } : {}),
    now: () => deps.clock.now(),
    store: fileAwayStore(join(deps.dataDir, 'catch-up.json'), (m) => deps.logger.error(m)),
    digest: (d, kept) => {
      const t = deps.t();
      // the click opens the Pages view, whose "While you were away" section lists the pages
      deps.notifier.notify({ title: t('sources.digest.title'), body: t('sources.digest.body', { count: d.pages, firing: d.stillFiring }), urgency: d.stillFiring > 0 ? 'critical' : 'normal', pageId: 'catch-up', route: '#/pages' });
      deps.events.emit('catchup:changed', { digest: kept });
    },
    dismissed: () => deps.events.emit('catchup:changed', { digest: null }),
  });

  /**
   * Relayed webhooks take the same path as one posted to the listener: their source's adapter, then
   * the pages, in order. A batch (a replay) reaches the pages as one input: one journal write, not one per event.
   */
  async function deliverEnvelopes(envelopes: RelayEnvelope[]): Promise<void> {
    const reg = registry;
    if (!reg) throw new Error('sources are not running');
    // What reached the relay before this catch-up began was missed while away: the digest sums it up.
    // What reaches it since is live and rings at once, even while the replay is still streaming. (With
    // the relay's clock ahead of this one, the last moments before a resume ring singly too; behind, the
    // first moments after it wait for the digest, as everything did before.)
    const begun = catchUp.begunAt();
    const missed = (e: RelayEnvelope) => begun !== null && e.receivedAt < begun;
    const replayed = { signals: [] as PageSignal[], groups: [] as GroupInfo[] };
    const live = { signals: [] as PageSignal[], groups: [] as GroupInfo[] };
    for (const envelope of envelopes) {
      const { result } = await reg.receive(envelope.source, envelopeToWebhookInput(envelope), deps.maxBodyBytes());
      // A refused event is shown on its source; asking the relay again would only bring the same bytes.
      if (result.ok) {
        const into = missed(envelope) ? replayed : live;
        into.signals.push(...result.signals);
        into.groups.push(...groupsOf(result.signals, result.groups));
      } else {
        deps.logger.error(`relayed event ${envelope.id} for ${envelope.source} refused: ${result.error.code}`);
        if (result.error.code === 'unknownSource') stray(envelope);
      }
    }
    // relay ids grow with its clock, so the missed ones come first: taking them first keeps the order
    if (replayed.signals.length > 0) fromReplay(() => deps.pages.receiveSignals(replayed.signals, replayed.groups));
    if (live.signals.length > 0) deps.pages.receiveSignals(live.signals, live.groups);
  }

  /**
   * Counts a relayed event no source can read and, the first time for that source id in this run,
   * says so in a notification: the relay took it with a 202, so nobody else will tell the user a page may be lost.
   */
  function stray(envelope: RelayEnvelope): void {
    const key = `${envelope.channel}\u0000${envelope.source}`;
    const seen = strays.get(key);
    strays.set(key, { source: envelope.source, channel: envelope.channel, count: (seen?.count ?? 0) + 1, lastAt: deps.clock.now() });
    if (!seen) {
      const t = deps.t();
      deps.notifier.notify({ title: t('sources.stray.title'), body: t('sources.stray.body', { source: envelope.source, channel: envelope.channel }), urgency: 'critical', pageId: `stray:${key}`, route: '#/settings' });
    }
    changed();
  }

  /**
   * True only while signals from a relay replay or a poll are being taken in (rings happen inside
   * receiveSignals): those are summed up by the catch-up digest, while a live webhook arriving
   * during a catch-up still rings on its own.
   */
  let replaying = false;
  function fromReplay(take: () => void): void {
    replaying = true;
    try {
      take();
    } finally {
      replaying = false;
    }
  }

  function knownPages(sourceId: string): KnownPage[] {
    const kind = sources.find((s) => s.id === sourceId)?.kind ?? 'alertmanager';
    return deps.pages
      .livePages()
      .filter((p) => p.status !== 'resolved' && sourceIdOf(p.id) === sourceId && p.id !== deadmanPageId(sourceId))
      .map((p) => {
        const l = labels.get(p.id);
        return { id: p.id, source: kind, fingerprint: p.id.slice(sourceId.length + 1), groupKey: p.groupKey, title: p.title, severity: p.severity, summary: p.summary, instance: p.instance, startsAt: p.startsAt, receivedAt: p.updatedAt, ...(l ? { labels: l } : {}) };
      });
  }

  function listenerAuthorized(req: WebhookRequest): boolean {
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim())?.[1] : undefined;
    const query = new URL(req.url, 'http://listener').searchParams.get('token') ?? undefined;
    const presented = bearer ?? query;
    return presented !== undefined && tokenMatches(presented, deps.listenerToken());
  }

  function routeFor(source: CheckedSource): WebhookRoute {
    return {
      auth: 'own',
      handle: async (req) => {
        const reg = registry;
        if (!reg) throw new HttpError(503, 'sources are restarting');
        const signs = SOURCE_ADAPTERS[source.kind].signature(source.options as never) !== null && deps.secrets.get(secretFileName(secretIds(source.id).signing)) !== null;
        // a source that cannot sign (or has no secret yet) proves itself with the listener token instead
        if (!signs && !listenerAuthorized(req)) {
          tokenRefusals.set(source.id, deps.clock.now());
          changed();
          throw new HttpError(401, 'missing or wrong token: send the listener token as Bearer or ?token=');
        }
        tokenRefusals.delete(source.id);
        const input = { rawBody: req.raw.toString('utf8'), headers: normalizeHeaders(req.headers), receivedAt: deps.clock.now() };
        const { status, result } = await reg.receive(source.id, input, deps.maxBodyBytes());
        if (!result.ok) throw new HttpError(status, deps.t()(`sources.errors.${result.error.code}`, result.error.params));
        deps.pages.receiveSignals(result.signals, groupsOf(result.signals, result.groups));
        return { accepted: result.signals.length };
      },
    };
  }

  async function canWriteBack(sourceId: string): Promise<boolean> {
    const s = sources.find((x) => x.id === sourceId);
    if (!s) return false;
    if (s.kind === 'alertmanager') return Boolean((s.options as { baseUrl?: string }).baseUrl);
    if (s.kind === 'pagerduty' || s.kind === 'opsgenie') return (await secrets.get(secretIds(s.id).api)) !== null;
    return false;
  }

  /** Each page's write-backs in order: an Undo right after an ack must find the silence the ack made. */
  const inFlight = new Map<string, Promise<void>>();

  async function writeOne(id: string, action: 'acknowledge' | 'unacknowledge'): Promise<void> {
    const sourceId = sourceIdOf(id);
    const reg = registry;
    if (!reg || !(await canWriteBack(sourceId))) return;
    const result = await reg.writeBack(sourceId, action, { id, fingerprint: id.slice(sourceId.length + 1), labels: labels.get(id) ?? {} });
    deps.pages.recordEvents([{ pageId: id, kind: 'writeBack', at: result.at, detail: describeWriteBack(result, deps.t(), hms) }]);
  }

  /**
   * Writes back one after another (a source is not sent hundreds of requests at once), each id
   * chained at once behind what is in flight for it, so a later Undo always follows its ack.
   */
  function writeBack(ids: string[], action: 'acknowledge' | 'unacknowledge'): Promise<void> {
    let batch: Promise<void> = Promise.resolve();
    for (const id of ids) {
      const previous = inFlight.get(id) ?? Promise.resolve();
      const next = Promise.all([previous, batch]).then(() => writeOne(id, action));
      const settled = next.catch((err: Error) => deps.logger.error(`write-back failed: ${err.message}`));
      inFlight.set(id, settled);
      void settled.finally(() => {
        if (inFlight.get(id) === settled) inFlight.delete(id);
      });
      batch = settled;
    }
    return batch;
  }

  /**
   * Acknowledgements wait out the Undo window before they reach the source: a misclick taken back
   * in time never stops PagerDuty's escalation (which cannot be undone there) nor makes a silence.
   * The local acknowledgement (alarm, tray) acts at once either way.
   */
  const writeBackDelayMs = deps.writeBackDelayMs ?? 10_000;
  const heldAcks = new Map<string, unknown>();

  function sendHeld(ids: readonly string[], timer: unknown): void {
    const due = ids.filter((id) => heldAcks.get(id) === timer);
    for (const id of due) heldAcks.delete(id);
    if (due.length > 0) writeBack(due, 'acknowledge').catch((err: Error) => deps.logger.error(`write-back failed: ${err.message}`));
  }

  deps.pages.onAcknowledged((ids) => {
    if (writeBackDelayMs <= 0) return sendHeld(ids, undefined);
    const timer: unknown = deps.timers.setTimeout(() => sendHeld(ids, timer), writeBackDelayMs);
    for (const id of ids) heldAcks.set(id, timer);
  });
  // Undo: an ack still held is simply not sent; one already sent is taken back (the ACK! silence
  // expires, Opsgenie is told; a source that cannot says so on the timeline)
  deps.pages.onUnacknowledged((ids) => {
    const sent = ids.filter((id) => !heldAcks.delete(id));
    if (sent.length > 0) writeBack(sent, 'unacknowledge').catch((err: Error) => deps.logger.error(`write-back failed: ${err.message}`));
  });

  deps.pages.onStateChanged((input) => {
    if (input.type !== 'signals') return;
    let heard = false;
    const ids: string[] = [];
    for (const s of input.signals) {
      if (s.fingerprint === 'deadman' && s.id === deadmanPageId(sourceIdOf(s.id))) continue;
      const sourceId = sourceIdOf(s.id);
      heard = true;
      lastDelivery.set(sourceId, input.at);
      if (isHeartbeat(s.labels, deps.heartbeats())) {
        lastHeartbeat.set(sourceId, input.at);
        continue;
      }
      ids.push(s.id);
      if (s.status === 'resolved') labels.delete(s.id);
      else labels.set(s.id, s.labels);
    }
    // only what a replay or poll brought counts as "while you were away"; a live webhook rang on its own
    if (replaying) catchUp.saw(ids);
    if (heard) {
      deadman?.check();
      changed();
    }
  });

  /** Puts "Silenced by … until …" (or inhibited, or this app's own ACK! silence) on a page's timeline when it changes. */
  function noteSuppressions(d: PollDelivery): void {
    const t = deps.t();
    const events: PageEvent[] = [];
    for (const s of d.suppressions) {
      const silence = d.silences[s.pageId]?.[0];
      const text =
        s.state !== 'suppressed'
          ? ''
          : silence
            ? silence.isAck
              ? t('sources.suppression.acknowledgedSilence', { until: hms(silence.endsAt) })
              : t('sources.suppression.silenced', { createdBy: silence.createdBy, until: hms(silence.endsAt) })
            : s.inhibitedBy.length > 0
              ? t('sources.suppression.inhibited')
              : '';
      if ((suppressionNotes.get(s.pageId) ?? '') === text) continue;
      suppressionNotes.set(s.pageId, text);
      if (text !== '') events.push({ pageId: s.pageId, kind: 'updated', at: d.polledAt, detail: text });
    }
    deps.pages.recordEvents(events);
  }

  async function build(): Promise<void> {
    const raw = deps.rawConfig();
    const checked = checkSources(raw.sources);
    const previous = registry;
    previous?.stop();
    deadman?.stop();
    await relays.stop();
    sources = checked.sources;
    broken = checked.broken;
    for (const path of Object.keys(deps.routes)) if (path.startsWith('/webhook/')) delete deps.routes[path];
    const reg = createSourceRegistry({
      sources,
      secrets,
      fetch: deps.fetch,
      clock: deps.clock,
      timers: deps.timers,
      ...(deps.random ? { random: deps.random } : {}),
      severityMapping: deps.severityMapping(),
      knownPages,
      onPoll: (d) => {
        // polls working again after failing (a VPN or a network drop the OS did not report): before
        // what this poll brings is taken in, so it counts toward the digest instead of ringing singly
        if (d.downSince !== null && !catchUp.active()) backAfterDrop(`source ${d.sourceId}`, d.downSince);
        fromReplay(() => deps.pages.receiveSignals(d.reconciliation.signals, groupsOf(d.reconciliation.signals)));
        noteSuppressions(d);
      },
      onStatus: changed,
      who: deps.who(),
    });
    // this app's acknowledgement silences carry over, so they keep being extended
    if (previous) for (const s of sources) reg.restoreAcks(s.id, previous.ackSilences(s.id));
    registry = reg;
    for (const s of sources) if (s.enabled) deps.routes[sourceRoute(s.id)] = routeFor(s);
    const relayEntries = raw.relays.flatMap((r, index) => {
      const id = (r as { id?: unknown } | null)?.id;
      const checkedRelay = checkRelayEntry(r, typeof id === 'string' ? deps.secrets.get(relayTokenSecret(id)) : null);
      if (checkedRelay.ok) return [checkedRelay];
      broken.push({ index, id: typeof id === 'string' ? id : null, code: checkedRelay.error.code, params: checkedRelay.error.params });
      return [];
    });
    const withDeadman = sources.filter((s) => s.enabled && s.deadman);
    deadman = createDeadmanWatch({
      configs: withDeadman.map((s) => ({ sourceId: s.id, sourceKind: s.kind, sourceName: s.name, maxSilenceMs: s.deadman!.maxSilenceMinutes * 60_000, watch: s.deadman!.watch })),
      clock: deps.clock,
      timers: deps.timers,
      lastSeen: (c) => (c.watch === 'heartbeat' ? lastHeartbeat : lastDelivery).get(c.sourceId) ?? null,
      openAlarm: (sourceId) => {
        const page = deps.pages.livePages().find((p) => p.id === deadmanPageId(sourceId));
        return page && page.status !== 'resolved' ? { startsAt: page.startsAt } : null;
      },
      title: (c) => deps.t()('sources.deadman.title', { source: c.sourceName }),
      emit: (signal) => deps.pages.receiveSignals([signal], groupsOf([signal])),
    });
    // starting is a catch-up too: the relay replays what came while the app was closed
    relays.start(relayEntries);
    await reg.start();
    deadman.check();
    changed();
    // not awaited: a source that does not answer must not hold up start-up; the digest follows when quiet.
    // Only the first start catches up (the relay replays what came while the app was closed); a
    // rebuild after a settings change just polls.
    if (started || !replays()) void reg.pollAll();
    else void catchUp.begin(reg.pollAll());
    started = true;
  }

  /** A relay or a poller works again after failing since `downSince`: 30 s or more is an absence, caught up as after a sleep; a shorter blip rings as live. */
  function backAfterDrop(who: string, downSince: number): void {
    const away = deps.clock.now() - downSince;
    if (away < RECONNECT_CATCH_UP_MS) return;
    deps.logger.error(`${who}: back after ${Math.round(away / 1000)} s away; catching up`);
    void catchUpAfterDrop(downSince);
  }

  /**
   * A connection came back after a drop while the app was awake: what it replays, and what every
   * polling source says now, is summed up in one digest, as after a sleep. Relays still waiting out a
   * back-off (the same network drop) connect now too.
   */
  function catchUpAfterDrop(downSince: number): Promise<void> {
    relays.reconnectWaiting();
    return catchUp.begin(Promise.all([registry?.pollAll(), Promise.resolve(deadman?.check())]), downSince);
  }

  /** Only a relay or a polling source can bring news from the time away; webhooks alone have nothing to replay. */
  function replays(): boolean {
    return relays.infos().length > 0 || (registry?.statuses() ?? []).some((s) => s.poller !== null);
  }

  let chain: Promise<void> = Promise.resolve();
  const rebuild = () => {
    secretCache.clear();
    chain = chain.then(build, build);
    return chain;
  };

  function view(): SourcesView {
    const base = deps.listenerBase();
    const statuses = new Map((registry?.statuses() ?? []).map((s) => [s.id, s]));
    const amRoute = deps.pages.routeStatus()[0];
    return {
      sources: sources.map((s) => {
        const st = statuses.get(s.id);
        const heard = Math.max(st?.lastDeliveryAt ?? 0, lastDelivery.get(s.id) ?? 0, s.id === DEFAULT_SOURCE_ID ? (amRoute?.lastDeliveredAt ?? 0) : 0);
        const refusedAt = tokenRefusals.get(s.id);
        const lastError = refusedAt !== undefined ? { code: 'wrongToken', params: {}, at: refusedAt } : (st?.lastError ?? null);
        return {
          id: s.id,
          kind: s.kind,
          name: s.name,
          enabled: s.enabled,
          // a source heard from only through /hooks/alertmanager or a relay is connected too
          state: lastError ? 'failing' : st?.state && st.state !== 'idle' ? st.state : heard > 0 ? 'connected' : 'idle',
          lastDeliveryAt: heard > 0 ? heard : null,
          lastError,
          webhookUrl: base === null ? '' : `${base}${s.id === DEFAULT_SOURCE_ID ? '/hooks/alertmanager' : sourceRoute(s.id)}`,
          hasSigningSecret: deps.secrets.get(secretFileName(secretIds(s.id).signing)) !== null,
          signed: SOURCE_ADAPTERS[s.kind].signature(s.options as never) !== null && deps.secrets.get(secretFileName(secretIds(s.id).signing)) !== null,
          hasApiKey: deps.secrets.get(secretFileName(secretIds(s.id).api)) !== null,
          polling: statuses.get(s.id)?.poller !== null && statuses.get(s.id)?.poller !== undefined,
        };
      }),
      relays: relays.infos(),
      // a source added since then reads that id's events from now on: its strays are no longer news
      strays: [...strays.values()].filter((x) => !sources.some((src) => src.id === x.source)),
      broken: [...broken],
    };
  }

  const handlers = sourcesHandlers({ rawConfig: deps.rawConfig, saveConfig: deps.saveConfig, secrets: deps.secrets, rebuild, view, pollAll: async () => registry?.pollAll() });

  return {
    /** Builds the registry, routes, relays and dead-man's switches from config.json and polls once. */
    start: rebuild,
    /** Rebuilds after config.json changed. */
    reload: rebuild,
    handlers,
    view,
    /**
     * The network is back after `offlineSince` (the app was awake): relays in back-off connect now
     * (open ones keep their stream), every polling source polls at once, then one digest.
     */
    networkBack(offlineSince: number): Promise<void> {
      if (!replays()) return Promise.resolve(deadman?.check()).then(() => undefined);
      return catchUpAfterDrop(offlineSince);
    },
    /** Resume from sleep: replay the relays, poll every source at once, then one digest. */
    resume(): Promise<void> {
      relays.reconnectAll();
      const work = Promise.all([registry?.pollAll(), Promise.resolve(deadman?.check())]);
      return replays() ? catchUp.begin(work) : work.then(() => undefined);
    },
    /** True while catching up. */
    catchingUp: () => catchUp.active(),
    /** True while a catch-up takes in replayed or polled signals: their single rings are held back, the digest sums them up. */
    ringsFromCatchUp: () => catchUp.active() && replaying,
    /** The Pages view's "While you were away" section: the last digest, and dismissing it. */
    catchUpHandlers: {
      'catchup:get': () => catchUp.last(),
      'catchup:dismiss': () => catchUp.dismiss(),
    } satisfies Pick<IpcHandlers, 'catchup:get' | 'catchup:dismiss'>,
    async stop(): Promise<void> {
      // acknowledgements still in their Undo window go out now rather than never; quitting waits
      // for them a little, so an ack given just before quitting still stops the source's escalation
      const held = [...heldAcks.keys()];
      heldAcks.clear();
      if (held.length > 0) {
        let timer: unknown = null;
        await Promise.race([writeBack(held, 'acknowledge'), new Promise<void>((resolve) => (timer = deps.timers.setTimeout(resolve, STOP_FLUSH_MS)))]);
        deps.timers.clearTimeout(timer);
      }
      registry?.stop();
      deadman?.stop();
      catchUp.stop();
      if (changedTimer !== null) deps.timers.clearTimeout(changedTimer);
      changedTimer = null;
      await relays.stop();
    },
  };
}
/** The running sources feature. */
export type SourcesFeature = ReturnType<typeof setupSources>;
