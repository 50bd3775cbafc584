import { curve25519Sha256, curve25519Sha256Libssh } from './curve25519.js';
import type { KexMethod } from './types.js';

/** Key exchange methods we implement, in default preference order. */
export const KEX_METHODS: ReadonlyMap<string, KexMethod> = new Map(
  [curve25519Sha256, curve25519Sha256Libssh].map((k) => [k.name, k] as const),
);

export const DEFAULT_KEX: readonly string[] = Object.freeze([...KEX_METHODS.keys()]);
