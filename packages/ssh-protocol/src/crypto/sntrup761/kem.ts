import { hash } from '../hash.js';
import { decodeRounded, decodeRq, decodeSmall, encodeRounded, encodeRq, encodeSmall } from './codecs.js';
import {
  HASH_BYTES,
  RQ_BYTES,
  SMALL_BYTES,
  SNTRUP761_CIPHERTEXT_BYTES,
  SNTRUP761_PUBLIC_KEY_BYTES,
  SNTRUP761_SECRET_KEY_BYTES,
  W,
} from './params.js';
import { r3Reciprocal } from './r3-reciprocal.js';
import { r3FromRq, r3Multiply, weightMask } from './r3.js';
import { rqMultiplySmall, rqReciprocal3, rqRound, rqTimes3 } from './rq.js';
import { shortRandom, smallRandom, type RandomBytes } from './short.js';

// Streamlined NTRU Prime KEM sntrup761 (round-3 submission; draft-josefsson-ntruprime-streamlined-00
// §2 key generation, §3 encapsulation, §4 decapsulation with implicit rejection).

export interface Sntrup761KeyPair {
  /** Encoded h = g / (3f) in Rq: 1158 bytes. */
  readonly publicKey: Uint8Array;
  /** f, 1/g in R3, the public key, rho and Hash4(public key): 1763 bytes. */
  readonly secretKey: Uint8Array;
}

export interface Sntrup761Encapsulation {
  readonly ciphertext: Uint8Array;
  readonly sharedSecret: Uint8Array;
}

/** Hash_b(x): the first 32 bytes of SHA-512 of the byte b followed by x. */
function hashPrefix(b: number, ...x: Uint8Array[]): Uint8Array {
  return hash('sha512', Uint8Array.of(b), ...x).slice(0, HASH_BYTES);
}

/** Ciphertext for input r, plus r's encoding: Encrypt, then the confirmation Hash2(Hash3(r), Hash4(pk)). */
function hide(r: Int8Array, publicKey: Uint8Array, cache: Uint8Array): { ciphertext: Uint8Array; rEncoded: Uint8Array } {
  const rEncoded = encodeSmall(r);
  const c = rqRound(rqMultiplySmall(decodeRq(publicKey), r));
  const ciphertext = new Uint8Array(SNTRUP761_CIPHERTEXT_BYTES);
  ciphertext.set(encodeRounded(c));
  ciphertext.set(hashPrefix(2, hashPrefix(3, rEncoded), cache), SNTRUP761_CIPHERTEXT_BYTES - HASH_BYTES);
  return { ciphertext, rEncoded };
}

/** HashSession: Hash_b(Hash3(y), z), with b = 1 for a valid ciphertext and 0 for a rejected one. */
function hashSession(b: number, y: Uint8Array, z: Uint8Array): Uint8Array {
  return hashPrefix(b, hashPrefix(3, y), z);
}

/** A random small g that is invertible in R3, and 1/g; draws again until one is. */
function invertibleSmall(random: RandomBytes): { g: Int8Array; ginv: Int8Array } {
  for (;;) {
    const g = smallRandom(random);
    const { inverse, ok } = r3Reciprocal(g);
    if (ok) return { g, ginv: inverse };
    g.fill(0);
  }
}

export function sntrup761KeyPair(random: RandomBytes): Sntrup761KeyPair {
  const { g, ginv } = invertibleSmall(random);
  const f = shortRandom(random);
  const finv = rqReciprocal3(f).inverse;
  const publicKey = encodeRq(rqMultiplySmall(finv, g));
  const secretKey = new Uint8Array(SNTRUP761_SECRET_KEY_BYTES);
  let at = 0;
  for (const part of [encodeSmall(f), encodeSmall(ginv), publicKey, random(SMALL_BYTES)]) {
    secretKey.set(part, at);
    at += part.length;
  }
  secretKey.set(hashPrefix(4, publicKey), at);
  for (const a of [g, ginv, f, finv]) a.fill(0);
  return { publicKey, secretKey };
}

export function sntrup761Encapsulate(publicKey: Uint8Array, random: RandomBytes): Sntrup761Encapsulation {
  if (publicKey.length !== SNTRUP761_PUBLIC_KEY_BYTES) {
    throw new RangeError(`sntrup761: public key must be ${SNTRUP761_PUBLIC_KEY_BYTES} bytes`);
  }
  const r = shortRandom(random);
  const { ciphertext, rEncoded } = hide(r, publicKey, hashPrefix(4, publicKey));
  const sharedSecret = hashSession(1, rEncoded, ciphertext);
  r.fill(0);
  rEncoded.fill(0);
  return { ciphertext, sharedSecret };
}

/** Decrypt: e = 3fc in R3, then r = e / g; a result of the wrong weight becomes a fixed weight-w r. */
function decrypt(c: Int16Array, f: Int8Array, ginv: Int8Array): Int8Array {
  const ev = r3Multiply(r3FromRq(rqTimes3(rqMultiplySmall(c, f))), ginv);
  const mask = weightMask(ev);
  const r = new Int8Array(ev.length);
  for (let i = 0; i < ev.length; i++) r[i] = i < W ? ((ev[i] ^ 1) & ~mask) ^ 1 : ev[i] & ~mask;
  ev.fill(0);
  return r;
}

/** 0 when a and b are equal, -1 otherwise, looking at every byte. */
function differenceMask(a: Uint8Array, b: Uint8Array): number {
  let bits = 0;
  for (let i = 0; i < a.length; i++) bits |= a[i] ^ b[i];
  return (((bits - 1) >> 8) & 1) - 1;
}

export function sntrup761Decapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array {
  if (ciphertext.length !== SNTRUP761_CIPHERTEXT_BYTES) {
    throw new RangeError(`sntrup761: ciphertext must be ${SNTRUP761_CIPHERTEXT_BYTES} bytes`);
  }
  if (secretKey.length !== SNTRUP761_SECRET_KEY_BYTES) {
    throw new RangeError(`sntrup761: secret key must be ${SNTRUP761_SECRET_KEY_BYTES} bytes`);
  }
  const pkAt = 2 * SMALL_BYTES;
  const rhoAt = pkAt + RQ_BYTES;
  const cacheAt = rhoAt + SMALL_BYTES;
  const f = decodeSmall(secretKey.subarray(0, SMALL_BYTES));
  const ginv = decodeSmall(secretKey.subarray(SMALL_BYTES, pkAt));
  const publicKey = secretKey.subarray(pkAt, rhoAt);
  const rho = secretKey.subarray(rhoAt, cacheAt);
  const r = decrypt(decodeRounded(ciphertext.subarray(0, SNTRUP761_CIPHERTEXT_BYTES - HASH_BYTES)), f, ginv);
  const { ciphertext: again, rEncoded } = hide(r, publicKey, secretKey.subarray(cacheAt));
  // Implicit rejection: on a mismatch hash rho instead of r, with prefix 0 instead of 1, without a branch.
  const mask = differenceMask(ciphertext, again);
  for (let i = 0; i < SMALL_BYTES; i++) rEncoded[i] ^= mask & (rEncoded[i] ^ rho[i]);
  const sharedSecret = hashSession(1 + mask, rEncoded, ciphertext);
  for (const a of [f, ginv, r, rEncoded]) a.fill(0);
  return sharedSecret;
}
