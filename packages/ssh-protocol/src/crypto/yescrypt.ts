// The yescrypt KDF (Solar Designer's yescrypt 1.1 specification and reference code), the password hash of
// libxcrypt's "$y$" and of Debian 12's new passwords; with no flags it is classic scrypt (RFC 7914).
// No ROM (NROM) support: system password hashes never use one.
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import {
  SBOX_BYTES,
  blockmixPwxform,
  blockmixSalsa8,
  pwxformState,
  type PwxformState,
} from './yescrypt-blockmix.js';

export const YESCRYPT_WORM = 0x001;
export const YESCRYPT_RW = 0x002;
/** RW with 6 pwxform rounds, gather 4, simple 2 and 12 KiB S-boxes: the only flavour yescrypt defines. */
export const YESCRYPT_DEFAULTS = 0x0b6;
const RW_FLAVOUR_MASK = 0x3fc;
const PREHASH = 0x10000000;

export interface YescryptParams {
  /** 0 (scrypt), YESCRYPT_WORM, or YESCRYPT_DEFAULTS. */
  flags: number;
  N: number;
  r: number;
  p: number;
  t: number;
}

/** Refuse work beyond this much memory: a hash asking for more is not one a system would hold. */
const MAX_MEMORY = 1 << 30;

export function checkYescryptParams(params: YescryptParams): void {
  const { flags, N, r, p, t } = params;
  const mode = flags & 3;
  const ok =
    (mode === 0 && flags === 0) ||
    (mode === YESCRYPT_WORM && flags === YESCRYPT_WORM) ||
    (mode === YESCRYPT_RW && (flags & RW_FLAVOUR_MASK) === (YESCRYPT_DEFAULTS & RW_FLAVOUR_MASK) && flags === YESCRYPT_DEFAULTS);
  if (!ok) throw new RangeError(`yescrypt: unsupported flags 0x${flags.toString(16)}`);
  if (!Number.isInteger(N) || N < 2 || N > 2 ** 30 || (N & (N - 1)) !== 0) throw new RangeError('yescrypt: N must be a power of 2');
  if (!Number.isInteger(r) || !Number.isInteger(p) || r < 1 || p < 1 || r * p >= 2 ** 30) throw new RangeError('yescrypt: bad r or p');
  if (!Number.isInteger(t) || t < 0 || t > 2 ** 16) throw new RangeError('yescrypt: bad t');
  if (128 * r * N + 128 * r * p > MAX_MEMORY) throw new RangeError('yescrypt: parameters need too much memory');
  if (flags & YESCRYPT_RW && (N / p <= 1 || r < 1)) throw new RangeError('yescrypt: N/p too small');
}

function p2floor(x: number): number {
  let y = 1;
  while (y * 2 <= x) y *= 2;
  return y;
}

function wordsToBytes(w: Uint32Array, from = 0, to = w.length): Uint8Array {
  const out = new Uint8Array((to - from) * 4);
  const v = new DataView(out.buffer);
  for (let i = from; i < to; i++) v.setUint32((i - from) * 4, w[i], true);
  return out;
}

