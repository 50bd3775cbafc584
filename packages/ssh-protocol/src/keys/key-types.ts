import { ECDSA_NISTP256_KEY_TYPE, ECDSA_NISTP384_KEY_TYPE, ECDSA_NISTP521_KEY_TYPE } from './ecdsa-key.js';
import { ED25519_KEY_TYPE } from './ed25519-key.js';
import { RSA_KEY_TYPE } from './rsa-key.js';
import type { KeyTypeInfo } from './types.js';

/** The key types we implement, by blob name, preferred first. Frozen: a new type is one file plus one line here. */
const KEY_TYPES: ReadonlyMap<string, KeyTypeInfo> = new Map<string, KeyTypeInfo>(
  [ED25519_KEY_TYPE, ECDSA_NISTP256_KEY_TYPE, ECDSA_NISTP384_KEY_TYPE, ECDSA_NISTP521_KEY_TYPE, RSA_KEY_TYPE].map(
    (t): [string, KeyTypeInfo] => [t.name, t],
  ),
);

export function keyTypeInfo(name: string): KeyTypeInfo | undefined {
  return KEY_TYPES.get(name);
}

/** By `ssh-keygen -t` name ('ed25519') or blob name, case-insensitive; for 'ecdsa' the first curve. */
export function keyTypeByShortName(shortName: string): KeyTypeInfo | undefined {
  const want = shortName.toLowerCase();
  for (const info of KEY_TYPES.values()) if (info.shortName === want || info.name === want) return info;
  return undefined;
}

/** Blob names of the key types we implement, preferred first. */
export function supportedKeyTypes(): string[] {
  return [...KEY_TYPES.keys()];
}

/** Every signature algorithm our keys sign and verify with, preferred first (RFC 8332 §3: not the key types). */
export function supportedSignatureAlgorithms(): string[] {
  return [...KEY_TYPES.values()].flatMap((t) => t.signatureAlgorithms);
}

/** The signature algorithms offered without configuration: all but the legacy ones (ssh-rsa's SHA-1). */
export function defaultSignatureAlgorithms(): string[] {
  return [...KEY_TYPES.values()].flatMap((t) => t.signatureAlgorithms.filter((a) => !t.legacySignatureAlgorithms.includes(a)));
}

/** The key type that signs with a signature algorithm ('rsa-sha2-256' -> ssh-rsa). */
export function keyTypeForSignatureAlgorithm(algorithm: string): KeyTypeInfo | undefined {
  for (const info of KEY_TYPES.values()) if (info.signatureAlgorithms.includes(algorithm)) return info;
  return undefined;
}

/** A key type and size chosen as `ssh-keygen -t NAME [-b BITS]` chooses them. */
export interface GenerationChoice {
  readonly info: KeyTypeInfo;
  readonly bits: number;
}

/** `-t` named a type we do not implement. */
export class UnknownKeyTypeNameError extends Error {
  override name = 'UnknownKeyTypeNameError';
}

/** `-b` is not a size the type can have; the message is ssh-keygen's. */
export class InvalidKeySizeError extends Error {
  override name = 'InvalidKeySizeError';
}

/**
 * ssh-keygen's type_bits_valid: types of one fixed size ignore -b, ECDSA picks its curve by it (256, 384, 521),
 * RSA takes any size in its range.
 */
export function keyTypeForGeneration(typeName: string, bits?: number): GenerationChoice {
  const want = typeName.toLowerCase();
  const candidates = [...KEY_TYPES.values()].filter((t) => t.shortName === want || t.name === want);
  if (candidates.length === 0) throw new UnknownKeyTypeNameError(`unknown key type ${typeName}`);
  const first = candidates[0];
  if (candidates.length === 1 && first.sizes.kind === 'fixed') return { info: first, bits: first.sizes.bits };
  if (first.sizes.kind === 'range') {
    const s = first.sizes;
    if (bits === undefined || bits === 0) return { info: first, bits: s.default };
    if (bits < s.min) throw new InvalidKeySizeError(`Invalid ${first.label} key length: minimum is ${s.min} bits`);
    if (bits > s.max) throw new InvalidKeySizeError(`Invalid ${first.label} key length: maximum is ${s.max} bits`);
    return { info: first, bits };
  }
  const sizes = candidates.map((t) => (t.sizes.kind === 'fixed' ? t.sizes.bits : 0));
  if (bits === undefined || bits === 0) return { info: first, bits: sizes[0] };
  const i = sizes.indexOf(bits);
  if (i < 0) {
    const list = `${sizes.slice(0, -1).join(', ')} or ${sizes[sizes.length - 1]}`;
    throw new InvalidKeySizeError(`Invalid ${first.label} key length: valid lengths are ${list} bits`);
  }
  return { info: candidates[i], bits };
}
