// ssh-rsa keys (RFC 4253 §6.6) and their signature algorithms rsa-sha2-512, rsa-sha2-256 (RFC 8332) and ssh-rsa.
import { rsaGenerate, rsaSign, rsaVerify, type RsaHash, type RsaPrivateNumbers } from '../crypto/index.js';
import { SshReader, SshWriter } from '../wire/index.js';
import { KeyFormatError } from './key-errors.js';
import { bigintToBytes, bitLength, bytesToBigint, leftPad, readUnsignedMpint } from './key-numbers.js';
import type { KeyTypeInfo, PrivateKey, PublicKey } from './types.js';

export const SSH_RSA = 'ssh-rsa';
export const RSA_SHA2_256 = 'rsa-sha2-256';
export const RSA_SHA2_512 = 'rsa-sha2-512';

/** RFC 8332 §3 and RFC 4253 §6.6: the hash each signature algorithm of an ssh-rsa key uses. */
const HASH_OF: ReadonlyMap<string, RsaHash> = new Map<string, RsaHash>([
  [RSA_SHA2_512, 'sha512'],
  [RSA_SHA2_256, 'sha256'],
  [SSH_RSA, 'sha1'],
]);

/** OpenSSH's SSH_RSA_MINIMUM_MODULUS_SIZE (and RequiredRSASize's default): smaller keys are refused outright. */
export const RSA_MIN_BITS = 1024;
/** OpenSSL's OPENSSL_RSA_MAX_MODULUS_BITS, which OpenSSH also enforces. */
export const RSA_MAX_BITS = 16384;
/** What `ssh-keygen -t rsa` makes without -b (OpenSSH 9). */
export const RSA_DEFAULT_BITS = 3072;

/** Why (n, e) is not a usable RSA public key, or undefined when it is. */
function rsaPublicProblem(n: Uint8Array, e: Uint8Array): string | undefined {
  const bits = bitLength(n);
  if (bits < RSA_MIN_BITS) return `RSA modulus of ${bits} bits is below the minimum of ${RSA_MIN_BITS}`;
  if (bits > RSA_MAX_BITS) return `RSA modulus of ${bits} bits is above the maximum of ${RSA_MAX_BITS}`;
  if ((n[n.length - 1] & 1) === 0) return 'RSA modulus is even';
  const ev = bytesToBigint(e);
  if (ev < 3n || (ev & 1n) === 0n) return 'RSA public exponent must be odd and at least 3';
  if (ev >= bytesToBigint(n)) return 'RSA public exponent is not below the modulus';
  return undefined;
}

/** RFC 4253 §6.6: blob = string "ssh-rsa" || mpint e || mpint n. */
export class RsaPublicKey implements PublicKey {
  readonly type = SSH_RSA;
  /** RFC 8332 §3.3: a key of type ssh-rsa signs with any of these; SHA-1 last. */
  readonly signatureAlgorithms = [RSA_SHA2_512, RSA_SHA2_256, SSH_RSA] as const;
  readonly blob: Uint8Array;
  /** Modulus and exponent, minimal unsigned big-endian. */
  readonly n: Uint8Array;
  readonly e: Uint8Array;

  constructor(e: Uint8Array, n: Uint8Array) {
    this.n = bigintToBytes(bytesToBigint(n));
    this.e = bigintToBytes(bytesToBigint(e));
    const problem = rsaPublicProblem(this.n, this.e);
    if (problem) throw new KeyFormatError(problem);
    this.blob = new SshWriter(this.n.length + 32).string(SSH_RSA).mpintFromUnsigned(this.e).mpintFromUnsigned(this.n).toBytes();
  }

  get bits(): number {
    return bitLength(this.n);
  }

  static fromBlobBody(r: SshReader): RsaPublicKey {
    const e = readUnsignedMpint(r, 'RSA exponent');
    const n = readUnsignedMpint(r, 'RSA modulus');
    r.end();
    return new RsaPublicKey(e, n);
  }

  /**
   * RFC 8332 §3 / RFC 4253 §6.6: signature = string algorithm || string s, s as long as the modulus. A shorter s
   * (leading zeros dropped) is padded as OpenSSH's ssh_rsa_verify does; a longer one is refused.
   */
  verify(data: Uint8Array, signatureBlob: Uint8Array): boolean {
    try {
      const r = new SshReader(signatureBlob, 'ssh-rsa signature');
      const hash = HASH_OF.get(r.string());
      const s = r.bytes();
      r.end();
      if (!hash) return false;
      const padded = leftPad(s, this.n.length);
      if (!padded) return false;
      return rsaVerify(hash, this, data, padded);
    } catch {
      return false;
    }
  }
}

/** The private numbers as OpenSSH keeps them (n, e, d, iqmp, p, q), checked to belong together. */
export interface RsaPrivateParts {
  n: Uint8Array;
  e: Uint8Array;
  d: Uint8Array;
  iqmp: Uint8Array;
  p: Uint8Array;
  q: Uint8Array;
}

