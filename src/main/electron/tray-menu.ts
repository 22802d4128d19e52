import type { i18n } from 'i18next';
import type { SnoozeMinutes } from '../../core/alarms/state';
import type { TrayIcon, TrayModel, TrayText } from '../../core/alarms/tray-model';

/** What the tray menu's entries do; main wires them to the pager and the alarms. */
export interface TrayMenuActions {
  openGroup(groupKey: string): void;
  acknowledgeGroup(groupKey: string): void;
  snoozeGroup(groupKey: string, minutes: SnoozeMinutes): void;
  acknowledgeAll(): void;
  selfTest(): void;
  dndOn(): void;
  dndOff(): void;
  open(): void;
  quit(): void;
}

/** A menu entry in Electron's template shape (plain data, so it renders without Electron too). */
export interface TrayMenuItem {
  label?: string;
  type?: 'separator' | 'normal';
  enabled?: boolean;
  click?: () => void;
  submenu?: TrayMenuItem[];
}

/** The icon file (without size and extension) for each tray state. */
export const TRAY_ICON_FILES: Readonly<Record<TrayIcon, string>> = { attention: 'tray-alert', broken: 'tray-broken', onCall: 'tray-normal', offCall: 'tray-off' };

/** Translates a model text; a `time` param is epoch ms and is formatted first. */
export function trayText(text: TrayText, t: i18n['t'], formatTime: (ms: number) => string): string {
  const params: Record<string, string | number> = { ...text.params };
  if (typeof params['time'] === 'number') params['time'] = formatTime(params['time']);
  // the model names failed self-test checks by id; the tray names them in words
  if (text.key === 'alarms.selfTest.failing' && typeof params['checks'] === 'string') {
    params['checks'] = params['checks']
      .split(', ')
      .map((c) => t(`alarms.selfTest.checks.${c}`))
      .join(', ');
  }
  return t(text.key, params);
}

/** The tooltip: one line per model line, after any warnings (refused webhooks and the like). */
export function trayTooltip(model: TrayModel, t: i18n['t'], formatTime: (ms: number) => string, warnings: string[] = []): string {
  const lines = [...warnings, ...model.tooltip.map((x) => trayText(x, t, formatTime))];
  return lines.length > 0 ? lines.join('\n') : t('tray.tooltipQuiet');
}

/**
 * The tray menu from the model: each group with Open, Acknowledge and Snooze in a submenu, then
 * the model's actions, then Quit. Warnings come first, greyed out, so nothing unreliable is hidden.
 */
export function trayMenuTemplate(model: TrayModel, t: i18n['t'], formatTime: (ms: number) => string, actions: TrayMenuActions, warnings: string[] = []): TrayMenuItem[] {
  const items: TrayMenuItem[] = warnings.map((w) => ({ label: w, enabled: false }));
  if (items.length > 0) items.push({ type: 'separator' });
  for (const entry of model.menu) {
    if (entry.kind === 'separator') {
      items.push({ type: 'separator' });
      continue;
    }
    const label = trayText(entry.label, t, formatTime);
    if (entry.kind === 'group') {
      const key = entry.groupKey;
      items.push({
        label,
        submenu: [
          { label: t('alarms.tray.openGroup'), click: () => actions.openGroup(key) },
          { label: t('alarms.tray.acknowledge'), click: () => actions.acknowledgeGroup(key) },
          { type: 'separator' },
          ...entry.snooze.map((minutes) => ({ label: t('alarms.tray.snoozeFor', { count: minutes }), click: () => actions.snoozeGroup(key, minutes) })),
        ],
      });
      continue;
    }
    items.push({ label, click: () => actions[entry.id]() });
  }
  items.push({ type: 'separator' }, { label: t('tray.quit'), click: () => actions.quit() });
  return items;
}
