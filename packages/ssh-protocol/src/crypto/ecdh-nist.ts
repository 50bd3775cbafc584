import { p256, p384, p521 } from '@noble/curves/nist.js';

/** The NIST prime curves of RFC 5656 §10.1, by their SSH names. */
export type NistCurveName = 'nistp256' | 'nistp384' | 'nistp521';

const CURVES = { nistp256: p256, nistp384: p384, nistp521: p521 } as const;

/** Bytes in one field element (coordinate) of the curve. */
export function nistFieldLength(curve: NistCurveName): number {
  return CURVES[curve].lengths.secretKey!;
}

/** Random bytes needed by `nistSecretKey` to draw a scalar with negligible bias. */
export function nistSeedLength(curve: NistCurveName): number {
  return CURVES[curve].lengths.seed!;
}

/** A private scalar in [1, n-1] from `nistSeedLength` uniform bytes (FIPS 186-5 A.4.1 style reduction). */
export function nistSecretKey(curve: NistCurveName, seed: Uint8Array): Uint8Array {
  return CURVES[curve].utils.randomSecretKey(seed);
}

/** The public point as an uncompressed SEC1 octet string (0x04 || X || Y), as RFC 5656 §4 sends it. */
export function nistPublicKey(curve: NistCurveName, secret: Uint8Array): Uint8Array {
  return CURVES[curve].getPublicKey(secret, false);
}

/**
 * ECDH on a NIST curve: the X coordinate of secret * peer (SEC1 §3.3.1). The peer point must be an uncompressed
 * SEC1 encoding of a point on the curve other than infinity (RFC 5656 §4 and §3.2.2); anything else throws.
 */
export function nistSharedSecret(curve: NistCurveName, secret: Uint8Array, peerPublic: Uint8Array): Uint8Array {
  const c = CURVES[curve];
  const len = nistFieldLength(curve);
  if (peerPublic.length !== 1 + 2 * len || peerPublic[0] !== 0x04) {
    throw new RangeError(`${curve}: public key is not an uncompressed point`);
  }
  const point = c.Point.fromBytes(peerPublic); // refuses points off the curve
  if (point.is0()) throw new RangeError(`${curve}: public key is the point at infinity`);
  point.assertValidity();
  const shared = c.getSharedSecret(secret, peerPublic, false);
  const x = shared.slice(1, 1 + len);
  shared.fill(0);
  return x;
}
