import type { NotificationContent } from '../../core/notification';

/** Raises a native notification; implementations must not throw. */
export interface Notifier {
  notify(content: NotificationContent): void;
}

/** The slice of node-notifier we use, so tests can pass a recorder. */
export interface NodeNotifierLike {
  notify(options: Record<string, unknown>, callback?: (err: Error | null, response?: unknown, metadata?: unknown) => void): unknown;
}

/**
 * Whether node-notifier reports a click on this platform: Notification Center (macOS) and the
 * Windows toasters do; notify-send on Linux cannot, and waiting there would only hold a process.
 */
export function notificationClicksSupported(platform: string): boolean {
  return platform === 'darwin' || platform === 'win32';
}

/** node-notifier's answer when the user clicked the notification itself (not a button, not a timeout). */
export function isClick(response: unknown, metadata: unknown): boolean {
  const r = typeof response === 'string' ? response.toLowerCase() : '';
  const activation = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>)['activationType'] : undefined;
  if (activation === 'contentsClicked') return true;
  return r === 'activate' || r === 'clicked' || r === 'click';
}

const CONTROL = /[\u0000-\u001f\u007f]/g;

/** Alert text is attacker-reachable (anyone who can post to Alertmanager): strip control characters and cap length. */
export function cleanText(text: string, max: number): string {
  const flat = text.replace(CONTROL, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** notify-send bodies are parsed as markup by most notification servers. */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Notifier over node-notifier (notify-send on Linux, native centres elsewhere). */
export function createNodeNotifier(deps: {
  backend: NodeNotifierLike;
  appName: string;
  icon?: string;
  onError?: (err: Error) => void;
  /** Called when the user clicks a notification (where the OS reports it): open the app at its route. */
  onClick?: (content: NotificationContent) => void;
}): Notifier {
  return {
    notify(content) {
      const options: Record<string, unknown> = {
        title: cleanText(content.title, 200),
        // notify-send refuses an empty message, and an empty body is no help at 3 a.m. either
        message: escapeMarkup(cleanText(content.body, 500)) || cleanText(content.title, 200),
        urgency: content.urgency,
        'app-name': deps.appName,
        // critical pages stay until dismissed; others fade after 15 s
        timeout: content.urgency === 'critical' ? 0 : 15,
        // waiting is what makes node-notifier report the click; only asked for where it can
        wait: deps.onClick !== undefined,
      };
      if (deps.icon) options['icon'] = deps.icon;
      try {
        deps.backend.notify(options, (err, response, metadata) => {
          if (err && deps.onError) deps.onError(err instanceof Error ? err : new Error(String(err)));
          else if (!err && deps.onClick && isClick(response, metadata)) deps.onClick(content);
        });
      } catch (err) {
        deps.onError?.(err as Error);
      }
    },
  };
}
