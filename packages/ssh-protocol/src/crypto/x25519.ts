import { diffieHellman } from 'node:crypto';
import { x25519 } from '@noble/curves/ed25519.js';
import { rawPublicKey, x25519PrivateKeyObject, x25519PublicKeyObject } from './raw-key-objects.js';

/**
 * RFC 7748 X25519, two backends: 'node' (OpenSSL through KeyObjects) and 'noble' (@noble/curves). Tests hold both
 * to the same vectors and to each other.
 * Default 'node': per whole call, key imports included, node 0.045 / 0.09 ms (public key / shared secret) against
 * noble 0.73 / 1.27 ms (Node 20.20, OpenSSL 3.0, 2 busy cores; medians of repeated runs of scripts/bench-crypto.mjs
 * --backends; noble's first call also builds its tables).
 */
export type X25519Backend = 'node' | 'noble';

/**
 * What either backend throws for a low-order peer point (RFC 7748 §6.1: the shared secret would be all zero).
 * noble refuses such points before its ladder, OpenSSL after it; the callers see this one error from both.
 */
export const X25519_LOW_ORDER_MESSAGE = 'X25519 peer public key has low order (the shared secret is all zero)';

function checkSecret(secret: Uint8Array): void {
  if (secret.length !== 32) throw new RangeError('X25519 secret must be 32 bytes');
}

export function x25519PublicKey(secret: Uint8Array, backend: X25519Backend = 'node'): Uint8Array {
  checkSecret(secret);
  return backend === 'noble' ? x25519.getPublicKey(secret) : rawPublicKey(x25519PrivateKeyObject(secret));
}

/** RFC 7748 §6.1 shared secret; a low-order peer point throws (X25519_LOW_ORDER_MESSAGE) with either backend. */
export function x25519SharedSecret(secret: Uint8Array, peerPublic: Uint8Array, backend: X25519Backend = 'node'): Uint8Array {
  checkSecret(secret);
  if (peerPublic.length !== 32) throw new RangeError('X25519 public key must be 32 bytes');
  try {
    return backend === 'noble' ? x25519.getSharedSecret(secret, peerPublic) : nodeSharedSecret(secret, peerPublic);
  } catch {
    // With both keys 32 bytes, the only refusal left in either library is the low-order point. Should one ever
    // return the all-zero secret instead, the callers' own RFC 7748 §6.1 check still refuses it.
    throw new RangeError(X25519_LOW_ORDER_MESSAGE);
  }
}

function nodeSharedSecret(secret: Uint8Array, peerPublic: Uint8Array): Uint8Array {
  const out = diffieHellman({ privateKey: x25519PrivateKeyObject(secret), publicKey: x25519PublicKeyObject(peerPublic) });
  const shared = new Uint8Array(out);
  out.fill(0);
  return shared;
}
