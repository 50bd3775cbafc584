import { createCipheriv, createDecipheriv } from 'node:crypto';

/** AES-GCM (NIST SP 800-38D) with a 12-byte nonce and 16-byte tag, through OpenSSL. */
function algorithm(key: Uint8Array): 'aes-128-gcm' | 'aes-256-gcm' {
  if (key.length === 16) return 'aes-128-gcm';
  if (key.length === 32) return 'aes-256-gcm';
  throw new RangeError(`AES-GCM key must be 16 or 32 bytes, got ${key.length}`);
}

/** Returns ciphertext || tag. */
export function aesGcmSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const c = createCipheriv(algorithm(key), key, nonce, { authTagLength: 16 });
  c.setAAD(aad);
  const head = c.update(plaintext);
  c.final();
  const out = new Uint8Array(head.length + 16);
  out.set(head, 0);
  out.set(c.getAuthTag(), head.length);
  return out;
}

/** Returns the plaintext, or undefined when the tag does not verify. */
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
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
