import { createECDH, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { ecdsaHash, type EcdsaBackend } from './ecdsa-backend.js';
import { nistFieldLength, type NistCurveName } from './ecdh-nist.js';

const JWK_CURVE: Readonly<Record<NistCurveName, string>> = { nistp256: 'P-256', nistp384: 'P-384', nistp521: 'P-521' };
/** OpenSSL's names for the curves (RFC 5656 §10.1 lists the same as secp256r1, secp384r1, secp521r1). */
const OPENSSL_CURVE: Readonly<Record<NistCurveName, string>> = { nistp256: 'prime256v1', nistp384: 'secp384r1', nistp521: 'secp521r1' };

const b64url = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');

/** RFC 7518 §6.2.1: x and y are the coordinates of the uncompressed SEC1 point, each the field's length. */
function jwk(curve: NistCurveName, point: Uint8Array) {
  const len = nistFieldLength(curve);
  return { kty: 'EC', crv: JWK_CURVE[curve], x: b64url(point.subarray(1, 1 + len)), y: b64url(point.subarray(1 + len)) };
}

// OpenSSL's ECDSA: randomized k, signatures as IEEE P1363 r || s (each the field's length).
export const NODE_ECDSA: EcdsaBackend = Object.freeze({
  name: 'node',
  publicKey(curve: NistCurveName, secret: Uint8Array): Uint8Array {
    const ecdh = createECDH(OPENSSL_CURVE[curve]);
    ecdh.setPrivateKey(secret);
    return new Uint8Array(ecdh.getPublicKey(null, 'uncompressed'));
  },
  sign(curve: NistCurveName, secret: Uint8Array, point: Uint8Array, message: Uint8Array): Uint8Array {
    const key = createPrivateKey({ key: { ...jwk(curve, point), d: b64url(secret) }, format: 'jwk' });
    return new Uint8Array(sign(ecdsaHash(curve), message, { key, dsaEncoding: 'ieee-p1363' }));
  },
  verify(curve: NistCurveName, point: Uint8Array, message: Uint8Array, rs: Uint8Array): boolean {
    if (rs.length !== 2 * nistFieldLength(curve)) return false;
    try {
      const key = createPublicKey({ key: jwk(curve, point), format: 'jwk' });
      return verify(ecdsaHash(curve), message, { key, dsaEncoding: 'ieee-p1363' }, rs);
    } catch {
      return false;
    }
  },
});
