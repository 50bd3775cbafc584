import { SshReader } from '../wire/index.js';
import { UnsupportedKeyTypeError } from './key-errors.js';
import { keyTypeInfo } from './key-types.js';
import type { PublicKey } from './types.js';

/** Parse an RFC 4253 §6.6 public key blob. */
export function parsePublicKeyBlob(blob: Uint8Array): PublicKey {
  const r = new SshReader(blob, 'public key blob');
  const type = r.string();
  const info = keyTypeInfo(type);
  if (!info) throw new UnsupportedKeyTypeError(type);
  return info.parsePublicBody(r);
}

/** The type name at the start of a public key blob, without parsing the rest. */
export function blobKeyType(blob: Uint8Array): string {
  return new SshReader(blob, 'public key blob').string();
}

/** The algorithm name inside a signature blob. */
export function signatureAlgorithmOf(signatureBlob: Uint8Array): string {
  return new SshReader(signatureBlob, 'signature').string();
}
