// The NTRU Prime round-3 submission's "Encode" and "Decode": a list of integers 0 <= R[i] < M[i] with
// moduli below 2^14 becomes a byte string. Neighbours are merged in pairs (r0 + r1 * m0 with radix
// m0 * m1); while a merged radix is at least 2^14 its low byte is written out and the radix shrinks to
// ceil(m / 256). The halved list is encoded the same way until one value is left, which is written
// little-endian. Only public values (public keys, ciphertexts) go through here.

const LIMIT = 16384;

/** Bytes of `R` (values below the moduli `M`) in the submission's Encode format. */
export function encode(R: readonly number[], M: readonly number[]): Uint8Array {
  const out: number[] = [];
  encodeLevel(out, R, M);
  return Uint8Array.from(out);
}

function encodeLevel(out: number[], R: readonly number[], M: readonly number[]): void {
  if (R.length === 0) return;
  if (R.length === 1) {
    let [r] = R;
    for (let m = M[0]; m > 1; m = (m + 255) >> 8) {
      out.push(r & 0xff);
      r >>>= 8;
    }
    return;
  }
  const upperR: number[] = [];
  const upperM: number[] = [];
  for (let i = 0; i + 1 < R.length; i += 2) {
    let r = R[i] + R[i + 1] * M[i];
    let m = M[i] * M[i + 1];
    for (; m >= LIMIT; m = (m + 255) >> 8) {
      out.push(r & 0xff);
      r >>>= 8;
    }
    upperR.push(r);
    upperM.push(m);
  }
  if (R.length % 2 === 1) {
    upperR.push(R[R.length - 1]);
    upperM.push(M[M.length - 1]);
  }
  encodeLevel(out, upperR, upperM);
}

/**
 * The submission's Decode: the inverse of encode for `s` of exactly the encoded length. Out-of-range
 * input is reduced mod M[i] as the submission specifies, so every byte string decodes to something.
 */
export function decode(s: Uint8Array, M: readonly number[]): number[] {
  const cursor = { at: 0 };
  const out = decodeLevel(s, cursor, M);
  if (cursor.at !== s.length) throw new RangeError(`sntrup761: encoding is ${s.length} bytes, expected ${cursor.at}`);
  return out;
}

function readBytes(s: Uint8Array, cursor: { at: number }, count: number): number {
  let r = 0;
  for (let k = 0; k < count; k++) {
    if (cursor.at >= s.length) throw new RangeError('sntrup761: encoding is truncated');
    r += s[cursor.at++] * 2 ** (8 * k);
  }
  return r;
}

function decodeLevel(s: Uint8Array, cursor: { at: number }, M: readonly number[]): number[] {
  if (M.length === 0) return [];
  if (M.length === 1) {
    let count = 0;
    for (let m = M[0]; m > 1; m = (m + 255) >> 8) count++;
    return [readBytes(s, cursor, count) % M[0]];
  }
  // This level's low bytes come first, pair by pair; then the halved list.
  const low: number[] = [];
  const scale: number[] = [];
  const upperM: number[] = [];
  for (let i = 0; i + 1 < M.length; i += 2) {
    let m = M[i] * M[i + 1];
    let count = 0;
    for (; m >= LIMIT; m = (m + 255) >> 8) count++;
    low.push(readBytes(s, cursor, count));
    scale.push(2 ** (8 * count));
    upperM.push(m);
  }
  if (M.length % 2 === 1) upperM.push(M[M.length - 1]);
  const upper = decodeLevel(s, cursor, upperM);
  const out: number[] = [];
  for (let i = 0; i + 1 < M.length; i += 2) {
    const r = low[i >> 1] + scale[i >> 1] * upper[i >> 1];
    out.push(r % M[i], Math.floor(r / M[i]) % M[i + 1]);
  }
  if (M.length % 2 === 1) out.push(upper[upper.length - 1]);
  return out;
}
