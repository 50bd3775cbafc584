import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) through OpenSSL: there is no RSA in noble. Integers are unsigned big-endian
// bytes; JWK (RFC 7518 §6.3) carries them into and out of node:crypto.

/** The hashes RFC 8332 (rsa-sha2-256/512) and RFC 4253 §6.6 (ssh-rsa, SHA-1) sign with. */
export type RsaHash = 'sha1' | 'sha256' | 'sha512';

export interface RsaPublicNumbers {
  readonly n: Uint8Array;
  readonly e: Uint8Array;
}

/** The private numbers with the CRT parameters (PKCS #1 RSAPrivateKey; `qi` is q^-1 mod p, OpenSSH's iqmp). */
export interface RsaPrivateNumbers extends RsaPublicNumbers {
  readonly d: Uint8Array;
  readonly p: Uint8Array;
  readonly q: Uint8Array;
  readonly dp: Uint8Array;
  readonly dq: Uint8Array;
  readonly qi: Uint8Array;
}

/** RFC 7518 §6.3.1: base64url of the integer's minimal big-endian octets. */
function b64url(b: Uint8Array): string {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return Buffer.from(b.buffer, b.byteOffset + i, b.byteLength - i).toString('base64url');
}

const fromB64url = (s: string | undefined): Uint8Array => new Uint8Array(Buffer.from(s ?? '', 'base64url'));

function publicJwk(key: RsaPublicNumbers) {
  return { kty: 'RSA', n: b64url(key.n), e: b64url(key.e) };
}

/**
 * Verify a PKCS #1 v1.5 signature. `signature` must be exactly the modulus length: callers pad short ones first
 * (OpenSSH accepts signatures whose leading zero bytes were dropped).
 */
export function rsaVerify(hash: RsaHash, key: RsaPublicNumbers, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    const k = createPublicKey({ key: publicJwk(key), format: 'jwk' });
    return verify(hash, message, { key: k, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
}

/** A PKCS #1 v1.5 signature, as long as the modulus. */
export function rsaSign(hash: RsaHash, key: RsaPrivateNumbers, message: Uint8Array): Uint8Array {
  const k = createPrivateKey({
    key: {
      ...publicJwk(key),
      d: b64url(key.d),
      p: b64url(key.p),
      q: b64url(key.q),
      dp: b64url(key.dp),
      dq: b64url(key.dq),
      qi: b64url(key.qi),
    },
    format: 'jwk',
  });
  return new Uint8Array(sign(hash, message, { key: k, padding: constants.RSA_PKCS1_PADDING }));
}

/** The numbers of a JWK that node:crypto exported. */
export function rsaNumbersFromJwk(jwk: Record<string, unknown>): RsaPrivateNumbers {
  const get = (name: string) => fromB64url(typeof jwk[name] === 'string' ? (jwk[name] as string) : undefined);
  return { n: get('n'), e: get('e'), d: get('d'), p: get('p'), q: get('q'), dp: get('dp'), dq: get('dq'), qi: get('qi') };
}

/**
 * A new key pair of `bits` with e = 65537, from OpenSSL's generator. It draws on OpenSSL's own CSPRNG: the prime
 * search cannot be fed from an injected random source.
 */
export function rsaGenerate(bits: number): RsaPrivateNumbers {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 });
  return rsaNumbersFromJwk(privateKey.export({ format: 'jwk' }) as Record<string, unknown>);
}
