import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * AES-GCM (NIST SP 800-38D) with a 16-byte tag, behind one interface with two backends: NODE_AES_GCM (OpenSSL)
 * and NOBLE_AES_GCM (@noble/ciphers, aes-noble.ts). Tests hold both to the same vectors and to each other.
 * The backends are objects rather than names so that a bundle which never names the noble one leaves noble's AES
 * out: its tables cost about 5 ms of start-up (esbuild drops it as unused).
 * Default NODE_AES_GCM: AES-128-GCM seal / open of 32 KiB in 45 / 15 µs against noble's 745 / 655 µs (about 0.7-2
 * GB/s against 45-50 MB/s), of 64 bytes 4.3 / 3.4 µs against 16 / 21 µs (Node 20.20, OpenSSL 3.0, 2 busy cores;
 * medians of repeated runs of scripts/bench-crypto.mjs --backends).
 */
export interface AesGcmBackend {
  readonly name: 'node' | 'noble';
  /** Ciphertext and tag apart (key already checked: 16 or 32 bytes). */
  seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): { ciphertext: Uint8Array; tag: Uint8Array };
  /** The plaintext of ciphertext || tag (at least 16 bytes), or undefined when the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined;
}

export function checkAesGcmKey(key: Uint8Array): void {
  if (key.length !== 16 && key.length !== 32) throw new RangeError(`AES-GCM key must be 16 or 32 bytes, got ${key.length}`);
}

const algorithm = (key: Uint8Array): 'aes-128-gcm' | 'aes-256-gcm' => (key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm');
const asBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export const NODE_AES_GCM: AesGcmBackend = Object.freeze({
  name: 'node',
  seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array) {
    const c = createCipheriv(algorithm(key), key, nonce, { authTagLength: 16 });
    c.setAAD(aad);
    const ciphertext = asBytes(c.update(plaintext));
    c.final();
    return { ciphertext, tag: asBytes(c.getAuthTag()) };
  },
  open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array) {
    const d = createDecipheriv(algorithm(key), key, nonce, { authTagLength: 16 });
    d.setAAD(aad);
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    const out = d.update(sealed.subarray(0, sealed.length - 16));
    try {
      d.final();
    } catch {
      return undefined;
    }
    return asBytes(out);
  },
} as const);

/** Ciphertext and tag apart, each in fresh memory (nothing copied to put them side by side). */
export function aesGcmSealDetached(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  backend: AesGcmBackend = NODE_AES_GCM,
): { ciphertext: Uint8Array; tag: Uint8Array } {
  checkAesGcmKey(key);
  return backend.seal(key, nonce, aad, plaintext);
}

/** Returns ciphertext || tag. */
export function aesGcmSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  backend: AesGcmBackend = NODE_AES_GCM,
): Uint8Array {
  const { ciphertext, tag } = aesGcmSealDetached(key, nonce, aad, plaintext, backend);
  const out = new Uint8Array(ciphertext.length + 16);
  out.set(ciphertext, 0);
  out.set(tag, ciphertext.length);
  return out;
}

/** Returns the plaintext (in fresh memory), or undefined when the tag does not verify. */
export function aesGcmOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  sealed: Uint8Array,
  backend: AesGcmBackend = NODE_AES_GCM,
): Uint8Array | undefined {
  checkAesGcmKey(key);
  if (sealed.length < 16) return undefined;
  return backend.open(key, nonce, aad, sealed);
}
