import { Q } from './params.js';

// Scalar arithmetic mod q and mod 3 in symmetric representatives, written without secret-dependent
// branches or divisions: a float multiply and floor (roundsd) instead of %, masks instead of if.

const INV_Q = 1 / Q;
const INV_3 = 1 / 3;

/** x mod q in -(q-1)/2..(q-1)/2, for |x| < 2^40 (q is odd, so there is never a tie to round). */
export function freezeQ(x: number): number {
  return x - Q * Math.floor(x * INV_Q + 0.5);
}

/** x mod 3 in {-1, 0, 1}, for |x| < 2^40. */
export function freeze3(x: number): number {
  return x - 3 * Math.floor(x * INV_3 + 0.5);
}

/** -1 when x is nonzero, else 0 (x a 32-bit integer other than -2^31). */
export function nonzeroMask(x: number): number {
  return (x | -x) >> 31;
}

/** -1 when x is negative, else 0. */
export function negativeMask(x: number): number {
  return x >> 31;
}

/** Swap a and b elementwise when mask is -1, keep them when it is 0. */
export function maskedSwap(a: Int32Array, b: Int32Array, mask: number): void {
  for (let i = 0; i < a.length; i++) {
    const t = mask & (a[i] ^ b[i]);
    a[i] ^= t;
    b[i] ^= t;
  }
}

/** 1/a mod q as a^(q-2) (Fermat), over the public exponent's bits, so the time does not depend on a. */
export function reciprocalQ(a: number): number {
  let result = 1;
  let base = freezeQ(a);
  for (let e = Q - 2; e > 0; e >>= 1) {
    const factor = freezeQ(result * base);
    const take = -(e & 1);
    result = (factor & take) | (result & ~take);
    base = freezeQ(base * base);
  }
  return result;
}
