import type { i18n } from 'i18next';
import { readFileSync } from 'node:fs';
import { parseAlertmanagerText, PayloadError } from '../../core/alertmanager';
import type { Delivery, Refusal, RequestOf, RouteStatus } from '../../core/ipc-contract';
import { notificationForRing } from '../../core/notification';
import type { PageEvent, PageSignal } from '../../core/page';
import { attention, nextTickAt, openGroups, type GroupInfo, type LivePage, type PagerEffect, type PagerInput, type RingEffect } from '../../core/pager/live-state';
import type { SeverityMapping } from '../../core/severity';
import type { Clock, Logger, RendererEvents, TrayAdapter } from '../adapters';
import type { Timers } from '../features/rota';
import type { Notifier } from '../services/notifier';
import type { Outbox } from '../services/outbox';
import { ImportError } from '../import/errors';
import type { ImportService } from '../import/import-service';
import { writeFileAtomic } from '../services/atomic-file';
import type { PagerStore } from '../services/pager-store';
import { HttpError, type WebhookRequest } from '../services/webhook-listener';

/** The Alertmanager webhook route. */
export const ALERTMANAGER_ROUTE = '/hooks/alertmanager';

/** Turns a webhook body into signals; off main's event loop for large bodies when a worker is given. */
export type WebhookParser = (raw: Buffer, mapping: SeverityMapping) => Promise<{ signals: PageSignal[]; groups: GroupInfo[] }>;

const httpStatusOf = (code: string | undefined) => (code === 'malformedJson' ? 400 : 422);

/** Parses on the calling thread: fine for the small bodies that are nearly all webhooks. */
export const inlineParser: WebhookParser = async (raw, mapping) => {
  try {
    return parseAlertmanagerText(raw.toString('utf8'), mapping);
  } catch (err) {
    if (err instanceof PayloadError) throw new HttpError(httpStatusOf(err.code), err.message);
    throw err;
  }
};

/** Bodies up to this size are parsed inline; larger ones (big groups) go to the worker. */
export const INLINE_PARSE_BYTES = 256 * 1024;

/**
 * Parses large bodies in an import worker, so a 30 MiB group never stalls the listener for the
 * webhooks behind it. The worker's own refusals keep their HTTP meaning (400/422); a worker that
 * ran out of time or memory answers 503, so Alertmanager retries rather than dropping the page.
 */
export function workerParser(imports: ImportService): WebhookParser {
  return async (raw, mapping) => {
    if (raw.length <= INLINE_PARSE_BYTES) return inlineParser(raw, mapping);
    try {
      // a copy: the worker takes ownership of what it is handed, and the caller may still need raw
      return await imports.run('alertmanager-webhook', { bytes: new Uint8Array(raw), mapping });
    } catch (err) {
      if (err instanceof ImportError && err.code === 'imports.invalid' && err.params['jobError'] === 'PayloadError') {
        throw new HttpError(httpStatusOf(String(err.params['jobCode'])), String(err.params['message']));
      }
      throw new HttpError(503, `could not parse the webhook in time: ${(err as Error).message}`);
    }
  };
}

export interface PagesDeps {
  store: PagerStore;
  outbox: Outbox;
  notifier: Notifier;
  tray: TrayAdapter;
  events: RendererEvents;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  newId: () => string;
  severityMapping: () => SeverityMapping;
  t: () => i18n['t'];
  /** Who acknowledges: the OS user name. */
  whoami: () => string;
  parse?: WebhookParser;
  /** Called when what Settings shows about routes or heartbeats changed. */
  onStatusChanged?: () => void;
  /** Where each route's last delivery is kept, so "last delivered" survives a restart. */
  routeStatsFile?: string;
  /**
   * Asked before a group rings: the alarm policy (quiet hours, Do Not Disturb, snoozes) may hold
   * the notification back or change its urgency. Without it every ring is shown.
   */
  ringPolicy?: (ring: RingEffect) => { show: boolean; urgency?: 'critical' | 'normal' };
}

