import { ed25519 } from '@noble/curves/ed25519.js';

// Every program here is a short-lived process that signs or verifies a handful of times (one tsshd-session per
// connection), so the base point's table is built with 4-bit windows, lazily: building noble's default 8-bit table
// costs about 250 ms of CPU on the first use, the 4-bit one about 40 ms, and each operation stays a few ms.
ed25519.Point.BASE.precompute(4);

/** RFC 8032 Ed25519. Keys: 32-byte seed (private) and 32-byte point (public). */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(seed);
}

export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, seed);
}

export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return ed25519.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}
