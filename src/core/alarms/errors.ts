import { AppError, type ErrorParams } from '../errors';

/** Every error the alarm logic can raise; each has a text under `alarms.errors.<code>`. */
export const ALARM_ERROR_CODES = [
  'badSnooze',
  'dndInPast',
  'stateUnreadable',
  'badPolicy',
  'soundUnplayable',
  'escalationFailed',
  'badShortcut',
  'unknownCheck',
  'systemMuted',
  'sourceRefused',
  'sourceFailing',
  'relayDown',
] as const;
export type AlarmErrorCode = (typeof ALARM_ERROR_CODES)[number];

/** A typed alarm error: its text lives in the alarms catalog, keyed by `alarms.errors.<code>`. */
export class AlarmError extends AppError {
  constructor(
    readonly alarmCode: AlarmErrorCode,
    params: ErrorParams = {},
  ) {
    super(`alarms.${alarmCode}`, params);
    this.name = 'AlarmError';
  }
}

/** The catalog key of an alarm error's text: main and the renderer translate AlarmErrors with it. */
export function alarmErrorKey(code: AlarmErrorCode): string {
  return `alarms.errors.${code}`;
}
