import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

// node:crypto takes X25519 and Ed25519 keys only as KeyObjects. A raw 32-byte key becomes one through a JWK
// (RFC 8037 §2): node hands its bytes straight to OpenSSL's raw-key import. The DER route (RFC 8410 PKCS#8 or
// SubjectPublicKeyInfo with the raw key as its tail) goes through OpenSSL 3's decoder search instead, measured here
// at 0.4-0.8 ms per import against 0.04-0.05 ms for the JWK, which made the node backend slower than noble.
// node reads only `d` of a private JWK (it derives the public key itself) but insists that `x` be a string.

type OkpCurve = 'X25519' | 'Ed25519';

const b64url = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');
// (The secret passes through a base64url string, which cannot be wiped; ecdsa-node.ts does the same.)

function privateKey(crv: OkpCurve, secret: Uint8Array): KeyObject {
  if (secret.length !== 32) throw new RangeError(`${crv} private key must be 32 bytes`);
  return createPrivateKey({ key: { kty: 'OKP', crv, d: b64url(secret), x: '' }, format: 'jwk' });
}

function publicKey(crv: OkpCurve, raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RangeError(`${crv} public key must be 32 bytes`);
  return createPublicKey({ key: { kty: 'OKP', crv, x: b64url(raw) }, format: 'jwk' });
}

export const x25519PrivateKeyObject = (secret: Uint8Array): KeyObject => privateKey('X25519', secret);
export const x25519PublicKeyObject = (raw: Uint8Array): KeyObject => publicKey('X25519', raw);
export const ed25519PrivateKeyObject = (seed: Uint8Array): KeyObject => privateKey('Ed25519', seed);
export const ed25519PublicKeyObject = (raw: Uint8Array): KeyObject => publicKey('Ed25519', raw);

/** The raw 32-byte public key of an X25519 or Ed25519 KeyObject (its JWK's `x`). */
export function rawPublicKey(key: KeyObject): Uint8Array {
  const x = key.export({ format: 'jwk' }).x;
  if (typeof x !== 'string') throw new TypeError('not an X25519 or Ed25519 key');
  return new Uint8Array(Buffer.from(x, 'base64url'));
}
