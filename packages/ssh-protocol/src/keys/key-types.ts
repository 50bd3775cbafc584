import { ED25519_KEY_TYPE } from './ed25519-key.js';
import type { KeyTypeInfo } from './types.js';

/** The key types we implement, by blob name. Frozen: a new type is one file plus one line here. */
const KEY_TYPES: ReadonlyMap<string, KeyTypeInfo> = new Map<string, KeyTypeInfo>([
  [ED25519_KEY_TYPE.name, ED25519_KEY_TYPE],
]);

export function keyTypeInfo(name: string): KeyTypeInfo | undefined {
  return KEY_TYPES.get(name);
}

/** By `ssh-keygen -t` name ('ed25519'), case-insensitive. */
export function keyTypeByShortName(shortName: string): KeyTypeInfo | undefined {
  const want = shortName.toLowerCase();
  for (const info of KEY_TYPES.values()) if (info.shortName === want || info.name === want) return info;
  return undefined;
}

/** Blob names of the key types we implement, preferred first. */
export function supportedKeyTypes(): string[] {
  return [...KEY_TYPES.keys()];
}
