import type { EventChannel, EventOf } from '../core/ipc-contract';

/** Wall clock, injected so tests control time. */
export interface Clock {
  now(): number;
}

/** What the tray shows; the Electron tray and test recorders implement it. */
export interface TrayAdapter {
  setAttention(state: { unacknowledged: number; firing: number }): void;
  /** "On call until Fri 09:00" / "Off call; next shift Mon 09:00", or null when I have not said who I am. */
  setRotaLine?(line: string | null): void;
  /** The newest unacknowledged groups, most urgent first, for the tray menu. */
  setOpenGroups?(groups: TrayGroup[]): void;
  /** Problems that make the pager unreliable (refused webhooks, broken config, unwritable data). */
  setWarnings?(lines: string[]): void;
}

/** One unacknowledged group as the tray menu lists it. */
export interface TrayGroup {
  groupKey: string;
  title: string;
  severity: string;
  count: number;
}

/** Pushes a typed event to the renderer (webContents.send in Electron, page.evaluate in e2e). */
export interface RendererEvents {
  emit<C extends EventChannel>(channel: C, payload: EventOf<C>): void;
}

/** Logs what the user should be able to find later; console in development. */
export interface Logger {
  info(message: string): void;
  error(message: string): void;
}

export const systemClock: Clock = { now: () => Date.now() };
