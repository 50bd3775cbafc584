// ecdsa-sha2-nistp256/384/521 keys (RFC 5656 §3.1) on the NIST prime curves.
import {
  ECDSA,
  nistFieldLength,
  nistOrder,
  nistPointValid,
  nistSecretKey,
  nistSeedLength,
  type NistCurveName,
} from '../crypto/index.js';
import { SshReader, SshWriter, bytesEqual, concatBytes } from '../wire/index.js';
import { KeyFormatError } from './key-errors.js';
import { bigintToBytes, bytesToBigint, readUnsignedMpint } from './key-numbers.js';
import type { KeyTypeInfo, PrivateKey, PublicKey } from './types.js';

export type EcdsaKeyType = 'ecdsa-sha2-nistp256' | 'ecdsa-sha2-nistp384' | 'ecdsa-sha2-nistp521';

/** RFC 5656 §6.1: the key type names its curve, and the same identifier follows inside the blob. */
const TYPE_OF_CURVE: Readonly<Record<NistCurveName, EcdsaKeyType>> = Object.freeze({
  nistp256: 'ecdsa-sha2-nistp256',
  nistp384: 'ecdsa-sha2-nistp384',
  nistp521: 'ecdsa-sha2-nistp521',
});

/** `ssh-keygen -b` sizes: the bits of the curve's field. */
const CURVE_BITS: Readonly<Record<NistCurveName, number>> = Object.freeze({ nistp256: 256, nistp384: 384, nistp521: 521 });

/**
 * RFC 5656 §3.1: blob = string "ecdsa-sha2-[identifier]" || string [identifier] || string Q, where Q is the
 * uncompressed point (SEC1 §2.3.3). The point is checked to lie on the curve (§3.1.1 and SEC1 §3.2.2.1).
 */
export class EcdsaPublicKey implements PublicKey {
  readonly type: EcdsaKeyType;
  readonly signatureAlgorithms: readonly string[];
  readonly blob: Uint8Array;

  constructor(
    readonly curve: NistCurveName,
    readonly point: Uint8Array,
  ) {
    if (!nistPointValid(curve, point)) throw new KeyFormatError(`${curve} public key is not a point on the curve`);
    this.type = TYPE_OF_CURVE[curve];
    this.signatureAlgorithms = [this.type];
    this.blob = new SshWriter(40 + point.length).string(this.type).string(curve).string(point).toBytes();
  }

  /** Key data after the type string `type` in a blob. */
  static fromBlobBody(curve: NistCurveName, r: SshReader): EcdsaPublicKey {
    const id = r.string();
    if (id !== curve) throw new KeyFormatError(`curve ${id} inside a ${TYPE_OF_CURVE[curve]} key`);
    const point = r.bytes().slice();
    r.end();
    return new EcdsaPublicKey(curve, point);
  }

  /**
   * RFC 5656 §3.1.2: signature = string type || string (mpint r || mpint s). Both integers must be in [1, n-1];
   * the rest is the ECDSA check of §6.2.1 (hash by curve size).
   */
  verify(data: Uint8Array, signatureBlob: Uint8Array): boolean {
    try {
      const r = new SshReader(signatureBlob, `${this.type} signature`);
      if (r.string() !== this.type) return false;
      const inner = new SshReader(r.bytes(), `${this.type} signature`);
      r.end();
      const sigR = inner.mpint();
      const sigS = inner.mpint();
      inner.end();
      const n = nistOrder(this.curve);
      if (sigR <= 0n || sigS <= 0n || sigR >= n || sigS >= n) return false;
      const len = nistFieldLength(this.curve);
      return ECDSA.verify(this.curve, this.point, data, concatBytes(bigintToBytes(sigR, len), bigintToBytes(sigS, len)));
    } catch {
      return false;
    }
  }
}

export class EcdsaPrivateKey implements PrivateKey {
  readonly publicKey: EcdsaPublicKey;
  private readonly secret: Uint8Array;
  private wiped = false;

