import type { AppErrorData } from '../errors';
import type { Severity } from '../severity';
import { SNOOZE_MINUTES, dndActive, type AlarmState, type SnoozeMinutes } from './state';
import type { SelfTestStatus } from './self-test';
import type { RotaView } from './quiet';

/** The tray icon, most pressing first: pages waiting, the paging path broken, on call, off call. */
export type TrayIcon = 'attention' | 'broken' | 'onCall' | 'offCall';

/** A text for main to translate: a catalog key and its params; a `time` param is epoch ms, to format first. */
export interface TrayText {
  key: string;
  params: Record<string, string | number>;
}

/** One entry of the tray menu; main maps `id`s to handlers and translates the texts. */
export type TrayMenuItem =
  | { kind: 'group'; groupKey: string; severity: Severity; label: TrayText; snooze: readonly SnoozeMinutes[] }
  | { kind: 'action'; id: 'acknowledgeAll' | 'selfTest' | 'dndOn' | 'dndOff' | 'open'; label: TrayText }
  | { kind: 'separator' };

/** What the tray shows. */
export interface TrayModel {
  icon: TrayIcon;
  tooltip: TrayText[];
  menu: TrayMenuItem[];
}

/** Everything the tray depends on; main gathers it from the pager, the rota and the sources. */
export interface TrayInput {
  /** The newest unacknowledged groups (the pager's `openGroups`). */
  groups: { groupKey: string; title: string; severity: Severity; count: number }[];
  unacknowledged: number;
  rota: RotaView | null;
  alarms: AlarmState;
  selfTest: SelfTestStatus;
  /** A source failing, refusals, a broken config: each already a typed error with its text elsewhere. */
  problems: AppErrorData[];
  now: number;
}

/**
 * The tray's icon, tooltip and menu as data, so it is testable without Electron and works with
 * the window closed: main only translates the texts and wires the ids.
 */
export function trayModel(input: TrayInput): TrayModel {
  const failing = input.selfTest.failing.map((r) => r.check);
  const broken = input.problems.length > 0 || failing.length > 0;
  const icon: TrayIcon = input.unacknowledged > 0 ? 'attention' : broken ? 'broken' : input.rota === null || input.rota.onCall ? 'onCall' : 'offCall';

  const tooltip: TrayText[] = [];
  if (input.unacknowledged > 0) tooltip.push({ key: 'alarms.tray.waiting', params: { count: input.unacknowledged } });
  if (input.rota?.onCall) tooltip.push(input.rota.changesAt === null ? { key: 'alarms.tray.onCall', params: {} } : { key: 'alarms.tray.onCallUntil', params: { time: input.rota.changesAt } });
  else if (input.rota) tooltip.push(input.rota.changesAt === null ? { key: 'alarms.tray.offCall', params: {} } : { key: 'alarms.tray.offCallUntil', params: { time: input.rota.changesAt } });
  const dnd = dndActive(input.alarms, input.now);
  if (dnd) tooltip.push(input.alarms.dnd?.until != null ? { key: 'alarms.dnd.until', params: { time: input.alarms.dnd.until } } : { key: 'alarms.dnd.on', params: {} });
  if (failing.length > 0) tooltip.push({ key: 'alarms.selfTest.failing', params: { checks: failing.join(', ') } });
  for (const p of input.problems) tooltip.push({ key: `errors.${p.code}`, params: Object.fromEntries(Object.entries(p.params).map(([k, v]) => [k, typeof v === 'number' ? v : String(v)])) });

  const menu: TrayMenuItem[] = input.groups.map((g) => ({
    kind: 'group' as const,
    groupKey: g.groupKey,
    severity: g.severity,
    label: { key: 'alarms.tray.group', params: { severity: g.severity, title: g.title, count: g.count } },
    snooze: SNOOZE_MINUTES,
  }));
  if (input.unacknowledged > 0) menu.push({ kind: 'action', id: 'acknowledgeAll', label: { key: 'alarms.tray.acknowledgeAll', params: { count: input.unacknowledged } } });
  if (menu.length > 0) menu.push({ kind: 'separator' });
  menu.push({ kind: 'action', id: 'selfTest', label: { key: failing.length > 0 ? 'alarms.tray.selfTestFailing' : 'alarms.selfTest.title', params: {} } });
  menu.push(dnd ? { kind: 'action', id: 'dndOff', label: { key: 'alarms.tray.dndOff', params: {} } } : { kind: 'action', id: 'dndOn', label: { key: 'alarms.tray.dndOn', params: {} } });
  menu.push({ kind: 'action', id: 'open', label: { key: 'alarms.tray.open', params: {} } });
  return { icon, tooltip, menu };
}
