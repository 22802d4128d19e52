/**
 * Where source secrets (API keys, signing secrets) live. Main wires it to Electron's safeStorage;
 * nothing else keeps a copy, and no implementation may log a value.
 */
export interface SecretStore {
  get(id: string): Promise<string | null>;
  set(id: string, value: string): Promise<void>;
  delete(id: string): Promise<void>;
}

/** An in-memory store for tests and for a data folder that cannot be written. */
export function memorySecretStore(initial: Record<string, string> = {}): SecretStore {
  const values = new Map(Object.entries(initial));
  return {
    get: async (id) => values.get(id) ?? null,
    set: async (id, value) => void values.set(id, value),
    delete: async (id) => void values.delete(id),
  };
}

/** The secret ids of one source, so every caller names them the same way. */
export function secretIds(sourceId: string): { signing: string; api: string } {
  return { signing: `source:${sourceId}:signing`, api: `source:${sourceId}:api` };
}

/** Shows that a secret exists without showing it, for logs and error messages. */
export function redact(secret: string | null): string {
  return secret === null || secret === '' ? '(none)' : '••••••••';
}
