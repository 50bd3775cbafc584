import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, equalBytes } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';

const Point = ed25519.Point;
const L = Point.Fn.ORDER;

/**
 * RFC 8032 §5.1.7 verification on noble's points, by the rules OpenSSL 3 applies, so that the two backends accept
 * the same signatures: S must be below L; A may be any encoding that decodes (a y at or above p, or an x of zero
 * with the sign bit set, as ZIP 215 allows); the check is cofactorless, [S]B - [k]A re-encoded must equal the
 * R bytes as sent (so a non-canonical R fails). noble's own verify differs at the edges: ZIP 215 mode accepts a
 * non-canonical R and checks the cofactored equation, strict mode refuses non-canonical and small-order A.
 */
export function nobleEd25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const r = signature.subarray(0, 32);
  const s = bytesToNumberLE(signature.subarray(32, 64));
  if (s >= L) return false;
  let a;
  try {
    a = Point.fromBytes(publicKey, true);
  } catch {
    return false; // no point has this y
  }
  const k = bytesToNumberLE(sha512.create().update(r).update(publicKey).update(message).digest()) % L;
  return equalBytes(Point.BASE.multiplyUnsafe(s).subtract(a.multiplyUnsafe(k)).toBytes(), r);
}
