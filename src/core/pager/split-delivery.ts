import type { Delivery } from '../ipc-contract';

/**
 * Signals per delivery at most. A webhook of 1,000 alerts used to be one delivery, so the window
 * received and parsed it in one piece: a task of several hundred milliseconds in a storm. In
 * slices, every pull and every IndexedDB transaction stays small and the list keeps painting.
 */
export const DELIVERY_MAX_SIGNALS = 500;

/**
 * Splits a large delivery into slices with ids `<id>/<n>`, each stored exactly once by its own
 * receipt. Order is kept within and across slices: signals in their order, each timeline event
 * with the slice that holds its page's signal (else the last), commands after every signal (in
 * the last slice), group facts with the first.
 */
export function splitDelivery(delivery: Delivery, max = DELIVERY_MAX_SIGNALS): Delivery[] {
  if (delivery.signals.length <= max) return [delivery];
  const parts: Delivery[] = [];
  const sliceOf = new Map<string, number>();
  for (let i = 0; i < delivery.signals.length; i += max) {
    const n = parts.length;
    const signals = delivery.signals.slice(i, i + max);
    for (const s of signals) sliceOf.set(s.id, n);
    parts.push({ id: `${delivery.id}/${n}`, receivedAt: delivery.receivedAt, notifiedAt: delivery.notifiedAt, signals, commands: [], events: [], groups: n === 0 ? delivery.groups : [], newIds: [] });
  }
  for (const id of delivery.newIds) {
    const n = sliceOf.get(id);
    if (n !== undefined) parts[n]!.newIds.push(id);
  }
  const last = parts[parts.length - 1]!;
  for (const event of delivery.events) parts[sliceOf.get(event.pageId) ?? parts.length - 1]!.events.push(event);
  last.commands = delivery.commands;
  return parts;
}
