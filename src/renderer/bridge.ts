import { AppError, type IpcResult } from '../core/errors';
import type { OnCallApi } from '../preload/api';

declare global {
  interface Window {
    /** Exposed by the preload (or by the e2e transport); the only way out of the renderer. */
    oncall?: OnCallApi;
  }
}

type Unwrapped<F> = F extends (...args: infer A) => Promise<IpcResult<infer R>> ? (...args: A) => Promise<R> : F;
/** The API as renderer code uses it: values, or a thrown AppError with a translated message. */
export type Bridge = { [K in keyof OnCallApi]: Unwrapped<OnCallApi[K]> };

let translate: (code: string, params: Record<string, unknown>) => string = (code) => code;

/** Lets bridge errors carry their text in the UI language (set once the renderer's i18n exists). */
export function setErrorTranslator(fn: (code: string, params: Record<string, unknown>) => string): void {
  translate = fn;
}

let cached: { api: OnCallApi; bridge: Bridge } | null = null;

/** The one module through which the renderer reaches main. */
export function bridge(): Bridge {
  const api = window.oncall;
  if (!api) throw new Error('The preload bridge is missing: the app must run inside On-Call Companion.');
  if (cached?.api === api) return cached.bridge;
  const wrapped = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(api) as Array<[string, (...a: unknown[]) => unknown]>) {
    wrapped[name] = name.startsWith('on')
      ? fn
      : async (...args: unknown[]) => {
          const result = (await fn(...args)) as IpcResult<unknown>;
          if (result.ok) return result.value;
          throw new AppError(result.error.code, result.error.params, translate(result.error.code, result.error.params));
        };
  }
  cached = { api, bridge: wrapped as Bridge };
  return cached.bridge;
}
