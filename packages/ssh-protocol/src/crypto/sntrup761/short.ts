import { P, W } from './params.js';

// Random small and short polynomials (round-3 submission, "Small_random", "Short_random",
// "Short_fromlist"). Randomness is read 4 bytes per coefficient, as the reference code's urandom32()
// does, so that the NIST KAT generator's randombytes() reproduces the published vectors.

export type RandomBytes = (n: number) => Uint8Array;

function random32(random: RandomBytes): number {
  const b = random(4);
  if (b.length !== 4) throw new RangeError('sntrup761: random source returned the wrong length');
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
}

/** p coefficients, each floor(3 * (u mod 2^30) / 2^30) - 1 for a random 32-bit u. */
export function smallRandom(random: RandomBytes): Int8Array {
  const out = new Int8Array(P);
  for (let i = 0; i < P; i++) out[i] = Math.floor((random32(random) & 0x3fffffff) * 3 * 2 ** -30) - 1;
  return out;
}

/** Sort signed 32-bit integers in place with a data-independent sequence of compare-exchanges. */
function sortInt32(x: Int32Array): void {
  // Bitonic network over a power-of-two length; the caller pads with the largest value.
  const n = x.length;
  for (let k = 2; k <= n; k <<= 1) {
    for (let j = k >> 1; j > 0; j >>= 1) {
      for (let i = 0; i < n; i++) {
        const l = i ^ j;
        if (l <= i) continue;
        const up = (i & k) === 0;
        const lo = up ? i : l;
        const hi = up ? l : i;
        const a = x[lo];
        const b = x[hi];
        // Branch-free min/max: c is -1 exactly when b < a, also when b - a overflows.
        const ab = a ^ b;
        let c = (b - a) | 0;
        c ^= ab & (c ^ b);
        c = (c >> 31) & ab;
        x[lo] = a ^ c;
        x[hi] = b ^ c;
      }
    }
  }
}

/**
 * The short polynomial encoded by 32-bit words: the first w words get their low bit cleared (they
 * become +-1), the rest get bit 1 cleared and bit 0 set (they become 0); sorting the words shuffles
 * the coefficients, whose values are then read from the two low bits.
 */
export function shortFromList(words: Uint32Array): Int8Array {
  const padded = new Int32Array(1024).fill(0x7fffffff);
  for (let i = 0; i < P; i++) {
    const u = i < W ? words[i] & ~1 : (words[i] & ~2) | 1;
    // Flipping the top bit turns unsigned order into signed order.
    padded[i] = u ^ 0x80000000;
  }
  sortInt32(padded);
  const out = new Int8Array(P);
  for (let i = 0; i < P; i++) out[i] = (padded[i] & 3) - 1;
  padded.fill(0);
  return out;
}

export function shortRandom(random: RandomBytes): Int8Array {
  const words = new Uint32Array(P);
  for (let i = 0; i < P; i++) words[i] = random32(random);
  const out = shortFromList(words);
  words.fill(0);
  return out;
}
