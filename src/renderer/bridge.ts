import type { OnCallApi } from '../preload/api';

declare global {
  interface Window {
    /** Exposed by the preload (or by the e2e transport); the only way out of the renderer. */
    oncall?: OnCallApi;
  }
}

/** The one module through which the renderer reaches main. */
export function bridge(): OnCallApi {
  const api = window.oncall;
  if (!api) throw new Error('The preload bridge is missing: the app must run inside On-Call Companion.');
  return api;
}
