// The block mixing functions of scrypt and yescrypt (yescrypt's specification, "yescrypt-ref"): Salsa20 with
// the word order yescrypt keeps its blocks in, scrypt's BlockMix_Salsa20/8, and yescrypt's BlockMix_pwxform
// with pwxform's S-boxes. Blocks are Uint32Array words; 128 bytes are 32 words.

// yescrypt stores every 64-byte sub-block "SIMD-shuffled": word i of the Salsa20 state sits at (i * 5) % 16.
// SHUFFLED[i] is where state word i is found.
const SHUFFLED = Array.from({ length: 16 }, (_, i) => (i * 13) % 16);

/** Salsa20 core with `rounds` rounds on the 16 words at `b[o..o+16)` (shuffled order), added back in place. */
export function salsa20Shuffled(b: Uint32Array, o: number, rounds: number): void {
  const s = SHUFFLED;
  let x0 = b[o + s[0]], x1 = b[o + s[1]], x2 = b[o + s[2]], x3 = b[o + s[3]];
  let x4 = b[o + s[4]], x5 = b[o + s[5]], x6 = b[o + s[6]], x7 = b[o + s[7]];
  let x8 = b[o + s[8]], x9 = b[o + s[9]], x10 = b[o + s[10]], x11 = b[o + s[11]];
  let x12 = b[o + s[12]], x13 = b[o + s[13]], x14 = b[o + s[14]], x15 = b[o + s[15]];
  let u: number;
  for (let i = 0; i < rounds; i += 2) {
    // Columns.
    u = (x0 + x12) | 0; x4 ^= (u << 7) | (u >>> 25);
    u = (x4 + x0) | 0; x8 ^= (u << 9) | (u >>> 23);
    u = (x8 + x4) | 0; x12 ^= (u << 13) | (u >>> 19);
    u = (x12 + x8) | 0; x0 ^= (u << 18) | (u >>> 14);
    u = (x5 + x1) | 0; x9 ^= (u << 7) | (u >>> 25);
    u = (x9 + x5) | 0; x13 ^= (u << 9) | (u >>> 23);
    u = (x13 + x9) | 0; x1 ^= (u << 13) | (u >>> 19);
    u = (x1 + x13) | 0; x5 ^= (u << 18) | (u >>> 14);
    u = (x10 + x6) | 0; x14 ^= (u << 7) | (u >>> 25);
    u = (x14 + x10) | 0; x2 ^= (u << 9) | (u >>> 23);
    u = (x2 + x14) | 0; x6 ^= (u << 13) | (u >>> 19);
    u = (x6 + x2) | 0; x10 ^= (u << 18) | (u >>> 14);
    u = (x15 + x11) | 0; x3 ^= (u << 7) | (u >>> 25);
    u = (x3 + x15) | 0; x7 ^= (u << 9) | (u >>> 23);
    u = (x7 + x3) | 0; x11 ^= (u << 13) | (u >>> 19);
    u = (x11 + x7) | 0; x15 ^= (u << 18) | (u >>> 14);
    // Rows.
    u = (x0 + x3) | 0; x1 ^= (u << 7) | (u >>> 25);
    u = (x1 + x0) | 0; x2 ^= (u << 9) | (u >>> 23);
    u = (x2 + x1) | 0; x3 ^= (u << 13) | (u >>> 19);
    u = (x3 + x2) | 0; x0 ^= (u << 18) | (u >>> 14);
    u = (x5 + x4) | 0; x6 ^= (u << 7) | (u >>> 25);
    u = (x6 + x5) | 0; x7 ^= (u << 9) | (u >>> 23);
    u = (x7 + x6) | 0; x4 ^= (u << 13) | (u >>> 19);
    u = (x4 + x7) | 0; x5 ^= (u << 18) | (u >>> 14);
    u = (x10 + x9) | 0; x11 ^= (u << 7) | (u >>> 25);
    u = (x11 + x10) | 0; x8 ^= (u << 9) | (u >>> 23);
    u = (x8 + x11) | 0; x9 ^= (u << 13) | (u >>> 19);
    u = (x9 + x8) | 0; x10 ^= (u << 18) | (u >>> 14);
    u = (x15 + x14) | 0; x12 ^= (u << 7) | (u >>> 25);
    u = (x12 + x15) | 0; x13 ^= (u << 9) | (u >>> 23);
    u = (x13 + x12) | 0; x14 ^= (u << 13) | (u >>> 19);
    u = (x14 + x13) | 0; x15 ^= (u << 18) | (u >>> 14);
  }
  b[o + s[0]] += x0; b[o + s[1]] += x1; b[o + s[2]] += x2; b[o + s[3]] += x3;
  b[o + s[4]] += x4; b[o + s[5]] += x5; b[o + s[6]] += x6; b[o + s[7]] += x7;
  b[o + s[8]] += x8; b[o + s[9]] += x9; b[o + s[10]] += x10; b[o + s[11]] += x11;
  b[o + s[12]] += x12; b[o + s[13]] += x13; b[o + s[14]] += x14; b[o + s[15]] += x15;
}