  /** `secret` is the scalar d, big-endian, at most the field's length; `point` (if given) must be d * G. */
  constructor(
    readonly curve: NistCurveName,
    secret: Uint8Array,
    public comment = '',
    point?: Uint8Array,
  ) {
    const len = nistFieldLength(curve);
    const d = bytesToBigint(secret);
    if (d <= 0n || d >= nistOrder(curve)) throw new KeyFormatError(`${curve} private key is out of range`);
    this.secret = bigintToBytes(d, len);
    const derived = ECDSA.publicKey(curve, this.secret);
    if (point && !bytesEqual(point, derived)) {
      this.secret.fill(0);
      throw new KeyFormatError(`${curve} public key does not match private key`);
    }
    this.publicKey = new EcdsaPublicKey(curve, derived);
  }

  /** The scalar d, the field's length: handle with care, never log. */
  get secretScalar(): Uint8Array {
    return this.secret;
  }

  sign(data: Uint8Array, algorithm: string = this.publicKey.type): Uint8Array {
    const type = this.publicKey.type;
    if (algorithm !== type) throw new RangeError(`${type} key cannot sign with ${algorithm}`);
    if (this.wiped) throw new Error(`${type} key has been wiped`);
    const rs = ECDSA.sign(this.curve, this.secret, this.publicKey.point, data);
    const half = rs.length / 2;
    const inner = new SshWriter(rs.length + 16)
      .mpintFromUnsigned(rs.subarray(0, half))
      .mpintFromUnsigned(rs.subarray(half))
      .toBytes();
    return new SshWriter(inner.length + 32).string(type).string(inner).toBytes();
  }

  wipe(): void {
    this.secret.fill(0);
    this.wiped = true;
  }
}

/**
 * One ECDSA curve in key files: PROTOCOL.key §3 uses the agent encoding (draft-miller-ssh-agent §3.2.2), which
 * OpenSSH's sshkey_private_serialize writes as string curve identifier || string Q || mpint d.
 */
function ecdsaKeyType(curve: NistCurveName): KeyTypeInfo {
  const name = TYPE_OF_CURVE[curve];
  return Object.freeze<KeyTypeInfo>({
    name,
    label: 'ECDSA',
    shortName: 'ecdsa',
    signatureAlgorithms: [name],
    legacySignatureAlgorithms: [],
    sizes: { kind: 'fixed', bits: CURVE_BITS[curve] },
    bits: () => CURVE_BITS[curve],
    parsePublicBody: (r: SshReader) => EcdsaPublicKey.fromBlobBody(curve, r),
    readPrivate(r: SshReader): PrivateKey {
      const id = r.string();
      if (id !== curve) throw new KeyFormatError(`curve ${id} inside a ${name} key`);
      const point = r.bytes();
      const d = readUnsignedMpint(r, `${name} private key`);
      if (d.length > nistFieldLength(curve)) {
        d.fill(0);
        throw new KeyFormatError(`${curve} private key is out of range`);
      }
      try {
        return new EcdsaPrivateKey(curve, d, '', point);
      } finally {
        d.fill(0);
      }
    },
    writePrivate(w: SshWriter, key: PrivateKey): void {
      if (!(key instanceof EcdsaPrivateKey) || key.curve !== curve) throw new TypeError(`not an ${name} private key`);
      w.string(curve).string(key.publicKey.point).mpintFromUnsigned(key.secretScalar);
    },
    generate(random: (n: number) => Uint8Array): PrivateKey {
      const seed = random(nistSeedLength(curve));
      const d = nistSecretKey(curve, seed);
      seed.fill(0);
      try {
        return new EcdsaPrivateKey(curve, d);
      } finally {
        d.fill(0);
      }
    },
  });
}

export const ECDSA_NISTP256_KEY_TYPE: KeyTypeInfo = ecdsaKeyType('nistp256');
export const ECDSA_NISTP384_KEY_TYPE: KeyTypeInfo = ecdsaKeyType('nistp384');
export const ECDSA_NISTP521_KEY_TYPE: KeyTypeInfo = ecdsaKeyType('nistp521');
