import { normalizeAlertmanagerWebhook, PayloadError } from '../../core/alertmanager';
import type { Delivery, RequestOf } from '../../core/ipc-contract';
import { notificationFor } from '../../core/notification';
import { shouldNotify } from '../../core/page';
import type { SeverityMapping } from '../../core/severity';
import type { Clock, Logger, RendererEvents, TrayAdapter } from '../adapters';
import type { Notifier } from '../services/notifier';
import type { Outbox } from '../services/outbox';
import { HttpError } from '../services/webhook-listener';

/** Remember at most this many alert states for notification de-duplication. */
const MAX_KNOWN = 50_000;

export interface PagesDeps {
  outbox: Outbox;
  notifier: Notifier;
  tray: TrayAdapter;
  events: RendererEvents;
  clock: Clock;
  logger: Logger;
  newId: () => string;
  severityMapping: () => SeverityMapping;
}

/** The pages feature in main: webhook → notification → durable outbox → renderer. */
export function setupPages(deps: PagesDeps) {
  // Last status main saw per page, so a repeat of a still-firing alert does not ring again.
  const known = new Map<string, 'firing' | 'resolved'>();

  function remember(id: string, status: 'firing' | 'resolved'): void {
    known.delete(id);
    known.set(id, status);
    if (known.size > MAX_KNOWN) known.delete(known.keys().next().value as string);
  }

  function receiveAlertmanager(body: unknown): { accepted: number } {
    let signals;
    try {
      signals = normalizeAlertmanagerWebhook(body, deps.severityMapping());
    } catch (err) {
      if (err instanceof PayloadError) throw new HttpError(422, err.message);
      throw err;
    }
    const receivedAt = deps.clock.now();
    let notifiedAt: number | null = null;
    let firing = 0;
    // Notify first: the person matters more than the bookkeeping, and notify() never throws.
    for (const signal of signals) {
      if (signal.status === 'firing') firing++;
      if (shouldNotify(known.get(signal.id), signal)) {
        deps.notifier.notify(notificationFor(signal));
        notifiedAt = deps.clock.now();
      }
    }
    if (signals.length === 0) return { accepted: 0 };
    const delivery: Delivery = { id: deps.newId(), receivedAt, notifiedAt, signals };
    deps.outbox.add(delivery); // throws → 500 → Alertmanager retries
    for (const signal of signals) remember(signal.id, signal.status);
    if (notifiedAt !== null) deps.tray.setAttention({ unacknowledged: Math.max(1, firing), firing });
    deps.events.emit('deliveries:available', { count: deps.outbox.pending().length });
    return { accepted: signals.length };
  }

  return {
    routes: { '/hooks/alertmanager': receiveAlertmanager },
    handlers: {
      'deliveries:pull': () => deps.outbox.pending(),
      'deliveries:confirm': ({ ids }: RequestOf<'deliveries:confirm'>) => {
        deps.outbox.confirm(ids);
      },
      'tray:set-attention': (state: RequestOf<'tray:set-attention'>) => deps.tray.setAttention(state),
    },
    /** Tray menu "Acknowledge all": the renderer owns the store, so ask it. */
    requestAcknowledgeAll(): void {
      deps.events.emit('pages:acknowledge-all-requested', { at: deps.clock.now() });
    },
  };
}
