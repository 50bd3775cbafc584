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
