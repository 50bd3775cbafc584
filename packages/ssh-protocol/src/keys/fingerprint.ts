// Key fingerprints as ssh-keygen prints them (`-l`, `-E sha256|md5`).
import { hash, md5 } from '../crypto/index.js';
import { encodeBase64 } from './base64.js';
import { keyTypeInfo } from './key-types.js';
import type { PublicKey } from './types.js';

export type FingerprintHash = 'sha256' | 'md5';

function blobOf(key: PublicKey | Uint8Array): Uint8Array {
  return key instanceof Uint8Array ? key : key.blob;
}

/** The raw digest a fingerprint is made from. */
export function fingerprintDigest(key: PublicKey | Uint8Array, alg: FingerprintHash = 'sha256'): Uint8Array {
  return alg === 'md5' ? md5(blobOf(key)) : hash('sha256', blobOf(key));
}

/** `SHA256:` + base64 of SHA-256(blob) without padding. */
export function fingerprintSha256(key: PublicKey | Uint8Array): string {
  return 'SHA256:' + encodeBase64(fingerprintDigest(key, 'sha256')).replace(/=+$/, '');
}

/** `MD5:` + colon-separated hex of MD5(blob). */
export function fingerprintMd5(key: PublicKey | Uint8Array): string {
  return 'MD5:' + Buffer.from(fingerprintDigest(key, 'md5')).toString('hex').replace(/(..)(?!$)/g, '$1:');
}

export function fingerprint(key: PublicKey | Uint8Array, alg: FingerprintHash = 'sha256'): string {
  return alg === 'md5' ? fingerprintMd5(key) : fingerprintSha256(key);
}

/** The name ssh-keygen gives a key type ('ED25519'); types we do not implement fall back to OpenSSH's names. */
export function keyTypeLabel(type: string): string {
  const info = keyTypeInfo(type);
  if (info) return info.label;
  if (type === 'ssh-rsa') return 'RSA';
  if (type === 'ssh-dss') return 'DSA';
  if (type.startsWith('ecdsa-sha2-')) return 'ECDSA';
  if (type === 'sk-ssh-ed25519@openssh.com') return 'ED25519-SK';
  if (type.startsWith('sk-ecdsa-sha2-')) return 'ECDSA-SK';
  return 'unknown';
}

/** Key size in bits as ssh-keygen reports it. */
export function keyBits(key: PublicKey): number {
  const info = keyTypeInfo(key.type);
  if (!info) throw new RangeError(`unsupported key type ${key.type}`);
  return info.bits(key);
}

/**
 * The `ssh-keygen -l` line: `<bits> <fingerprint> <comment> (<TYPE>)`; an empty comment prints "no comment".
 */
export function fingerprintLine(key: PublicKey, comment?: string, alg: FingerprintHash = 'sha256'): string {
  return `${keyBits(key)} ${fingerprint(key, alg)} ${comment || 'no comment'} (${keyTypeLabel(key.type)})`;
}

