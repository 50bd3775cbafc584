import { createPrivateKey } from 'node:crypto';
import { rsaNumbersFromJwk, type RsaPrivateNumbers } from './rsa.js';
import type { NistCurveName } from './ecdh-nist.js';

// PEM private keys (PKCS #1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY", PKCS #8 "PRIVATE KEY" and "ENCRYPTED
// PRIVATE KEY", with RFC 1421 Proc-Type/DEK-Info encryption) decoded by OpenSSL, their numbers taken out as JWK.

/** The numbers of a PEM private key, by kind; `other` names a key type we do not implement. */
export type PemPrivateNumbers =
  | { readonly kind: 'rsa'; readonly numbers: RsaPrivateNumbers }
  | { readonly kind: 'ecdsa'; readonly curve: NistCurveName; readonly d: Uint8Array; readonly x: Uint8Array; readonly y: Uint8Array }
  | { readonly kind: 'ed25519'; readonly seed: Uint8Array }
  | { readonly kind: 'other'; readonly type: string };

const CURVE_OF_JWK: Readonly<Record<string, NistCurveName>> = { 'P-256': 'nistp256', 'P-384': 'nistp384', 'P-521': 'nistp521' };

const fromB64url = (s: unknown): Uint8Array => new Uint8Array(Buffer.from(typeof s === 'string' ? s : '', 'base64url'));

/**
 * Decode a PEM private key. Throws whatever OpenSSL reports for a malformed, undecryptable or passphrase-less
 * encrypted key: the caller knows from the armour whether a passphrase was needed.
 */
export function readPemPrivateKey(text: string, passphrase?: string): PemPrivateNumbers {
  const key = createPrivateKey({ key: text, format: 'pem', passphrase });
  const type = key.asymmetricKeyType ?? 'unknown';
  if (type !== 'rsa' && type !== 'ec' && type !== 'ed25519') return { kind: 'other', type };
  const jwk = key.export({ format: 'jwk' }) as Record<string, unknown>;
  if (type === 'rsa') return { kind: 'rsa', numbers: rsaNumbersFromJwk(jwk) };
  if (type === 'ed25519') return { kind: 'ed25519', seed: fromB64url(jwk.d) };
  const curve = CURVE_OF_JWK[String(jwk.crv)];
  if (!curve) return { kind: 'other', type: `ec ${String(jwk.crv)}` };
  return { kind: 'ecdsa', curve, d: fromB64url(jwk.d), x: fromB64url(jwk.x), y: fromB64url(jwk.y) };
}
