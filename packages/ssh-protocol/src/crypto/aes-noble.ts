import { ctr, gcm } from '@noble/ciphers/aes.js';
import type { AesCtrBackend, AesCtrStream } from './aes-ctr.js';
import type { AesGcmBackend } from './aes-gcm.js';

// The @noble/ciphers backends of aes-gcm.ts and aes-ctr.ts. Nothing but tests and the benchmark names them, so
// bundles leave this module and noble's AES out (the annotations let esbuild drop the unused constants).

export const NOBLE_AES_GCM: AesGcmBackend = /* @__PURE__ */ Object.freeze({
  name: 'noble',
  seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array) {
    const sealed = gcm(key, nonce, aad).encrypt(plaintext);
    return { ciphertext: sealed.subarray(0, plaintext.length), tag: sealed.subarray(plaintext.length) };
  },
  open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array) {
    try {
      return gcm(key, nonce, aad).decrypt(sealed);
    } catch {
      return undefined; // the tag does not verify
    }
  },
} as const);

/** Adds `n` to the 128-bit big-endian counter in place (wrapping, as OpenSSL's CTR does). */
function advance(counter: Uint8Array, n: number): void {
  let carry = n;
  for (let i = 15; i >= 0 && carry > 0; i--) {
    const sum = counter[i] + (carry % 256);
    counter[i] = sum & 0xff;
    carry = Math.floor(carry / 256) + (sum >> 8);
  }
}

/**
 * noble's CTR is one-shot, so the stream keeps the counter of the next whole block and the unused keystream of the
 * last partial one, and starts each call where the last stopped, as OpenSSL's does.
 */
function nobleStream(key: Uint8Array, iv: Uint8Array): AesCtrStream {
  const k = key.slice(); // the caller may wipe its key
  const counter = iv.slice();
  let spare: Uint8Array = new Uint8Array(0);
  return {
    update(data) {
      const out = new Uint8Array(data.length);
      const n = Math.min(spare.length, data.length);
      for (let i = 0; i < n; i++) out[i] = data[i] ^ spare[i];
      spare = spare.subarray(n);
      const rest = data.length - n;
      if (rest === 0) return out;
      // Whole blocks: the zero padding of the last one comes out as the keystream the next call starts with.
      const blocks = Math.ceil(rest / 16);
      const padded = new Uint8Array(blocks * 16);
      padded.set(data.subarray(n));
      const keystreamed = ctr(k, counter).encrypt(padded);
      out.set(keystreamed.subarray(0, rest), n);
      spare = keystreamed.subarray(rest);
      advance(counter, blocks);
      return out;
    },
  };
}

export const NOBLE_AES_CTR: AesCtrBackend = /* @__PURE__ */ Object.freeze({ name: 'noble', stream: nobleStream } as const);
