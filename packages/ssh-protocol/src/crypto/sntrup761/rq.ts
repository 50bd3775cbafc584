import { freeze3, freezeQ, negativeMask, nonzeroMask, reciprocalQ } from './modular.js';
import { P } from './params.js';

// Polynomials in Rq = (Z/q)[x]/(x^p - x - 1), coefficients in -(q-1)/2..(q-1)/2. "Small" polynomials
// have coefficients in {-1, 0, 1} (round-3 submission, "Polynomials").

/** Reduce a product of degree <= 2p-2 modulo x^p - x - 1 (x^(p+k) = x^(k+1) + x^k), then mod q. */
function reduceQ(product: Int32Array): Int16Array {
  for (let i = 2 * P - 2; i >= P; i--) {
    product[i - P] += product[i];
    product[i - P + 1] += product[i];
  }
  const out = new Int16Array(P);
  for (let i = 0; i < P; i++) out[i] = freezeQ(product[i]);
  return out;
}

/** f * g in Rq for a small g. Sums stay below 3 * p * (q-1)/2 < 2^23, so one reduction at the end. */
export function rqMultiplySmall(f: Int16Array, g: Int8Array): Int16Array {
  const product = new Int32Array(2 * P - 1);
  for (let i = 0; i < P; i++) {
    const fi = f[i];
    for (let j = 0; j < P; j++) product[i + j] += fi * g[j];
  }
  const out = reduceQ(product);
  product.fill(0);
  return out;
}

/** 3 * f in Rq. */
export function rqTimes3(f: Int16Array): Int16Array {
  const out = new Int16Array(P);
  for (let i = 0; i < P; i++) out[i] = freezeQ(3 * f[i]);
  return out;
}

/** Round each coefficient to the nearest multiple of 3 (the submission's "Round"). */
export function rqRound(a: Int16Array): Int16Array {
  const out = new Int16Array(P);
  for (let i = 0; i < P; i++) out[i] = a[i] - freeze3(a[i]);
  return out;
}

/** Swap a[0..end) and b[0..end) when bit is 1, keep them when it is 0, by arithmetic instead of a branch. */
function swapIf(bit: number, a: Float64Array, b: Float64Array, end: number): void {
  for (let i = 0; i < end; i++) {
    const d = bit * (b[i] - a[i]);
    a[i] += d;
    b[i] -= d;
  }
}

/**
 * 1/(3s) in Rq for a small s. Constant-time polynomial gcd by 2p-1 "divsteps" (Bernstein and Yang,
 * "Fast constant-time gcd computation and modular inversion", 2019) on the reversed polynomials of
 * x^p - x - 1 and s; v tracks the Bezout coefficient of s. Rq is a field, so every nonzero s has an
 * inverse; `ok` is false only for s = 0.
 *
 * Loop bounds depend on the step number only: before step k, v and r have degree at most k, and the
 * remaining 2p-1-k steps read only that many low coefficients of f and g. Float64Array keeps the
 * products exact (below 2^25) and is the fastest typed array for this loop in V8.
 */
export function rqReciprocal3(s: Int8Array): { inverse: Int16Array; ok: boolean } {
  const n = P + 1;
  const f = new Float64Array(n);
  const g = new Float64Array(n);
  const v = new Float64Array(n);
  const r = new Float64Array(n);
  f[0] = 1;
  f[P - 1] = -1;
  f[P] = -1;
  for (let i = 0; i < P; i++) g[P - 1 - i] = s[i];
  r[0] = reciprocalQ(3);
  let delta = 1;
  for (let step = 0; step < 2 * P - 1; step++) {
    const fgEnd = Math.min(P, 2 * P - 1 - step);
    const vrEnd = Math.min(n, step + 2);
    v.copyWithin(1, 0, P);
    v[0] = 0;
    const swap = negativeMask(-delta) & nonzeroMask(g[0]);
    delta ^= swap & (delta ^ -delta);
    delta += 1;
    swapIf(swap & 1, f, g, fgEnd + 1);
    swapIf(swap & 1, v, r, vrEnd);
    const f0 = f[0];
    const g0 = g[0];
    // g <- (f0 g - g0 f) / x: the constant term cancels, so shift while updating.
    for (let i = 0; i < fgEnd; i++) g[i] = freezeQ(f0 * g[i + 1] - g0 * f[i + 1]);
    g[fgEnd] = 0;
    for (let i = 0; i < vrEnd; i++) r[i] = freezeQ(f0 * r[i] - g0 * v[i]);
  }
  const scale = reciprocalQ(f[0]);
  const inverse = new Int16Array(P);
  for (let i = 0; i < P; i++) inverse[i] = freezeQ(scale * v[P - 1 - i]);
  for (const a of [f, g, v, r]) a.fill(0);
  return { inverse, ok: nonzeroMask(delta) === 0 };
}
