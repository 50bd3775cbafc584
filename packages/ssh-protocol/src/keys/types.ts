import type { SshReader, SshWriter } from '../wire/index.js';

/** A public key as it travels on the wire: RFC 4253 §6.6 blob plus the signature algorithms it can check. */
export interface PublicKey {
  /** Key type name as in the blob, e.g. 'ssh-ed25519'. */
  readonly type: string;
  /** RFC 4253 §6.6 public key blob (`string type || key data`). */
  readonly blob: Uint8Array;
  /** Signature algorithm names usable with this key, preferred first. */
  readonly signatureAlgorithms: readonly string[];
  /** Verify an RFC 4253 §6.6 signature blob (`string algorithm || string signature`) over `data`. */
  verify(data: Uint8Array, signatureBlob: Uint8Array): boolean;
}

/** A private key held in memory. */
export interface PrivateKey {
  readonly publicKey: PublicKey;
  comment: string;
  /** Sign `data`, returning a signature blob; `algorithm` defaults to the key's first. */
  sign(data: Uint8Array, algorithm?: string): Uint8Array;
  /** Overwrite the secret material. */
  wipe(): void;
}

/**
 * Everything the key files need to know about one key type. Each type lives in one file that exports one of
 * these, and key-types.ts lists it: adding a type is that file plus one registry line.
 */
export interface KeyTypeInfo {
  /** Name in blobs and key files, e.g. 'ssh-ed25519'. */
  readonly name: string;
  /** The name ssh-keygen prints, e.g. 'ED25519'. */
  readonly label: string;
  /** The `ssh-keygen -t` name, e.g. 'ed25519'; several types may share one ('ecdsa', told apart by size). */
  readonly shortName: string;
  /** Signature algorithms this type signs with, preferred first (RFC 8332: 'ssh-rsa' keys sign 'rsa-sha2-512'). */
  readonly signatureAlgorithms: readonly string[];
  /** Those of signatureAlgorithms that are supported but not offered unless configured by name (SHA-1). */
  readonly legacySignatureAlgorithms: readonly string[];
  /** The sizes `ssh-keygen -b` may ask for: one fixed size, or a range with a default. */
  readonly sizes: KeySizes;
  /** Size in bits as `ssh-keygen -l` reports it. */
  bits(key: PublicKey): number;
  /** Parse the public blob after its type string; ends the reader. */
  parsePublicBody(r: SshReader): PublicKey;
  /** Read the private fields after the type string (PROTOCOL.key §3, agent encoding); the comment follows. */
  readPrivate(r: SshReader): PrivateKey;
  /** Write the private fields after the type string. */
  writePrivate(w: SshWriter, key: PrivateKey): void;
  /**
   * A new key of `bits` (default sizes.default; ignored for a fixed size) from the given randomness. RSA draws on
   * OpenSSL's own generator instead (its prime search cannot be fed from outside).
   */
  generate(random: (n: number) => Uint8Array, bits?: number): PrivateKey;
}

/** Key sizes for generation, in bits as `ssh-keygen -b` counts them. */
export type KeySizes =
  | { readonly kind: 'fixed'; readonly bits: number }
  | { readonly kind: 'range'; readonly min: number; readonly max: number; readonly default: number };
