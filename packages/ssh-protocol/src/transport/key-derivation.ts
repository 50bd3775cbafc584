import { hash, type HashName } from '../crypto/index.js';
import { concatBytes } from '../wire/index.js';

/**
 * RFC 4253 §7.2: K1 = HASH(K || H || letter || session_id); Kn = HASH(K || H || K1 || ... || Kn-1), concatenated
 * until `length` bytes. `k` is the shared secret already encoded (mpint or string) as it enters the hash.
 */
export function deriveKey(
  hashName: HashName,
  k: Uint8Array,
  h: Uint8Array,
  letter: string,
  sessionId: Uint8Array,
  length: number,
): Uint8Array {
  if (length === 0) return new Uint8Array(0);
  let out = hash(hashName, k, h, Uint8Array.of(letter.charCodeAt(0)), sessionId);
  while (out.length < length) out = concatBytes(out, hash(hashName, k, h, out));
  return out.slice(0, length);
}
