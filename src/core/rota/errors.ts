import { createI18n } from '../i18n';

/**
 * Why an import or a rotation was refused. Each code has a text under `rota.errors.<code>` in the
 * catalogs; the params fill it in.
 */
export type RotaErrorCode =
  | 'notIcal'
  | 'invalidLine'
  | 'unbalanced'
  | 'notVcalendar'
  | 'noDtstart'
  | 'badTime'
  | 'badDuration'
  | 'unknownZone'
  | 'invalidRule'
  | 'ruleNever'
  | 'rotationInvalid'
  | 'rotationNever'
  | 'ruleTooSparse'
  | 'ruleTooDense'
  | 'ruleTooLong'
  | 'ruleBudget'
  | 'tooManyShifts'
  | 'tooManyEvents'
  | 'tooManyZones'
  | 'fileSyntax'
  | 'fileTooLarge'
  | 'fileField'
  | 'fileRotation'
  | 'overrideOrder'
  | 'overrideEnd'
  | 'feedAddress'
  | 'folderMissing'
  | 'scheduleField'
  | 'layerRotation'
  | 'notEditable'
  | 'overridePerson'
  | 'noSchedule'
  | 'removeSource'
  | 'plain';

/** Parameters of a refusal, shown in its text. */
export type RotaErrorParams = Record<string, string | number>;

let english: ReturnType<typeof createI18n> | null = null;

/** The English text of a refusal, for logs and for callers that only read `message`. */
export function rotaErrorText(code: RotaErrorCode, params: RotaErrorParams, t?: (key: string, params: RotaErrorParams) => string): string {
  if (t) return t(`rota.errors.${code}`, params);
  english ??= createI18n('en');
  return english.t(`rota.errors.${code}`, params);
}

/**
 * A refusal that wraps another (a rotation inside a file): the inner code and params travel flat,
 * so the text can be rebuilt in any language on the other side of a worker or IPC boundary.
 */
export function wrapRefusal(code: RotaErrorCode, params: RotaErrorParams, inner: unknown): RotaImportError {
  if (inner instanceof RotaImportError) return new RotaImportError(code, { ...inner.params, ...params, innerCode: inner.code });
  return new RotaImportError(code, { ...params, innerCode: 'plain', message: inner instanceof Error ? inner.message : String(inner) });
}

/** An import refused as a whole, with a code and params naming the line or field. */
export class RotaImportError extends Error {
  constructor(
    readonly code: RotaErrorCode,
    readonly params: RotaErrorParams = {},
  ) {
    super(rotaErrorText(code, params));
    this.name = 'RotaImportError';
  }

  /** The refusal in the user's language. */
  localized(t: (key: string, params: RotaErrorParams) => string): string {
    return rotaErrorText(this.code, this.params, t);
  }
}
