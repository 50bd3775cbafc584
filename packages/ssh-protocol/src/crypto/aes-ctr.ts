import { createCipheriv } from 'node:crypto';

/**
 * AES in CTR mode (NIST SP 800-38A §6.5) through OpenSSL, with the whole 16-byte IV as a big-endian counter, as
 * RFC 4344 §4 and OpenSSH's key files use it. Encryption and decryption are the same operation.
 */
export interface AesCtrStream {
  /** XOR the next bytes of keystream into `data`, returning a new array. */
  update(data: Uint8Array): Uint8Array;
}

function algorithm(key: Uint8Array): 'aes-128-ctr' | 'aes-192-ctr' | 'aes-256-ctr' {
  if (key.length === 16) return 'aes-128-ctr';
  if (key.length === 24) return 'aes-192-ctr';
  if (key.length === 32) return 'aes-256-ctr';
  throw new RangeError(`AES-CTR key must be 16, 24 or 32 bytes, got ${key.length}`);
}

export function aesCtrStream(key: Uint8Array, iv: Uint8Array): AesCtrStream {
  if (iv.length !== 16) throw new RangeError(`AES-CTR IV must be 16 bytes, got ${iv.length}`);
  const c = createCipheriv(algorithm(key), key, iv);
  return {
    update(data) {
      const out = c.update(data);
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    },
  };
}

/** One-shot AES-CTR over `data`, counter starting at `iv`. */
export function aesCtr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  return aesCtrStream(key, iv).update(data);
}
