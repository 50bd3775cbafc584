import { Blowfish } from './blowfish.js';
import { hash } from './hash.js';

/**
 * bcrypt_pbkdf as OpenBSD and OpenSSH define it (openssh-key-v1 KDF "bcrypt", PROTOCOL.key §2): PBKDF2-like
 * rounds over a bcrypt-style hash of SHA-512(passphrase) and SHA-512(salt || counter), with the output bytes
 * spread across blocks ("stride") so that every output byte depends on every round.
 */
const HASH_BYTES = 32;
// "OxychromaticBlowfishSwatDynamite", the block that bcrypt_hash encrypts 64 times.
const MAGIC = new TextEncoder().encode('OxychromaticBlowfishSwatDynamite');

function bcryptHash(sha2pass: Uint8Array, sha2salt: Uint8Array): Uint8Array {
  const bf = new Blowfish();
  bf.expandState(sha2salt, sha2pass);
  for (let i = 0; i < 64; i++) {
    bf.expand0State(sha2salt);
    bf.expand0State(sha2pass);
  }
  const v = new DataView(MAGIC.buffer, MAGIC.byteOffset, MAGIC.byteLength);
  const cdata = new Uint32Array(HASH_BYTES / 4);
  for (let i = 0; i < cdata.length; i++) cdata[i] = v.getUint32(4 * i);
  for (let i = 0; i < 64; i++) bf.encryptWords(cdata);
  // Output words are written little-endian.
  const out = new Uint8Array(HASH_BYTES);
  const o = new DataView(out.buffer);
  for (let i = 0; i < cdata.length; i++) o.setUint32(4 * i, cdata[i], true);
  return out;
}

export function bcryptPbkdf(passphrase: Uint8Array, salt: Uint8Array, rounds: number, keyLength: number): Uint8Array {
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError('bcrypt_pbkdf: rounds must be at least 1');
  if (passphrase.length === 0) throw new RangeError('bcrypt_pbkdf: empty passphrase');
  if (salt.length === 0 || salt.length > 1 << 20) throw new RangeError('bcrypt_pbkdf: bad salt length');
  if (keyLength < 1 || keyLength > HASH_BYTES * HASH_BYTES) throw new RangeError('bcrypt_pbkdf: bad key length');

  const stride = Math.ceil(keyLength / HASH_BYTES);
  const amount = Math.ceil(keyLength / stride);
  const key = new Uint8Array(keyLength);
  const sha2pass = hash('sha512', passphrase);
  const countSalt = new Uint8Array(salt.length + 4);
  countSalt.set(salt);
  const counter = new DataView(countSalt.buffer, salt.length, 4);

  let remaining = keyLength;
  for (let count = 1; remaining > 0; count++) {
    counter.setUint32(0, count);
    let tmp = bcryptHash(sha2pass, hash('sha512', countSalt));
    const out = tmp.slice();
    for (let i = 1; i < rounds; i++) {
      tmp = bcryptHash(sha2pass, hash('sha512', tmp));
      for (let j = 0; j < out.length; j++) out[j] ^= tmp[j];
    }
    // Spread this block's bytes across the key: byte i goes to i * stride + (count - 1).
    const take = Math.min(amount, remaining);
    let i = 0;
    for (; i < take; i++) {
      const dest = i * stride + (count - 1);
      if (dest >= keyLength) break;
      key[dest] = out[i];
    }
    remaining -= i;
    out.fill(0);
    tmp.fill(0);
  }
  sha2pass.fill(0);
  return key;
}
