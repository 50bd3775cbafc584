import { sign, verify } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed25519PrivateKeyObject, ed25519PublicKeyObject, rawPublicKey } from './raw-key-objects.js';
import { nobleEd25519Verify } from './ed25519-noble-verify.js';

// Every program here is a short-lived process that signs or verifies a handful of times (one tsshd-session per
// connection), so the base point's table is built with 4-bit windows, lazily: building noble's default 8-bit table
// costs about 250 ms of CPU on the first use, the 4-bit one about 40 ms, and each operation stays a few ms.
ed25519.Point.BASE.precompute(4);

/**
 * RFC 8032 Ed25519. Keys: 32-byte seed (private) and 32-byte point (public). Two backends: 'node' (OpenSSL through
 * KeyObjects) and 'noble' (@noble/curves, verifying by OpenSSL's rules: see ed25519-noble-verify.ts). Signatures
 * are deterministic, so both sign alike; tests hold them to the same vectors and to each other.
 * Default 'node': per whole call, key import included, node 0.041 / 0.077 / 0.12 ms (public key / sign / verify of
 * 32 bytes) against noble 0.60 / 0.95 / 1.47 ms (Node 20.20, OpenSSL 3.0, 2 busy cores; medians of repeated runs of
 * scripts/bench-crypto.mjs --backends, tables already built: noble's first use costs about 40 ms more).
 */
export type Ed25519Backend = 'node' | 'noble';

function checkSeed(seed: Uint8Array): void {
  if (seed.length !== 32) throw new RangeError('Ed25519 seed must be 32 bytes');
}

export function ed25519PublicKey(seed: Uint8Array, backend: Ed25519Backend = 'node'): Uint8Array {
  checkSeed(seed);
  return backend === 'noble' ? ed25519.getPublicKey(seed) : rawPublicKey(ed25519PrivateKeyObject(seed));
}

export function ed25519Sign(seed: Uint8Array, message: Uint8Array, backend: Ed25519Backend = 'node'): Uint8Array {
  checkSeed(seed);
  if (backend === 'noble') return ed25519.sign(message, seed);
  return new Uint8Array(sign(null, message, ed25519PrivateKeyObject(seed)));
}

/** False for anything but a valid signature: wrong lengths, S >= L, a point that does not decode, a wrong R. */
export function ed25519Verify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  backend: Ed25519Backend = 'node',
): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    if (backend === 'noble') return nobleEd25519Verify(publicKey, message, signature);
    return verify(null, message, ed25519PublicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
}