export class RsaPrivateKey implements PrivateKey {
  readonly publicKey: RsaPublicKey;
  private readonly numbers: RsaPrivateNumbers;
  private wiped = false;

  /**
   * Throws KeyFormatError unless n = p q, q iqmp = 1 (mod p) and e d = 1 modulo p-1 and q-1: a damaged file
   * would otherwise make signatures that fail only at the peer.
   */
  constructor(parts: RsaPrivateParts, public comment = '') {
    this.publicKey = new RsaPublicKey(parts.e, parts.n);
    const [n, e, d, p, q, iqmp] = [parts.n, parts.e, parts.d, parts.p, parts.q, parts.iqmp].map(bytesToBigint);
    if (p <= 1n || q <= 1n || p * q !== n) throw new KeyFormatError('RSA primes do not multiply to the modulus');
    if ((iqmp * q) % p !== 1n) throw new KeyFormatError('RSA iqmp is not the inverse of q modulo p');
    if (d <= 0n || (e * d) % (p - 1n) !== 1n || (e * d) % (q - 1n) !== 1n) {
      throw new KeyFormatError('RSA private exponent does not match the public one');
    }
    // RFC 8017 §3.2: the CRT exponents dP = d mod (p-1) and dQ = d mod (q-1).
    this.numbers = {
      n: this.publicKey.n,
      e: this.publicKey.e,
      d: bigintToBytes(d),
      p: bigintToBytes(p),
      q: bigintToBytes(q),
      dp: bigintToBytes(d % (p - 1n)),
      dq: bigintToBytes(d % (q - 1n)),
      qi: bigintToBytes(iqmp),
    };
  }

  /** The private numbers: handle with care, never log. */
  get secretNumbers(): RsaPrivateNumbers {
    return this.numbers;
  }

  sign(data: Uint8Array, algorithm: string = RSA_SHA2_512): Uint8Array {
    const hash = HASH_OF.get(algorithm);
    if (!hash) throw new RangeError(`ssh-rsa key cannot sign with ${algorithm}`);
    if (this.wiped) throw new Error('ssh-rsa key has been wiped');
    const s = rsaSign(hash, this.numbers, data);
    return new SshWriter(s.length + 32).string(algorithm).string(s).toBytes();
  }

  wipe(): void {
    const k = this.numbers;
    for (const b of [k.d, k.p, k.q, k.dp, k.dq, k.qi]) b.fill(0);
    this.wiped = true;
  }
}

/**
 * ssh-rsa in key files: OpenSSH's sshkey_private_serialize writes mpint n || mpint e || mpint d || mpint iqmp ||
 * mpint p || mpint q (PROTOCOL.key §3 with the agent encoding of draft-miller-ssh-agent §3.2.1).
 */
export const RSA_KEY_TYPE: KeyTypeInfo = Object.freeze<KeyTypeInfo>({
  name: SSH_RSA,
  label: 'RSA',
  shortName: 'rsa',
  signatureAlgorithms: [RSA_SHA2_512, RSA_SHA2_256, SSH_RSA],
  legacySignatureAlgorithms: [SSH_RSA],
  sizes: { kind: 'range', min: RSA_MIN_BITS, max: RSA_MAX_BITS, default: RSA_DEFAULT_BITS },
  bits: (key: PublicKey) => bitLength((key as RsaPublicKey).n),
  parsePublicBody: (r: SshReader) => RsaPublicKey.fromBlobBody(r),
  readPrivate(r: SshReader): PrivateKey {
    const parts: RsaPrivateParts = {
      n: readUnsignedMpint(r, 'RSA modulus'),
      e: readUnsignedMpint(r, 'RSA exponent'),
      d: readUnsignedMpint(r, 'RSA private exponent'),
      iqmp: readUnsignedMpint(r, 'RSA iqmp'),
      p: readUnsignedMpint(r, 'RSA p'),
      q: readUnsignedMpint(r, 'RSA q'),
    };
    try {
      return new RsaPrivateKey(parts);
    } finally {
      for (const b of [parts.d, parts.iqmp, parts.p, parts.q]) b.fill(0);
    }
  },
  writePrivate(w: SshWriter, key: PrivateKey): void {
    if (!(key instanceof RsaPrivateKey)) throw new TypeError('not an ssh-rsa private key');
    const k = key.secretNumbers;
    for (const v of [k.n, k.e, k.d, k.qi, k.p, k.q]) w.mpintFromUnsigned(v);
  },
  generate(_random: (n: number) => Uint8Array, bits: number = RSA_DEFAULT_BITS): PrivateKey {
    if (!Number.isInteger(bits) || bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) throw new RangeError(`bad RSA key size ${bits}`);
    const k = rsaGenerate(bits);
    try {
      return new RsaPrivateKey({ n: k.n, e: k.e, d: k.d, iqmp: k.qi, p: k.p, q: k.q });
    } finally {
      for (const b of [k.d, k.p, k.q, k.dp, k.dq, k.qi]) b.fill(0);
    }
  },
});
