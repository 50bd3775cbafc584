import { createCipheriv, createDecipheriv } from 'node:crypto';

/** AES-GCM (NIST SP 800-38D) with a 12-byte nonce and 16-byte tag, through OpenSSL. */
function algorithm(key: Uint8Array): 'aes-128-gcm' | 'aes-256-gcm' {
  if (key.length === 16) return 'aes-128-gcm';
  if (key.length === 32) return 'aes-256-gcm';
  throw new RangeError(`AES-GCM key must be 16 or 32 bytes, got ${key.length}`);
}

const asBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** Ciphertext and tag apart, each in fresh memory (nothing copied to put them side by side). */
export function aesGcmSealDetached(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
): { ciphertext: Uint8Array; tag: Uint8Array } {
  const c = createCipheriv(algorithm(key), key, nonce, { authTagLength: 16 });
  c.setAAD(aad);
  const ciphertext = asBytes(c.update(plaintext));
  c.final();
  return { ciphertext, tag: asBytes(c.getAuthTag()) };
}

/** Returns ciphertext || tag. */
export function aesGcmSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const { ciphertext, tag } = aesGcmSealDetached(key, nonce, aad, plaintext);
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
): Uint8Array | undefined {
  if (sealed.length < 16) return undefined;
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
}
