import { p256, p384, p521 } from '@noble/curves/nist.js';
import type { EcdsaBackend } from './ecdsa-backend.js';
import type { NistCurveName } from './ecdh-nist.js';

const CURVES = { nistp256: p256, nistp384: p384, nistp521: p521 } as const;

// noble hashes the message with the curve's own hash (prehash: SHA-256, SHA-384, SHA-512), the pairing RFC 5656
// §6.2.1 prescribes. Signing is deterministic (RFC 6979). lowS is off both ways: OpenSSL neither makes nor
// demands low-s signatures, so a high s from OpenSSH is as valid as a low one.
export const NOBLE_ECDSA: EcdsaBackend = Object.freeze({
  name: 'noble',
  publicKey: (curve: NistCurveName, secret: Uint8Array): Uint8Array => CURVES[curve].getPublicKey(secret, false),
  sign(curve: NistCurveName, secret: Uint8Array, _point: Uint8Array, message: Uint8Array): Uint8Array {
    return CURVES[curve].sign(message, secret, { lowS: false, prehash: true, format: 'compact' });
  },
  verify(curve: NistCurveName, point: Uint8Array, message: Uint8Array, rs: Uint8Array): boolean {
    try {
      return CURVES[curve].verify(rs, message, point, { lowS: false, prehash: true, format: 'compact' });
    } catch {
      return false;
    }
  },
});
