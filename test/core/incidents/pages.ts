import { acknowledge, applySignal, type Page, type PageEvent } from '../../../src/core/page';
import type { Severity } from '../../../src/core/severity';

/** A page received at `receivedAt`, started `lead` ms earlier, through the real page state machine. */
export function receivedPage(id: string, receivedAt: number, opts: { severity?: Severity; lead?: number; title?: string } = {}): { page: Page; events: PageEvent[] } {
  const startsAt = receivedAt - (opts.lead ?? 0);
  return applySignal(
    undefined,
    {
      id,
      source: 'alertmanager',
      fingerprint: id,
      groupKey: 'g',
      status: 'firing',
      title: opts.title ?? `Alert ${id}`,
      severity: opts.severity ?? 'P2',
      summary: '',
      instance: 'db-1',
      labels: { alertname: opts.title ?? id },
      annotations: {},
      startsAt,
      endsAt: null,
      generatorUrl: null,
      runbookUrl: null,
    },
    receivedAt,
  );
}

/** Acknowledges through the real state machine. */
export function ackPage(page: Page, at: number): { page: Page; events: PageEvent[] } {
  return acknowledge(page, at);
}
