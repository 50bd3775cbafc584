import { freeze3, nonzeroMask } from './modular.js';
import { P, W } from './params.js';

// Polynomials in R3 = (Z/3)[x]/(x^p - x - 1), coefficients in {-1, 0, 1}.

/** Lift an Rq element's coefficients to Z and reduce them mod 3. */
export function r3FromRq(a: Int16Array): Int8Array {
  const out = new Int8Array(P);
  for (let i = 0; i < P; i++) out[i] = freeze3(a[i]);
  return out;
}

/** f * g in R3. */
export function r3Multiply(f: Int8Array, g: Int8Array): Int8Array {
  const product = new Int32Array(2 * P - 1);
  for (let i = 0; i < P; i++) {
    const fi = f[i];
    for (let j = 0; j < P; j++) product[i + j] += fi * g[j];
  }
  for (let i = 2 * P - 2; i >= P; i--) {
    product[i - P] += product[i];
    product[i - P + 1] += product[i];
  }
  const out = new Int8Array(P);
  for (let i = 0; i < P; i++) out[i] = freeze3(product[i]);
  product.fill(0);
  return out;
}

/** 0 when exactly w coefficients are nonzero, else -1 (the submission's "Weightw_mask"). */
export function weightMask(a: Int8Array): number {
  let weight = 0;
  for (let i = 0; i < P; i++) weight += a[i] & 1;
  return nonzeroMask(weight - W);
}
