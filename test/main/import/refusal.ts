import { expect } from 'vitest';
import { ImportError } from '../../../src/main/import/errors';

/** The ImportError a promise was refused with; fails the test if it resolved or failed otherwise. */
export async function refusal(p: Promise<unknown>): Promise<ImportError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportError);
  return err as ImportError;
}
