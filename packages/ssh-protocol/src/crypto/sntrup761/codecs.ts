import { decode, encode } from './encode.js';
import { P, Q, Q12, ROUNDED_BYTES, ROUNDED_RADIX, RQ_BYTES, SMALL_BYTES } from './params.js';

// The three element encodings of the round-3 submission: Rq (public keys), rounded Rq (ciphertexts)
// and small polynomials (secret keys and the KEM input r), four 2-bit coefficients per byte.

const RQ_MODULI: readonly number[] = Object.freeze(new Array<number>(P).fill(Q));
const ROUNDED_MODULI: readonly number[] = Object.freeze(new Array<number>(P).fill(ROUNDED_RADIX));

export function encodeRq(a: Int16Array): Uint8Array {
  return encode(Array.from(a, (c) => c + Q12), RQ_MODULI);
}

export function decodeRq(s: Uint8Array): Int16Array {
  if (s.length !== RQ_BYTES) throw new RangeError(`sntrup761: public key must be ${RQ_BYTES} bytes`);
  return Int16Array.from(decode(s, RQ_MODULI), (c) => c - Q12);
}

/** Rounded coefficients are multiples of 3 in -Q12..Q12 (and Q12 = 3 * 765), so (c + Q12) / 3 is exact. */
export function encodeRounded(c: Int16Array): Uint8Array {
  return encode(Array.from(c, (x) => (x + Q12) / 3), ROUNDED_MODULI);
}

export function decodeRounded(s: Uint8Array): Int16Array {
  if (s.length !== ROUNDED_BYTES) throw new RangeError(`sntrup761: rounded element must be ${ROUNDED_BYTES} bytes`);
  return Int16Array.from(decode(s, ROUNDED_MODULI), (x) => 3 * x - Q12);
}

/** Coefficient i + 1 goes into bits 2(i mod 4) of byte i / 4; p = 4 * 190 + 1 leaves one in the last byte. */
export function encodeSmall(a: Int8Array): Uint8Array {
  const out = new Uint8Array(SMALL_BYTES);
  for (let i = 0; i < P; i++) out[i >> 2] |= (a[i] + 1) << (2 * (i & 3));
  return out;
}

export function decodeSmall(s: Uint8Array): Int8Array {
  const out = new Int8Array(P);
  for (let i = 0; i < P; i++) out[i] = ((s[i >> 2] >> (2 * (i & 3))) & 3) - 1;
  return out;
}
