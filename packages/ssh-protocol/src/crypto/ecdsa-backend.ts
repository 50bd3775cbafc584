import { p256, p384, p521 } from '@noble/curves/nist.js';
import { nistFieldLength, type NistCurveName } from './ecdh-nist.js';
import type { HashName } from './hash.js';

/**
 * ECDSA on the NIST curves with RFC 5656 §6.2.1's hash for each (SHA-256, SHA-384, SHA-512). Signatures are the
 * fixed-length r || s, each integer as many bytes as a field element. Points are uncompressed SEC1 encodings that
 * nistPointValid accepted; secrets are scalars in [1, n-1] of the field's length.
 */
export interface EcdsaBackend {
  readonly name: 'node' | 'noble';
  /** The public point d * G of a secret scalar, uncompressed. */
  publicKey(curve: NistCurveName, secret: Uint8Array): Uint8Array;
  sign(curve: NistCurveName, secret: Uint8Array, point: Uint8Array, message: Uint8Array): Uint8Array;
  verify(curve: NistCurveName, point: Uint8Array, message: Uint8Array, rs: Uint8Array): boolean;
}

/** RFC 5656 §6.2.1: the hash goes with the curve size. */
export function ecdsaHash(curve: NistCurveName): HashName {
  return curve === 'nistp256' ? 'sha256' : curve === 'nistp384' ? 'sha384' : 'sha512';
}

const CURVES = { nistp256: p256, nistp384: p384, nistp521: p521 } as const;

/**
 * Whether `point` is an uncompressed SEC1 point (0x04 || X || Y) on the curve, with coordinates below p, and not
 * the point at infinity (RFC 5656 §3.1 and SEC1 §3.2.2.1; the cofactor is 1, so that is all the validation there is).
 */
export function nistPointValid(curve: NistCurveName, point: Uint8Array): boolean {
  if (point.length !== 1 + 2 * nistFieldLength(curve) || point[0] !== 0x04) return false;
  try {
    const p = CURVES[curve].Point.fromBytes(point);
    p.assertValidity();
    return !p.is0();
  } catch {
    return false;
  }
}

/** The group order n of the curve. */
export function nistOrder(curve: NistCurveName): bigint {
  return CURVES[curve].Point.Fn.ORDER;
}
