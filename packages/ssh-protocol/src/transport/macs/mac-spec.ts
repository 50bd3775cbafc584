import type { HashName } from '../../crypto/index.js';

/** An RFC 4253 §6.4 MAC algorithm; `etm` ones (OpenSSH PROTOCOL §1.5) MAC the ciphertext and leave the length clear. */
export interface MacSpec {
  readonly name: string;
  readonly hash: HashName;
  readonly keyLength: number;
  readonly length: number;
  readonly etm: boolean;
}

function hmac(name: string, hash: HashName, length: number, etm: boolean): MacSpec {
  return Object.freeze({ name, hash, keyLength: length, length, etm });
}

/** RFC 6668 hmac-sha2-*, their OpenSSH -etm variants, and legacy hmac-sha1 (RFC 4253). */
export const MACS: ReadonlyMap<string, MacSpec> = new Map(
  [
    hmac('hmac-sha2-256-etm@openssh.com', 'sha256', 32, true),
    hmac('hmac-sha2-512-etm@openssh.com', 'sha512', 64, true),
    hmac('hmac-sha2-256', 'sha256', 32, false),
    hmac('hmac-sha2-512', 'sha512', 64, false),
    hmac('hmac-sha1-etm@openssh.com', 'sha1', 20, true),
    hmac('hmac-sha1', 'sha1', 20, false),
  ].map((m) => [m.name, m] as const),
);

/** Offered unless configured otherwise: the SHA-2 ones, ETM first (OpenSSH's order). */
export const DEFAULT_MACS: readonly string[] = Object.freeze([
  'hmac-sha2-256-etm@openssh.com',
  'hmac-sha2-512-etm@openssh.com',
  'hmac-sha2-256',
  'hmac-sha2-512',
]);
