import {
  createDiffieHellman,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  getDiffieHellman,
  type KeyObject,
} from 'node:crypto';

// Finite-field Diffie-Hellman over a prime group (RFC 4253 §8), computed by OpenSSL. Measured against BigInt
// square-and-multiply, createDiffieHellman is 5 times faster on the well-known groups (8192 bits, 1024-bit
// exponent: 17 ms against 85 ms), but on any other prime it first proves p and (p-1)/2 prime: 4 s for a 4096-bit
// group-exchange modulus. Such groups go through DH key objects instead, which check nothing costly (about 6 ms
// per operation at 4096 bits).

function toBytes(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

function toBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`);
}

/**
 * The primes OpenSSL knows by name (RFC 2409 group 2, RFC 3526 groups 14-18), so it skips proving them. Built on
 * first use: setting the groups up costs tens of milliseconds that a connection using curve25519 never needs.
 */
let knownPrimes: Set<string> | undefined;
function isKnownPrime(hex: string): boolean {
  knownPrimes ??= new Set(
    ['modp2', 'modp14', 'modp15', 'modp16', 'modp17', 'modp18'].map((n) => getDiffieHellman(n).getPrime('hex')),
  );
  return knownPrimes.has(hex);
}

// --- DER for DH key objects (PKCS #3 parameters in PKCS #8 / SubjectPublicKeyInfo) -------------------------------

function der(tag: number, body: Buffer): Buffer {
  // X.690 §8.1.3: short form below 128, else 0x80 | count followed by the length's big-endian bytes.
  const len: number[] = [];
  for (let n = body.length; n > 0; n >>= 8) len.unshift(n & 0xff);
  const head = body.length < 0x80 ? [body.length] : [0x80 | len.length, ...len];
  return Buffer.concat([Buffer.from([tag, ...head]), body]);
}
const derSeq = (...parts: Buffer[]): Buffer => der(0x30, Buffer.concat(parts));
function derInt(v: bigint): Buffer {
  const b = toBytes(v);
  return der(0x02, b.length === 0 || b[0] & 0x80 ? Buffer.concat([Buffer.of(0), b]) : b);
}
/** AlgorithmIdentifier { dhKeyAgreement (1.2.840.113549.1.3.1), DHParameter { p, g } }. */
function dhAlgorithm(p: bigint, g: bigint): Buffer {
  return derSeq(Buffer.from('06092a864886f70d010301', 'hex'), derSeq(derInt(p), derInt(g)));
}
function privateKeyObject(p: bigint, g: bigint, x: bigint): KeyObject {
  const pkcs8 = derSeq(derInt(0n), dhAlgorithm(p, g), der(0x04, derInt(x)));
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}
function publicKeyObject(p: bigint, g: bigint, y: bigint): KeyObject {
  const spki = derSeq(dhAlgorithm(p, g), der(0x03, Buffer.concat([Buffer.of(0), derInt(y)])));
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

// --- the two operations ------------------------------------------------------------------------------------------

/** base^x mod p, for base = g (our public value) or the peer's public value (the shared secret). */
function power(p: bigint, g: bigint, x: bigint, base: bigint): bigint {
  if (x <= 1n || x >= p - 1n) throw new RangeError('DH private exponent out of range');
  let out: Buffer;
  if (isKnownPrime(p.toString(16))) {
    const dh = createDiffieHellman(toBytes(p), toBytes(g));
    dh.setPrivateKey(toBytes(x));
    if (base === g) {
      dh.generateKeys();
      out = dh.getPublicKey();
    } else {
      out = dh.computeSecret(toBytes(base));
    }
  } else {
    out = diffieHellman({ privateKey: privateKeyObject(p, g, x), publicKey: publicKeyObject(p, g, base) });
  }
  const v = toBigInt(out);
  out.fill(0);
  return v;
}

/** g^x mod p. */
export function dhPublicValue(p: bigint, g: bigint, x: bigint): bigint {
  return power(p, g, x, g);
}

/** peer^x mod p. The caller has checked 1 < peer < p-1 (RFC 4253 §8); OpenSSL may refuse more and throws then. */
export function dhSharedValue(p: bigint, g: bigint, x: bigint, peer: bigint): bigint {
  return power(p, g, x, peer);
}
