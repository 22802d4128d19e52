import type { Severity } from './severity';
import type { SourceKind } from './sources/kinds';

/** Lifecycle of a page: firing → acknowledged → resolved; a resolved page that fires again reopens. */
export type PageStatus = 'firing' | 'acknowledged' | 'resolved';

/** Where a page came from. */
export type PageSource = SourceKind;

/** What a source reports about one alert at one moment, before it meets the stored page. */
export interface PageSignal {
  /** Stable key across updates: `${source}:${fingerprint}`. */
  id: string;
  source: PageSource;
  fingerprint: string;
  groupKey: string;
  status: 'firing' | 'resolved';
  title: string;
  severity: Severity;
  summary: string;
  instance: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Epoch ms the alert started. */
  startsAt: number;
  /** Epoch ms the alert ended; only set for resolved signals. */
  endsAt: number | null;
  generatorUrl: string | null;
  runbookUrl: string | null;
}

/** A stored page: the latest signal merged with what the engineer did about it. */
export interface Page {
  id: string;
  source: PageSource;
  fingerprint: string;
  groupKey: string;
  status: PageStatus;
  title: string;
  severity: Severity;
  summary: string;
  instance: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
  endsAt: number | null;
  generatorUrl: string | null;
  runbookUrl: string | null;
  /** First time this app received the page (epoch ms). */
  receivedAt: number;
  updatedAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  /** How many times the page fired (1 + reopenings). */
  fireCount: number;
}

/** Timeline entry kinds recorded per page. */
export type PageEventKind = 'received' | 'notified' | 'acknowledged' | 'resolved' | 'reopened' | 'updated' | 'writeBack' | 'escalated' | 'snoozed' | 'unacknowledged';

/** A timeline entry, computed by the state machine and stored beside the page. */
export interface PageEvent {
  pageId: string;
  kind: PageEventKind;
  at: number;
  detail?: string;
}

/** Result of applying something to a page: the new page (or null for "no change") and events to record. */
export interface Transition {
  page: Page;
  events: PageEvent[];
  changed: boolean;
}

function fromSignal(signal: PageSignal): Omit<Page, 'status' | 'receivedAt' | 'updatedAt' | 'acknowledgedAt' | 'resolvedAt' | 'fireCount'> {
  return {
    id: signal.id,
    source: signal.source,
    fingerprint: signal.fingerprint,
    groupKey: signal.groupKey,
    title: signal.title,
    severity: signal.severity,
    summary: signal.summary,
    instance: signal.instance,
    labels: signal.labels,
    annotations: signal.annotations,
    startsAt: signal.startsAt,
    endsAt: signal.endsAt,
    generatorUrl: signal.generatorUrl,
    runbookUrl: signal.runbookUrl,
  };
}

/**
 * Applies a source signal to the stored page (or to nothing, for a new page).
 * Stale signals are ignored: a firing signal for an alert whose resolution we already hold only
 * reopens the page when it started after that resolution, since Alertmanager may re-send an old
 * group after the resolve arrived.
 */
export function applySignal(current: Page | undefined, signal: PageSignal, now: number): Transition {
  const base = fromSignal(signal);
  if (!current) {
    const resolved = signal.status === 'resolved';
    const page: Page = {
      ...base,
      status: resolved ? 'resolved' : 'firing',
      receivedAt: now,
      updatedAt: now,
      acknowledgedAt: null,
      resolvedAt: resolved ? (signal.endsAt ?? now) : null,
      fireCount: 1,
    };
    const events: PageEvent[] = [{ pageId: page.id, kind: 'received', at: now }];
    if (resolved) events.push({ pageId: page.id, kind: 'resolved', at: now });
    return { page, events, changed: true };
  }

  if (signal.status === 'resolved') {
    if (current.status === 'resolved') return { page: current, events: [], changed: false };
    if (signal.startsAt < current.startsAt) return { page: current, events: [], changed: false };
    const page: Page = { ...current, ...base, status: 'resolved', resolvedAt: signal.endsAt ?? now, updatedAt: now };
    return { page, events: [{ pageId: page.id, kind: 'resolved', at: now }], changed: true };
  }

  // signal is firing
  if (current.status === 'resolved') {
    // The same alert instance (same start) re-sent after its resolve is stale, not a new incident.
    if (signal.startsAt <= current.startsAt) return { page: current, events: [], changed: false };
    const page: Page = {
      ...current,
      ...base,
      endsAt: null,
      status: 'firing',
      acknowledgedAt: null,
      resolvedAt: null,
      updatedAt: now,
      fireCount: current.fireCount + 1,
    };
    return { page, events: [{ pageId: page.id, kind: 'reopened', at: now }], changed: true };
  }

  // still firing or acknowledged: refresh details, keep the engineer's acknowledgement
  const page: Page = { ...current, ...base, endsAt: null, status: current.status, updatedAt: now };
  const changed = page.summary !== current.summary || page.severity !== current.severity || page.title !== current.title;
  return { page, events: changed ? [{ pageId: page.id, kind: 'updated', at: now }] : [], changed };
}

/** Acknowledges a firing page; anything else is left as it is. */
export function acknowledge(current: Page, now: number): Transition {
  if (current.status !== 'firing') return { page: current, events: [], changed: false };
  const page: Page = { ...current, status: 'acknowledged', acknowledgedAt: now, updatedAt: now };
  return { page, events: [{ pageId: page.id, kind: 'acknowledged', at: now }], changed: true };
}

/**
 * Takes an acknowledgement back (Undo, or "I can't handle this after all"): the page needs a
 * human again. A page that resolved meanwhile stays resolved: there is nothing left to answer.
 */
export function unacknowledge(current: Page, now: number): Transition {
  if (current.status !== 'acknowledged') return { page: current, events: [], changed: false };
  const page: Page = { ...current, status: 'firing', acknowledgedAt: null, updatedAt: now };
  return { page, events: [{ pageId: page.id, kind: 'unacknowledged', at: now }], changed: true };
}

/** True when the page still needs a human: firing and not yet acknowledged. */
export function needsAttention(page: Pick<Page, 'status'>): boolean {
  return page.status === 'firing';
}

/** Whether a signal should raise a native notification given what main already knows. */
export function shouldNotify(previous: 'firing' | 'resolved' | undefined, signal: Pick<PageSignal, 'status'>): boolean {
  return signal.status === 'firing' && previous !== 'firing';
}
