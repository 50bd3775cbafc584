import { ProtocolError, SshReader } from '../wire/index.js';
import { Ed25519PublicKey, SSH_ED25519 } from './ed25519-key.js';
import type { PublicKey } from './types.js';

type BlobParser = (r: SshReader) => PublicKey;

/** Key types we can parse, by blob type name. Frozen: new types are added here, one line each. */
const PARSERS: ReadonlyMap<string, BlobParser> = new Map<string, BlobParser>([[SSH_ED25519, Ed25519PublicKey.fromBlobBody]]);

export function supportedKeyTypes(): string[] {
  return [...PARSERS.keys()];
}

export class UnsupportedKeyTypeError extends ProtocolError {
  override name = 'UnsupportedKeyTypeError';
  constructor(readonly keyType: string) {
    super(`unsupported key type ${keyType}`);
  }
}

/** Parse an RFC 4253 §6.6 public key blob. */
export function parsePublicKeyBlob(blob: Uint8Array): PublicKey {
  const r = new SshReader(blob, 'public key blob');
  const type = r.string();
  const parse = PARSERS.get(type);
  if (!parse) throw new UnsupportedKeyTypeError(type);
  return parse(r);
}

/** The algorithm name inside a signature blob. */
export function signatureAlgorithmOf(signatureBlob: Uint8Array): string {
  return new SshReader(signatureBlob, 'signature').string();
}
