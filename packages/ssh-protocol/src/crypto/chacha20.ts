import { createCipheriv } from 'node:crypto';
import { chacha20orig } from '@noble/ciphers/chacha.js';
import { chacha20XorWasm } from './chacha20-wasm.js';

/**
 * Original (D. J. Bernstein) ChaCha20 with a 64-bit nonce and 64-bit block counter, as OpenSSH's
 * chacha20-poly1305@openssh.com uses it. OpenSSL's chacha20 takes a 16-byte IV = 32-bit LE counter || 96-bit nonce,
 * i.e. state words 12..15; the original layout puts a 64-bit LE counter in words 12..13 and the nonce in 14..15,
 * so the IV is LE64(counter) || nonce.
 * Backends: 'node' (OpenSSL: fastest in bulk, about 2 µs to set up), 'wasm' (ours: no setup, for a few bytes),
 * 'noble' (@noble/ciphers). Tests run all three on the same vectors.
 */
export type ChachaBackend = 'node' | 'noble' | 'wasm';

function nodeCipher(key: Uint8Array, nonce8: Uint8Array, counter: number) {
  const iv = new Uint8Array(16);
  const high = Math.floor(counter / 0x100000000);
  for (let i = 0; i < 4; i++) {
    iv[i] = (counter >>> (8 * i)) & 0xff;
    iv[4 + i] = (high >>> (8 * i)) & 0xff;
  }
  iv.set(nonce8, 8);
  return createCipheriv('chacha20', key, iv);
}

const asBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export function chacha20Xor(
  key: Uint8Array,
  nonce8: Uint8Array,
  counter: number,
  data: Uint8Array,
  backend: ChachaBackend = 'node',
): Uint8Array {
  if (backend === 'noble') return chacha20orig(key, nonce8, data, undefined, counter);
  if (backend === 'wasm') return chacha20XorWasm(key, nonce8, counter, data);
  const c = nodeCipher(key, nonce8, counter);
  const out = c.update(data);
  c.final();
  return asBytes(out);
}

const ZERO_BLOCK = new Uint8Array(64);

/**
 * OpenSSH PROTOCOL.chacha20poly1305: the Poly1305 key is the first 32 bytes of keystream block 0 and the payload is
 * encrypted from block 1 on. One node cipher serves both: block 0 is drawn first, then the payload follows it.
 */
export function chacha20PolyKeyXor(
  key: Uint8Array,
  nonce8: Uint8Array,
  data: Uint8Array,
  backend: ChachaBackend = 'node',
): { polyKey: Uint8Array; output: Uint8Array } {
  if (backend !== 'node') {
    return {
      polyKey: chacha20Xor(key, nonce8, 0, ZERO_BLOCK.subarray(0, 32), backend),
      output: chacha20Xor(key, nonce8, 1, data, backend),
    };
  }
  const c = nodeCipher(key, nonce8, 0);
  const block0 = asBytes(c.update(ZERO_BLOCK));
  block0.fill(0, 32); // the unused half of block 0 is keystream too
  const polyKey = block0.subarray(0, 32);
  const output = asBytes(c.update(data));
  c.final();
  return { polyKey, output };
}
