import { maskedSwap, negativeMask, nonzeroMask } from './modular.js';
import { P } from './params.js';

// 1/s in R3 by 2p-1 constant-time divsteps (as rqReciprocal3 in rq.ts), bitsliced: each polynomial of
// p+1 coefficients mod 3 is two bit planes, `pos` (coefficient is 1) and `neg` (coefficient is -1),
// so one 32-bit operation handles 32 coefficients.

const WORDS = Math.ceil((P + 1) / 32);
const TOP_MASK = (1 << ((P + 1) % 32)) - 1;

interface F3Poly {
  pos: Int32Array;
  neg: Int32Array;
}

function newPoly(): F3Poly {
  return { pos: new Int32Array(WORDS), neg: new Int32Array(WORDS) };
}

function setCoefficient(a: F3Poly, i: number, value: number): void {
  a.pos[i >> 5] |= (value & 1 & ~(value >> 1)) << (i & 31);
  a.neg[i >> 5] |= (value >>> 31) << (i & 31);
}

function coefficient(a: F3Poly, i: number): number {
  return ((a.pos[i >> 5] >>> (i & 31)) & 1) - ((a.neg[i >> 5] >>> (i & 31)) & 1);
}

/** a <- s*a + t*b for scalars given as masks (sPos: s = 1, sNeg: s = -1). */
function combine(a: F3Poly, sPos: number, sNeg: number, b: F3Poly, tPos: number, tNeg: number): void {
  for (let k = 0; k < WORDS; k++) {
    const xp = (a.pos[k] & sPos) | (a.neg[k] & sNeg);
    const xn = (a.neg[k] & sPos) | (a.pos[k] & sNeg);
    const yp = (b.pos[k] & tPos) | (b.neg[k] & tNeg);
    const yn = (b.neg[k] & tPos) | (b.pos[k] & tNeg);
    const xz = ~(xp | xn);
    const yz = ~(yp | yn);
    // 1+1 = -1 and -1-1 = 1 mod 3.
    a.pos[k] = (xp & yz) | (xz & yp) | (xn & yn);
    a.neg[k] = (xn & yz) | (xz & yn) | (xp & yp);
  }
}

/** Multiply by x, dropping what passes coefficient p. */
function shiftUp(w: Int32Array): void {
  for (let k = WORDS - 1; k > 0; k--) w[k] = (w[k] << 1) | (w[k - 1] >>> 31);
  w[0] <<= 1;
  w[WORDS - 1] &= TOP_MASK;
}

/** Divide by x (the constant coefficient is zero). */
function shiftDown(w: Int32Array): void {
  for (let k = 0; k < WORDS - 1; k++) w[k] = (w[k] >>> 1) | (w[k + 1] << 31);
  w[WORDS - 1] >>>= 1;
}

/** 1/s in R3; `ok` is false when s is not invertible, and the caller then draws another s. */
export function r3Reciprocal(s: Int8Array): { inverse: Int8Array; ok: boolean } {
  const f = newPoly();
  const g = newPoly();
  const v = newPoly();
  const r = newPoly();
  // Reversed x^p - x - 1, and reversed s.
  setCoefficient(f, 0, 1);
  setCoefficient(f, P - 1, -1);
  setCoefficient(f, P, -1);
  for (let i = 0; i < P; i++) setCoefficient(g, P - 1 - i, s[i]);
  setCoefficient(r, 0, 1);
  let delta = 1;
  for (let step = 0; step < 2 * P - 1; step++) {
    shiftUp(v.pos);
    shiftUp(v.neg);
    const swap = negativeMask(-delta) & -((g.pos[0] | g.neg[0]) & 1);
    delta ^= swap & (delta ^ -delta);
    delta += 1;
    maskedSwap(f.pos, g.pos, swap);
    maskedSwap(f.neg, g.neg, swap);
    maskedSwap(v.pos, r.pos, swap);
    maskedSwap(v.neg, r.neg, swap);
    const fPos = -(f.pos[0] & 1);
    const fNeg = -(f.neg[0] & 1);
    const gPos = -(g.pos[0] & 1);
    const gNeg = -(g.neg[0] & 1);
    // g <- (f0 g - g0 f) / x and r <- f0 r - g0 v; -g0 swaps g0's masks.
    combine(g, fPos, fNeg, f, gNeg, gPos);
    shiftDown(g.pos);
    shiftDown(g.neg);
    combine(r, fPos, fNeg, v, gNeg, gPos);
  }
  // f[0] is +-1, its own inverse mod 3.
  const scale = coefficient(f, 0);
  const inverse = new Int8Array(P);
  for (let i = 0; i < P; i++) inverse[i] = scale * coefficient(v, P - 1 - i);
  for (const a of [f, g, v, r]) {
    a.pos.fill(0);
    a.neg.fill(0);
  }
  return { inverse, ok: nonzeroMask(delta) === 0 };
}
