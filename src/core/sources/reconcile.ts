import type { Page, PageSignal } from '../page';

/**
 * What main knows about one open page of this source, for reconciliation. Main's live state keeps
 * no labels or links, so those are optional; a closing signal then carries them empty.
 */
export type KnownPage = Pick<Page, 'id' | 'source' | 'fingerprint' | 'groupKey' | 'title' | 'severity' | 'summary' | 'instance' | 'startsAt' | 'receivedAt'> &
  Partial<Pick<Page, 'labels' | 'annotations' | 'generatorUrl' | 'runbookUrl'>>;

/** The outcome of one reconciliation: signals to apply, in order, and the pages it closed. */
export interface Reconciliation {
  /** Firing (new or refreshed) and resolved signals for the reducer. */
  signals: PageSignal[];
  /** Ids of known pages closed because Alertmanager no longer lists them as firing. */
  closed: string[];
  /** Ids of alerts Alertmanager lists that the app did not know (missed while asleep). */
  discovered: string[];
}

/** A resolved signal for a known page, keeping everything the page already shows. */
function closingSignal(page: KnownPage, endsAt: number): PageSignal {
  return {
    id: page.id,
    source: page.source,
    fingerprint: page.fingerprint,
    groupKey: page.groupKey,
    status: 'resolved',
    title: page.title,
    severity: page.severity,
    summary: page.summary,
    instance: page.instance,
    labels: page.labels ?? {},
    annotations: page.annotations ?? {},
    startsAt: page.startsAt,
    endsAt,
    generatorUrl: page.generatorUrl ?? null,
    runbookUrl: page.runbookUrl ?? null,
  };
}

/**
 * Reconciles the open pages of one source with the complete list of open alerts from a poll that
 * was *sent* at `polledAt`: a known page the source no longer lists is closed. Pages that arrived
 * after the poll was sent are left alone. Known pages keep their webhook group key, so polling
 * does not move them between groups.
 */
export function reconcileListed(known: readonly KnownPage[], listedSignals: readonly PageSignal[], polledAt: number): Reconciliation {
  const listed = new Map(listedSignals.map((s) => [s.id, s]));
  const knownById = new Map(known.map((p) => [p.id, p]));
  const signals: PageSignal[] = [];
  const closed: string[] = [];
  const discovered: string[] = [];
  for (const s of listedSignals) {
    const page = knownById.get(s.id);
    if (page) {
      signals.push({ ...s, groupKey: page.groupKey });
      if (s.status === 'resolved') closed.push(page.id);
    } else if (s.status === 'firing') {
      discovered.push(s.id);
      signals.push(s);
    }
  }
  for (const page of known) {
    if (listed.has(page.id) || page.receivedAt >= polledAt) continue;
    closed.push(page.id);
    signals.push(closingSignal(page, polledAt));
  }
  return { signals, closed, discovered };
}
