import { x25519 } from '@noble/curves/ed25519.js';

/** RFC 7748 X25519. */
export function x25519PublicKey(secret: Uint8Array): Uint8Array {
  return x25519.getPublicKey(secret);
}

/** RFC 7748 §6.1 shared secret; an all-zero result (low-order peer point) is refused by the caller. */
export function x25519SharedSecret(secret: Uint8Array, peerPublic: Uint8Array): Uint8Array {
  if (peerPublic.length !== 32) throw new RangeError('X25519 public key must be 32 bytes');
  return x25519.getSharedSecret(secret, peerPublic);
}
