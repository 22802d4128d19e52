import type { PageSignal } from './page';

/** What the OS notification shows for a firing page; no fixed words, so nothing to translate. */
export interface NotificationContent {
  title: string;
  body: string;
  /** P1 and P2 page loudly (critical urgency stays on screen until dismissed). */
  urgency: 'critical' | 'normal';
  pageId: string;
}

/** Title = alertname and severity, body = summary and instance. */
export function notificationFor(signal: PageSignal): NotificationContent {
  const body = [signal.summary, signal.instance].filter((s) => s.length > 0).join(' — ');
  return {
    title: `${signal.title} · ${signal.severity}`,
    body,
    urgency: signal.severity === 'P1' || signal.severity === 'P2' ? 'critical' : 'normal',
    pageId: signal.id,
  };
}
