import { HASH_LENGTH, dhPublicValue, dhSharedValue, type HashName } from '../crypto/index.js';
import { KexError, SshWriter, type Env } from '../wire/index.js';
import type { DhGroup } from './dh-groups.js';

// What fixed-group (RFC 4253 §8) and group-exchange (RFC 4419) Diffie-Hellman share.

/**
 * Private exponent size: twice the strength wanted, taken as the larger of 256 bits and the hash length (so 512 bits
 * for SHA-1 and SHA-256 methods, 1024 for SHA-512; RFC 8268 §4 asks for at least twice the security strength),
 * and below the group size.
 */
export function exponentBits(group: DhGroup, hashName: HashName): number {
  return Math.min(group.bits - 1, 2 * Math.max(256, HASH_LENGTH[hashName] * 8));
}

export interface DhKeyPair {
  readonly x: bigint;
  /** g^x mod p: e on the client, f on the server. */
  readonly pub: bigint;
}

/** A fresh key pair; x has its top bit set, so 1 < x < p - 1 whatever the random bytes. */
export function dhKeyPair(env: Env, group: DhGroup, hashName: HashName): DhKeyPair {
  const bits = exponentBits(group, hashName);
  const bytes = env.random(Math.ceil(bits / 8));
  let x = 0n;
  for (const b of bytes) x = (x << 8n) | BigInt(b);
  bytes.fill(0);
  x &= (1n << BigInt(bits)) - 1n;
  x |= 1n << BigInt(bits - 1);
  return { x, pub: dhPublicValue(group.p, group.g, x) };
}

/** RFC 4253 §8: values of e or f outside [1, p-1] MUST NOT be sent or accepted; 1 and p-1 are refused too. */
export function checkPublicValue(group: DhGroup, v: bigint, what: string): void {
  if (v <= 1n || v >= group.p - 1n) throw new KexError(`${what} is out of range (RFC 4253 §8: 1 < ${what} < p-1)`);
}

/** K = peer^x mod p, as the mpint that enters H and key derivation. */
export function sharedSecretMpint(group: DhGroup, key: DhKeyPair, peer: bigint): Uint8Array {
  let k: bigint;
  try {
    k = dhSharedValue(group.p, group.g, key.x, peer);
  } catch (e) {
    throw new KexError(`Diffie-Hellman computation failed: ${(e as Error).message}`);
  }
  return new SshWriter(group.bits / 8 + 8).mpint(k).toBytes();
}
