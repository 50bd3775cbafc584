import { createCipheriv } from 'node:crypto';
import { chacha20orig } from '@noble/ciphers/chacha.js';
import { poly1305 } from '@noble/ciphers/_poly1305.js';

/**
 * Original (D. J. Bernstein) ChaCha20 with a 64-bit nonce and 64-bit block counter, as OpenSSH's
 * chacha20-poly1305@openssh.com uses it. OpenSSL's chacha20 takes a 16-byte IV = 32-bit LE counter || 96-bit nonce,
 * i.e. state words 12..15; the original layout puts a 64-bit LE counter in words 12..13 and the nonce in 14..15,
 * so the IV is LE64(counter) || nonce.
 */
export type ChachaBackend = 'node' | 'noble';

export function chacha20Xor(
  key: Uint8Array,
  nonce8: Uint8Array,
  counter: number,
  data: Uint8Array,
  backend: ChachaBackend = 'node',
): Uint8Array {
  if (backend === 'noble') return chacha20orig(key, nonce8, data, undefined, counter);
  const iv = new Uint8Array(16);
  const view = new DataView(iv.buffer);
  view.setUint32(0, counter >>> 0, true);
  view.setUint32(4, Math.floor(counter / 0x100000000), true);
  iv.set(nonce8, 8);
  const c = createCipheriv('chacha20', key, iv);
  const out = c.update(data);
  c.final();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** RFC 8439 §2.5 Poly1305 one-time authenticator. */
export function poly1305Mac(key: Uint8Array, message: Uint8Array): Uint8Array {
  return poly1305(message, key);
}
