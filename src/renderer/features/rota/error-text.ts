import type { TFunction } from 'i18next';
import { RotaImportError, type RotaErrorParams } from '../../../core/rota/errors';

/** A refusal in the user's language: rota errors carry a code and params; anything else shows its message. */
export function errorText(err: unknown, t: TFunction): string {
  if (err instanceof RotaImportError) return err.localized((key: string, params: RotaErrorParams) => t(key, params));
  return err instanceof Error ? err.message : String(err);
}
