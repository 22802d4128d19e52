import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { AppError } from '../../core/errors';

/** Secrets in a backup: AES-256-GCM under a key derived from the user's passphrase with scrypt. */
export interface SealedSecrets {
  kdf: 'scrypt';
  n: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

/** A passphrase shorter than this is refused: the backup file may travel by mail or USB stick. */
export const MIN_PASSPHRASE = 10;

// 2^15 × 8 × 128 bytes = 32 MiB of memory per guess, about 0.1 s here: cheap once, costly for a guesser
const PARAMS = { n: 1 << 15, r: 8, p: 1 };

function deriveKey(passphrase: string, salt: Buffer, params: { n: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: params.n, r: params.r, p: params.p, maxmem: 128 * params.n * params.r * 2 };
  // the async scrypt runs on libuv's pool: main's event loop keeps answering webhooks meanwhile
  return new Promise((resolve, reject) => scryptCb(passphrase.normalize('NFC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** Encrypts the secrets (name → value) under the passphrase. */
export async function sealSecrets(values: Record<string, string>, passphrase: string): Promise<SealedSecrets> {
  if (passphrase.length < MIN_PASSPHRASE) throw new AppError('backupPassphraseShort', { min: MIN_PASSPHRASE });
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(passphrase, salt, PARAMS);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
  return { kdf: 'scrypt', ...PARAMS, salt: salt.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

const isSealed = (v: unknown): v is SealedSecrets => {
  const s = v as Partial<SealedSecrets> | null;
  return !!s && s.kdf === 'scrypt' && [s.n, s.r, s.p].every((x) => Number.isInteger(x) && x! > 0 && x! <= 1 << 20) && [s.salt, s.iv, s.tag, s.data].every((x) => typeof x === 'string');
};

/**
 * Decrypts the secrets of a backup. A wrong passphrase (or a changed file: GCM checks both) is
 * refused by name, so nothing is restored half.
 */
export async function openSecrets(sealed: unknown, passphrase: string | undefined): Promise<Record<string, string>> {
  if (!isSealed(sealed)) throw new AppError('backupInvalid', { reason: 'its secrets are not in a form this app wrote' });
  if (!passphrase) throw new AppError('backupNeedsPassphrase', {});
  const key = await deriveKey(passphrase, Buffer.from(sealed.salt, 'base64'), sealed);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    const values = JSON.parse(plain) as unknown;
    if (typeof values !== 'object' || values === null || Object.values(values).some((v) => typeof v !== 'string')) throw new Error('not a list of secrets');
    return values as Record<string, string>;
  } catch {
    throw new AppError('backupWrongPassphrase', {});
  }
}