function bytesToWords(b: Uint8Array): Uint32Array {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Uint32Array(b.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = v.getUint32(i * 4, true);
  return out;
}

/** The low word of Integerify: words of the last sub-block (index 0 in yescrypt's shuffled order). */
function integerify(x: Uint32Array, r: number): number {
  return x[(2 * r - 1) * 16];
}

// The block B_i is kept in yescrypt's shuffled word order for the whole computation (as yescrypt-opt does);
// that order only matters to Salsa20 and to where Integerify reads, both handled in the block functions.
function shuffleIn(b: Uint32Array, o: number, r: number, x: Uint32Array): void {
  for (let k = 0; k < 2 * r; k++) for (let i = 0; i < 16; i++) x[k * 16 + i] = b[o + k * 16 + ((i * 5) % 16)];
}

function shuffleOut(x: Uint32Array, b: Uint32Array, o: number, r: number): void {
  for (let k = 0; k < 2 * r; k++) for (let i = 0; i < 16; i++) b[o + k * 16 + ((i * 5) % 16)] = x[k * 16 + i];
}

function mix(x: Uint32Array, y: Uint32Array, r: number, st: PwxformState | undefined): void {
  if (st) blockmixPwxform(x, 0, st, r);
  else blockmixSalsa8(x, 0, y, r);
}

function xorInto(x: Uint32Array, v: Uint32Array, at: number, s: number): void {
  for (let k = 0; k < s; k++) x[k] ^= v[at + k];
}

function smix1(b: Uint32Array, bo: number, r: number, N: number, rw: boolean, v: Uint32Array, vo: number, st: PwxformState | undefined): void {
  const s = 32 * r;
  const x = new Uint32Array(s);
  const y = new Uint32Array(s);
  shuffleIn(b, bo, r, x);
  for (let i = 0; i < N; i++) {
    v.set(x, vo + i * s);
    if (rw && i > 1) {
      const n = p2floor(i);
      const j = ((integerify(x, r) & (n - 1)) >>> 0) + (i - n);
      xorInto(x, v, vo + j * s, s);
    }
    mix(x, y, r, st);
  }
  shuffleOut(x, b, bo, r);
}

function smix2(b: Uint32Array, bo: number, r: number, N: number, loops: number, rw: boolean, v: Uint32Array, vo: number, st: PwxformState | undefined): void {
  const s = 32 * r;
  const x = new Uint32Array(s);
  const y = new Uint32Array(s);
  shuffleIn(b, bo, r, x);
  for (let i = 0; i < loops; i++) {
    const j = (integerify(x, r) & (N - 1)) >>> 0;
    xorInto(x, v, vo + j * s, s);
    if (rw) v.set(x, vo + j * s);
    mix(x, y, r, st);
  }
  shuffleOut(x, b, bo, r);
}

function loopCounts(n: number, t: number, flags: number, p: number): { all: number; rw: number } {
  let all = n;
  if (flags & YESCRYPT_RW) {
    if (t <= 1) {
      if (t) all *= 2;
      all = Math.floor((all + 2) / 3);
    } else {
      all *= t - 1;
    }
  } else if (t) {
    if (t === 1) all += Math.floor((all + 1) / 2);
    all *= t;
  }
  let rw = flags & YESCRYPT_RW ? Math.floor(all / p) : 0;
  all += all & 1;
  rw += rw & 1;
  return { all, rw };
}

// yescrypt's SMix over all p blocks; `passwd` (32 bytes) is replaced by HMAC(B_{0,2r-1}, passwd) in RW mode.
function smix(b: Uint32Array, r: number, N: number, p: number, t: number, flags: number, v: Uint32Array, passwd: Uint8Array): Uint8Array {
  const s = 32 * r;
  const rw = (flags & YESCRYPT_RW) !== 0;
  const chunk = Math.floor(N / p) & ~1;
  const loops = loopCounts(Math.floor(N / p), t, flags, p);
  const states: (PwxformState | undefined)[] = [];
  for (let i = 0; i < p; i++) {
    const np = i < p - 1 ? chunk : N - i * chunk;
    const vo = i * chunk * s;
    let st: PwxformState | undefined;
    if (rw) {
      const sbox = new Uint32Array(SBOX_BYTES / 4);
      smix1(b, i * s, 1, SBOX_BYTES / 128, false, sbox, 0, undefined);
      st = pwxformState(sbox);
      if (i === 0) {
        const key = wordsToBytes(b, i * s + s - 16, i * s + s);
        passwd = new Uint8Array(createHmac('sha256', key).update(passwd).digest());
      }
    }
    states.push(st);
    smix1(b, i * s, r, np, rw, v, vo, st);
    smix2(b, i * s, r, p2floor(np), loops.rw, rw, v, vo, st);
  }
  for (let i = 0; i < p; i++) smix2(b, i * s, r, N, loops.all - loops.rw, false, v, 0, states[i]);
  return passwd;
}

function kdfBody(password: Uint8Array, salt: Uint8Array, params: YescryptParams, prehash: boolean, dkLen: number): Uint8Array {
  const { flags, N, r, p, t } = params;
  let passwd = password;
  if (flags) {
    const key = prehash ? 'yescrypt-prehash' : 'yescrypt';
    passwd = new Uint8Array(createHmac('sha256', key).update(passwd).digest());
  }
  const b = bytesToWords(new Uint8Array(pbkdf2Sync(passwd, salt, 1, 128 * r * p, 'sha256')));
  if (flags) passwd = wordsToBytes(b, 0, 8);
  const v = new Uint32Array(32 * r * N);
  if (flags & YESCRYPT_RW) {
    passwd = smix(b, r, N, p, t, flags, v, passwd);
  } else {
    for (let i = 0; i < p; i++) {
      smix(b.subarray(32 * r * i, 32 * r * (i + 1)), r, N, 1, t, flags, v, passwd);
    }
  }
  const out = new Uint8Array(pbkdf2Sync(passwd, wordsToBytes(b), 1, Math.max(dkLen, flags ? 32 : dkLen), 'sha256'));
  if (flags && !prehash) {
    // SCRAM-like finish (RFC 5802): StoredKey = H(HMAC(dk, "Client Key")).
    const clientKey = createHmac('sha256', out.subarray(0, 32)).update('Client Key').digest();
    out.set(createHash('sha256').update(clientKey).digest().subarray(0, Math.min(dkLen, 32)));
  }
  return out.subarray(0, dkLen);
}

/** yescrypt(passwd, salt, params) -> dkLen bytes. */
export function yescryptKdf(password: Uint8Array, salt: Uint8Array, params: YescryptParams, dkLen = 32): Uint8Array {
  checkYescryptParams(params);
  let passwd = password;
  const { flags, N, r, p } = params;
  // Pre-hashing with a 64th of the memory first, for large RW settings.
  if (flags & YESCRYPT_RW && N / p >= 0x100 && (N / p) * r >= 0x20000) {
    passwd = kdfBody(passwd, salt, { flags, N: N / 64, r, p, t: 0 }, true, 32);
  }
  return kdfBody(passwd, salt, params, false, dkLen);
}