/** scrypt's BlockMix_Salsa20/8 on the 2r sub-blocks at `b[o..)`, with `y` (32r words) as scratch. */
export function blockmixSalsa8(b: Uint32Array, o: number, y: Uint32Array, r: number): void {
  const x = new Uint32Array(16);
  x.set(b.subarray(o + (2 * r - 1) * 16, o + 2 * r * 16));
  for (let i = 0; i < 2 * r; i++) {
    for (let k = 0; k < 16; k++) x[k] ^= b[o + i * 16 + k];
    salsa20Shuffled(x, 0, 8);
    y.set(x, i * 16);
  }
  for (let i = 0; i < r; i++) {
    b.set(y.subarray(i * 2 * 16, i * 2 * 16 + 16), o + i * 16);
    b.set(y.subarray((i * 2 + 1) * 16, (i * 2 + 1) * 16 + 16), o + (i + r) * 16);
  }
}

// pwxform with yescrypt's only defined flavour: 2 simple lanes, gather 4, 6 rounds, 8-bit S-box index.
const PWX_SIMPLE = 2;
const PWX_GATHER = 4;
const PWX_ROUNDS = 6;
const S_WIDTH = 8;
export const PWX_WORDS = (PWX_GATHER * PWX_SIMPLE * 8) / 4;
/** Bytes of the three S-boxes (12 KiB). */
export const SBOX_BYTES = 3 * (1 << S_WIDTH) * PWX_SIMPLE * 8;
const SBOX_WORDS = (1 << S_WIDTH) * PWX_SIMPLE * 2;
const S_MASK = ((1 << S_WIDTH) - 1) * PWX_SIMPLE * 8;
const W_MASK = (1 << S_WIDTH) * PWX_SIMPLE - 1;

/** One thread's S-boxes S0, S1, S2 (word offsets into `s`) and its write position w. */
export interface PwxformState {
  readonly s: Uint32Array;
  s0: number;
  s1: number;
  s2: number;
  w: number;
}

/** S2, S1, S0 in that order over the SBOX_BYTES just filled in by SMix1 (yescrypt's smix steps 19-22). */
export function pwxformState(s: Uint32Array): PwxformState {
  return { s, s2: 0, s1: SBOX_WORDS, s0: 2 * SBOX_WORDS, w: 0 };
}

// One pwxform lane: (hi * lo + s0) ^ s1 on 64-bit values held as [lo, hi] word pairs.
function pwxform(x: Uint32Array, st: PwxformState): void {
  const S = st.s;
  let w = st.w;
  const { s0, s1, s2 } = st;
  for (let i = 0; i < PWX_ROUNDS; i++) {
    for (let j = 0; j < PWX_GATHER; j++) {
      const base = j * PWX_SIMPLE * 2;
      const p0 = s0 + ((x[base] & S_MASK) >>> 2);
      const p1 = s1 + ((x[base + 1] & S_MASK) >>> 2);
      for (let k = 0; k < PWX_SIMPLE; k++) {
        const lo = x[base + 2 * k];
        const hi = x[base + 2 * k + 1];
        // 32 x 32 -> 64-bit product: the low word exactly with imul; the high word from the double product,
        // whose rounding error (under 2^11) is far below the 2^32 steps that Math.round resolves.
        let plo = Math.imul(lo, hi) >>> 0;
        let phi = Math.round((lo * hi - plo) / 0x100000000);
        plo += S[p0 + 2 * k];
        phi += S[p0 + 2 * k + 1];
        if (plo > 0xffffffff) {
          plo -= 0x100000000;
          phi += 1;
        }
        const rlo = (plo ^ S[p1 + 2 * k]) >>> 0;
        const rhi = (phi ^ S[p1 + 2 * k + 1]) >>> 0;
        x[base + 2 * k] = rlo;
        x[base + 2 * k + 1] = rhi;
        if (i !== 0 && i !== PWX_ROUNDS - 1) {
          S[s2 + 2 * w] = rlo;
          S[s2 + 2 * w + 1] = rhi;
          w++;
        }
      }
    }
  }
  st.s0 = s2;
  st.s1 = s0;
  st.s2 = s1;
  st.w = w & W_MASK;
}

/** yescrypt's BlockMix_pwxform on the 2r sub-blocks at `b[o..)`. */
export function blockmixPwxform(b: Uint32Array, o: number, st: PwxformState, r: number): void {
  const r1 = (128 * r) / (PWX_WORDS * 4);
  const x = new Uint32Array(PWX_WORDS);
  x.set(b.subarray(o + (r1 - 1) * PWX_WORDS, o + r1 * PWX_WORDS));
  for (let i = 0; i < r1; i++) {
    if (r1 > 1) for (let k = 0; k < PWX_WORDS; k++) x[k] ^= b[o + i * PWX_WORDS + k];
    pwxform(x, st);
    b.set(x, o + i * PWX_WORDS);
  }
  let i = ((r1 - 1) * PWX_WORDS) / 16;
  salsa20Shuffled(b, o + i * 16, 2);
  for (i++; i < 2 * r; i++) {
    for (let k = 0; k < 16; k++) b[o + i * 16 + k] ^= b[o + (i - 1) * 16 + k];
    salsa20Shuffled(b, o + i * 16, 2);
  }
}
