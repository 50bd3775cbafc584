import { aes128Ctr, aes192Ctr, aes256Ctr } from './aes-ctr.js';
import { aes128Gcm, aes256Gcm } from './aes-gcm.js';
import { chacha20Poly1305 } from './chacha20-poly1305.js';
import type { CipherSpec } from './packet-cipher.js';

/** Ciphers we implement, in default preference order (OpenSSH's). */
export const CIPHERS: ReadonlyMap<string, CipherSpec> = new Map(
  [chacha20Poly1305, aes128Gcm, aes256Gcm, aes128Ctr, aes192Ctr, aes256Ctr].map((c) => [c.name, c] as const),
);

export const DEFAULT_CIPHERS: readonly string[] = Object.freeze([...CIPHERS.keys()]);
