// Checking a password against a crypt(3) hash from the shadow database: the schemes Linux systems write
// today, yescrypt ($y$, Debian 12's default), SHA-512-crypt ($6$), SHA-256-crypt ($5$), and scrypt ($7$).
import { constantTimeEqual } from './constant-time.js';
import { parseShaCryptSetting, shaCrypt } from './sha-crypt.js';
import { parseYescryptSetting, yescryptCrypt } from './yescrypt-crypt.js';

export type PasswordHashScheme = 'yescrypt' | 'scrypt' | 'sha512crypt' | 'sha256crypt';

/** The scheme of a hash, or undefined for anything else (locked "!", "*", DES, MD5, bcrypt...). */
export function passwordHashScheme(hash: string): PasswordHashScheme | undefined {
  if (hash.startsWith('$y$')) return 'yescrypt';
  if (hash.startsWith('$7$')) return 'scrypt';
  if (hash.startsWith('$6$')) return 'sha512crypt';
  if (hash.startsWith('$5$')) return 'sha256crypt';
  return undefined;
}

/** crypt(password, setting) for the schemes above; undefined for a setting we cannot compute. */
export function cryptPassword(password: Uint8Array, setting: string): string | undefined {
  switch (passwordHashScheme(setting)) {
    case 'yescrypt':
    case 'scrypt': {
      const s = parseYescryptSetting(setting);
      if (!s) return undefined;
      try {
        return yescryptCrypt(password, s);
      } catch {
        return undefined;
      }
    }
    case 'sha512crypt':
    case 'sha256crypt': {
      const s = parseShaCryptSetting(setting);
      return s ? shaCrypt(password, s) : undefined;
    }
    case undefined:
      return undefined;
  }
}

/** Does `password` match `hash`? The comparison takes the same time wherever the strings differ. */
export function verifyPasswordHash(password: Uint8Array, hash: string): boolean {
  const computed = cryptPassword(password, hash);
  if (computed === undefined) return false;
  const enc = new TextEncoder();
  return constantTimeEqual(enc.encode(computed), enc.encode(hash));
}
