import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic-file';

/** Encrypts secrets at rest; Electron's safeStorage (the OS keychain) in the app. */
export interface SecretCipher {
  isAvailable(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

/** Named secrets (webhook tokens, API keys), kept apart from the user-editable config.json. */
export interface SecretStore {
  get(name: string): string | null;
  set(name: string, value: string): void;
  delete(name: string): void;
}

const SAFE_NAME = /^[a-z0-9][a-z0-9._-]{0,100}$/i;

/**
 * One file per secret in `dir` (mode 0600). With a cipher the file holds the keychain-encrypted
 * bytes; without one (tests, or a Linux session with no keyring) the plain value, which is what
 * every other local tool does there too. Secrets are never logged.
 */
export function createFileSecretStore(dir: string, cipher?: SecretCipher): SecretStore {
  const file = (name: string) => {
    if (!SAFE_NAME.test(name)) throw new Error(`invalid secret name ${JSON.stringify(name)}`);
    return path.join(dir, name);
  };
  const encrypted = () => cipher !== undefined && cipher.isAvailable();
  return {
    get(name) {
      for (const [suffix, enc] of [['.enc', true], ['', false]] as const) {
        let data: Buffer;
        try {
          data = fs.readFileSync(file(name) + suffix);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw err;
        }
        if (!enc) return data.toString('utf8');
        if (!encrypted()) throw new Error(`secret ${name} is encrypted but the OS keychain is not available`);
        return cipher!.decrypt(data);
      }
      return null;
    },
    set(name, value) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (encrypted()) {
        writeFileAtomic(file(name) + '.enc', cipher!.encrypt(value));
        fs.rmSync(file(name), { force: true });
      } else {
        writeFileAtomic(file(name), value);
      }
    },
    delete(name) {
      fs.rmSync(file(name), { force: true });
      fs.rmSync(file(name) + '.enc', { force: true });
    },
  };
}
