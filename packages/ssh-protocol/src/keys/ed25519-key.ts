import { ed25519PublicKey, ed25519Sign, ed25519Verify } from '../crypto/index.js';
import { SshReader, SshWriter, bytesEqual } from '../wire/index.js';
import { KeyFormatError } from './key-errors.js';
import type { KeyTypeInfo, PrivateKey, PublicKey } from './types.js';

export const SSH_ED25519 = 'ssh-ed25519';

/** RFC 8709 §4: ssh-ed25519 public key blob = string "ssh-ed25519" || string key(32). */
export class Ed25519PublicKey implements PublicKey {
  readonly type = SSH_ED25519;
  readonly signatureAlgorithms = [SSH_ED25519] as const;
  readonly blob: Uint8Array;

  constructor(readonly point: Uint8Array) {
    if (point.length !== 32) throw new RangeError('ssh-ed25519 public key must be 32 bytes');
    this.blob = new SshWriter(51).string(SSH_ED25519).string(point).toBytes();
  }

  /** Key data after the type string in a blob. */
  static fromBlobBody(r: SshReader): Ed25519PublicKey {
    const point = r.bytes();
    r.end();
    return new Ed25519PublicKey(point.slice());
  }

  verify(data: Uint8Array, signatureBlob: Uint8Array): boolean {
    try {
      const r = new SshReader(signatureBlob, 'ssh-ed25519 signature');
      if (r.string() !== SSH_ED25519) return false;
      const sig = r.bytes();
      r.end();
      return ed25519Verify(this.point, data, sig);
    } catch {
      return false;
    }
  }
}

export class Ed25519PrivateKey implements PrivateKey {
  readonly publicKey: Ed25519PublicKey;

  constructor(
    private readonly seed: Uint8Array,
    public comment = '',
    point?: Uint8Array,
  ) {
    if (seed.length !== 32) throw new RangeError('ssh-ed25519 private key seed must be 32 bytes');
    const derived = ed25519PublicKey(seed);
    if (point && !bytesEqual(point, derived)) throw new RangeError('ssh-ed25519 public key does not match private key');
    this.publicKey = new Ed25519PublicKey(derived);
  }

  /** The 32-byte seed: handle with care, never log. */
  get secretSeed(): Uint8Array {
    return this.seed;
  }

  sign(data: Uint8Array, algorithm: string = SSH_ED25519): Uint8Array {
    if (algorithm !== SSH_ED25519) throw new RangeError(`ssh-ed25519 key cannot sign with ${algorithm}`);
    const sig = ed25519Sign(this.seed, data);
    return new SshWriter(83).string(SSH_ED25519).string(sig).toBytes();
  }

  wipe(): void {
    this.seed.fill(0);
  }
}

/**
 * ssh-ed25519 in key files (PROTOCOL.key §3 uses the agent encoding, draft-miller-ssh-agent §3.2.3):
 * string public key (32) || string private key (64 = seed || public key).
 */
export const ED25519_KEY_TYPE: KeyTypeInfo = Object.freeze<KeyTypeInfo>({
  name: SSH_ED25519,
  label: 'ED25519',
  shortName: 'ed25519',
  signatureAlgorithms: [SSH_ED25519],
  legacySignatureAlgorithms: [],
  sizes: { kind: 'fixed', bits: 256 },
  bits: () => 256,
  parsePublicBody: (r: SshReader) => Ed25519PublicKey.fromBlobBody(r),
  readPrivate(r: SshReader): PrivateKey {
    const point = r.bytes();
    const secret = r.bytes();
    if (point.length !== 32) throw new KeyFormatError('ssh-ed25519 public key is not 32 bytes');
    if (secret.length !== 64) throw new KeyFormatError('ssh-ed25519 private key is not 64 bytes');
    if (!bytesEqual(secret.subarray(32), point)) throw new KeyFormatError('ssh-ed25519 private key halves disagree');
    const seed = secret.slice(0, 32);
    try {
      return new Ed25519PrivateKey(seed, '', point);
    } catch {
      seed.fill(0);
      throw new KeyFormatError('ssh-ed25519 public key does not match private key');
    }
  },
  writePrivate(w: SshWriter, key: PrivateKey): void {
    if (!(key instanceof Ed25519PrivateKey)) throw new TypeError('not an ssh-ed25519 private key');
    const secret = new Uint8Array(64);
    secret.set(key.secretSeed, 0);
    secret.set(key.publicKey.point, 32);
    w.string(key.publicKey.point).string(secret);
    secret.fill(0);
  },
  generate: (random: (n: number) => Uint8Array): PrivateKey => new Ed25519PrivateKey(random(32)),
});