function loadLastDelivered(file: string | undefined): Record<string, number | null> {
  if (!file) return {};
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof data !== 'object' || data === null) return {};
    return Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
  } catch {
    return {};
  }
}

interface RouteStats {
  lastDeliveredAt: number | null;
  refusal: Refusal | null;
}

/**
 * The pages feature in main: it owns the live pager state. Webhooks and engineer commands become
 * reducer inputs; the effects become notifications, tray updates and deliveries to the renderer.
 */
export function setupPages(deps: PagesDeps) {
  const parse = deps.parse ?? inlineParser;
  const routes = new Map<string, RouteStats>([[ALERTMANAGER_ROUTE, { lastDeliveredAt: loadLastDelivered(deps.routeStatsFile)[ALERTMANAGER_ROUTE] ?? null, refusal: null }]]);
  let statsSavedAt = 0;
  const saveStats = (force: boolean) => {
    const now = deps.clock.now();
    if (!deps.routeStatsFile || (!force && now - statsSavedAt < 5_000)) return;
    statsSavedAt = now;
    const data = Object.fromEntries([...routes].map(([path, s]) => [path, s.lastDeliveredAt]));
    try {
      writeFileAtomic(deps.routeStatsFile, JSON.stringify(data));
    } catch {
      // only a convenience for Settings; the storage error is reported by the journals
    }
  };
  let tickTimer: unknown = null;
  let tickAt: number | null = null;
  const changeListeners = new Set<(input: PagerInput) => void>();

  /** Carries out effects, then journals the input: see PagerStore.record for why in that order. */
  function run(input: PagerInput): PagerEffect[] {
    // pages main has never seen, told to the window so it can skip reading them (a hint it verifies)
    const known = deps.store.state().pages;
    const newIds = input.type === 'signals' ? [...new Set(input.signals.filter((sig) => !known.has(sig.id)).map((sig) => sig.id))] : [];
    const { effects, journal } = deps.store.apply(input);
    const t = deps.t();
    for (const effect of effects) {
      if (effect.type !== 'notify') continue;
      const decision = deps.ringPolicy?.(effect) ?? { show: true };
      if (!decision.show) continue;
      const content = notificationForRing(effect, (n) => t('notifications.more', { count: n }));
      deps.notifier.notify(decision.urgency ? { ...content, urgency: decision.urgency } : content);
    }
    let delivered = false;
    for (const effect of effects) {
      if (effect.type !== 'deliver') continue;
      const delivery: Delivery = {
        id: deps.newId(),
        receivedAt: input.at,
        notifiedAt: null,
        signals: effect.signals,
        commands: effect.commands,
        events: effect.events,
        groups: effect.groups,
        // heartbeats are never delivered: only ids of signals that are
        newIds: newIds.length > 0 ? onlyOf(newIds, effect.signals) : [],
      };
      deps.outbox.add(delivery);
      delivered = true;
    }
    if (journal) deps.store.record(journal);
    if (journal) for (const l of changeListeners) l(input);
    if (delivered) announce();
    updateTray();
    armTick();
    return effects;
  }

  /** True from an announcement until the window's next pull: it will see everything added meanwhile. */
  let announced = false;
  /**
   * Tells the window there is something to pull, once until it pulls: at 100 pages a second an event
   * per page kept the window busy answering announcements of what its pull in flight already brings.
   */
  function announce(): void {
    if (announced) return;
    announced = true;
    deps.events.emit('deliveries:available', { count: deps.outbox.size() });
  }

  function onlyOf(ids: readonly string[], signals: readonly PageSignal[]): string[] {
    const delivered = new Set(signals.map((sig) => sig.id));
    return ids.filter((id) => delivered.has(id));
  }

  function updateTray(): void {
    const state = deps.store.state();
    deps.tray.setAttention(attention(state));
    deps.tray.setOpenGroups?.(openGroups(state, 5));
  }

  function armTick(): void {
    const due = nextTickAt(deps.store.state());
    if (due === tickAt) return;
    if (tickTimer !== null) deps.timers.clearTimeout(tickTimer);
    tickTimer = null;
    tickAt = due;
    if (due === null) return;
    // an absolute due time: a timer that fires late (sleep) still ends the window correctly
    tickTimer = deps.timers.setTimeout(() => {
      tickTimer = null;
      tickAt = null;
      run({ type: 'tick', at: deps.clock.now() });
    }, Math.max(0, due - deps.clock.now()));
  }

  /** Any source's signals: a webhook, a poll's reconciliation, a relay event, a dead-man's switch. */
  function receiveSignals(signals: PageSignal[], groups: GroupInfo[]): void {
    const heartbeatsBefore = deps.store.state().heartbeats.size;
    if (signals.length > 0) run({ type: 'signals', at: deps.clock.now(), signals, groups });
    if (deps.store.state().heartbeats.size !== heartbeatsBefore) deps.onStatusChanged?.();
  }

  async function receiveAlertmanager(request: WebhookRequest): Promise<{ accepted: number }> {
    const { signals, groups } = await parse(request.raw, deps.severityMapping());
    receiveSignals(signals, groups);
    return { accepted: signals.length };
  }

  const ackListeners = new Set<(ids: string[], by: string) => void>();

  function acknowledge(target: RequestOf<'pages:acknowledge'>): { acknowledged: number; ids: string[] } {
    const by = deps.whoami();
    const effects = run({ type: 'acknowledge', at: deps.clock.now(), target, by });
    const ids = effects.flatMap((e) => (e.type === 'deliver' ? e.commands.flatMap((c) => c.ids) : []));
    // write-back to the sources (silence, PUT /incidents, ...) happens after the local ack stands
    if (ids.length > 0) for (const l of ackListeners) l(ids, by);
    return { acknowledged: ids.length, ids };
  }

  const unackListeners = new Set<(ids: string[], by: string) => void>();

  /** Undo: only pages that are acknowledged now turn back to firing; the sources hear of it after. */
  function unacknowledge({ ids: requested }: RequestOf<'pages:unacknowledge'>): { unacknowledged: number } {
    const by = deps.whoami();
    const effects = run({ type: 'unacknowledge', at: deps.clock.now(), ids: [...new Set(requested)], by });
    const ids = effects.flatMap((e) => (e.type === 'deliver' ? e.commands.flatMap((c) => c.ids) : []));
    if (ids.length > 0) for (const l of unackListeners) l(ids, by);
    return { unacknowledged: ids.length };
  }

  /**
   * Resolves once every input and delivery taken in so far is on disk (both journals are fsynced off
   * the loop, by group commit). Whatever tells the outside "stored" (a webhook's 200, the relay
   * cursor, a command's answer) waits for it; a notification does not.
   */
  function durable(): Promise<void> {
    return Promise.all([deps.store.durable(), deps.outbox.durable()]).then(() => undefined);
  }

  /**
   * A command's answer, sent once the change is on disk, as a webhook's sender hears "stored". If the
   * disk fails, the change still stands (the alarm stopped): Settings and the tray name the storage
   * problem, and the answer does not claim the command failed.
   */
  async function onDisk<T>(result: T): Promise<T> {
    await durable().catch(() => undefined);
    return result;
  }

  return {
    routes: { [ALERTMANAGER_ROUTE]: receiveAlertmanager },
    durable,
    /** Which changes the window has stored in its Dexie (see Outbox.mark): what may move a relay cursor. */
    inWindow: {
      mark: () => deps.outbox.mark(),
      confirmedThrough: () => deps.outbox.confirmedThrough(),
      whenConfirmed: (mark: number, signal?: AbortSignal) => deps.outbox.whenConfirmed(mark, signal),
    },
    handlers: {
      'deliveries:pull': ({ after }: RequestOf<'deliveries:pull'>) => {
        // the window is pulling: what is added from now on must be announced again
        announced = false;
        return deps.outbox.pending(after);
      },
      'deliveries:confirm': ({ ids }: RequestOf<'deliveries:confirm'>) => {
        deps.outbox.confirm(ids);
        // a backlog drains in batches: tell the renderer there is more
        if (deps.outbox.size() > 0) announce();
      },
      'pages:acknowledge': (target: RequestOf<'pages:acknowledge'>) => onDisk(acknowledge(target)),
      'pages:unacknowledge': (request: RequestOf<'pages:unacknowledge'>) => onDisk(unacknowledge(request)),
      'pager:seed': ({ pages, done }: RequestOf<'pager:seed'>) => {
        if (!deps.store.state().seeded) run({ type: 'seed', at: deps.clock.now(), pages: pages as LivePage[], done });
      },
    },
    receiveSignals,
    /** Called after every input that changed the live state (alarms re-evaluate then). */
    onStateChanged(listener: (input: PagerInput) => void): () => void {
      changeListeners.add(listener);
      return () => void changeListeners.delete(listener);
    },
    /** The live state, read-only by convention: the reducer owns it. */
    state: () => deps.store.state(),
    /** Called with the ids main acknowledged, for writing the acknowledgement back to sources. */
    onAcknowledged(listener: (ids: string[], by: string) => void): () => void {
      ackListeners.add(listener);
      return () => void ackListeners.delete(listener);
    },
    /** Called with the ids whose acknowledgement was taken back, for expiring silences and the like. */
    onUnacknowledged(listener: (ids: string[], by: string) => void): () => void {
      unackListeners.add(listener);
      return () => void unackListeners.delete(listener);
    },
    /** The live pages main knows (for a poll's reconciliation of one source). */
    livePages: (): LivePage[] => [...deps.store.state().pages.values()],
    /** Adds a timeline-only event (e.g. "ack sent to PagerDuty ✓") through the delivery path. */
    recordEvents(events: PageEvent[]): void {
      if (events.length === 0) return;
      deps.outbox.add({ id: deps.newId(), receivedAt: deps.clock.now(), notifiedAt: null, signals: [], commands: [], events, groups: [], newIds: [] });
      announce();
    },
    /** Tray menu "Acknowledge all": main owns the state, so it works with the window closed. */
    acknowledgeAll: () => acknowledge({ all: true }),
    acknowledgeGroup: (groupKey: string) => acknowledge({ groupKey }),
    /** Counts refusals per route since its last good delivery, so a wrong token is never silent. */
    recordOutcome(path: string, status: number, reason: string | null): void {
      const stats = routes.get(path);
      if (!stats) return;
      const now = deps.clock.now();
      if (status >= 200 && status < 300) {
        stats.lastDeliveredAt = now;
        stats.refusal = null;
        saveStats(false);
      } else if (status >= 400 && status < 500) {
        const r = stats.refusal;
        stats.refusal = { count: (r?.count ?? 0) + 1, since: r?.since ?? now, lastAt: now, lastStatus: status, lastReason: reason ?? String(status) };
      } else {
        return;
      }
      deps.onStatusChanged?.();
    },
    routeStatus(): RouteStatus[] {
      return [...routes].map(([path, s]) => ({ path, label: 'Alertmanager', lastDeliveredAt: s.lastDeliveredAt, refusal: s.refusal }));
    },
    heartbeats: () => [...deps.store.state().heartbeats.values()],
    needsSeed: () => !deps.store.state().seeded,
    /** Re-sends the tray state and re-arms the window timer (start-up, language change, resume). */
    refresh(): void {
      updateTray();
      tickAt = null;
      armTick();
    },
    stop(): void {
      saveStats(true);
      if (tickTimer !== null) deps.timers.clearTimeout(tickTimer);
      tickTimer = null;
      deps.store.compact();
    },
  };
}
export type PagesFeature = ReturnType<typeof setupPages>;
