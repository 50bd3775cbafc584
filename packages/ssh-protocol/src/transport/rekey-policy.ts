import type { CipherSpec } from './ciphers/index.js';

/**
 * Default rekey volume, as OpenSSH computes it (packet.c): ciphers with 16-byte blocks rekey after 2^32 blocks,
 * smaller blocks after 1 GiB of data (RFC 4344 §3.2 bounds for block ciphers).
 */
export function rekeyLimitFor(cipher: CipherSpec): number {
  if (cipher.blockSize >= 16) return 2 ** 32 * cipher.blockSize;
  return 2 ** 30;
}
