import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';

// FIPS 203 ML-KEM-768 (Table 3 sizes). Randomness comes in from the caller, so the core stays deterministic
// under a test Env.

export const MLKEM768_PUBLIC_KEY_LENGTH = 1184;
export const MLKEM768_SECRET_KEY_LENGTH = 2400;
export const MLKEM768_CIPHERTEXT_LENGTH = 1088;
export const MLKEM768_SHARED_SECRET_LENGTH = 32;
/** d || z, the two 32-byte seeds of ML-KEM.KeyGen_internal (FIPS 203 §6.1). */
export const MLKEM768_KEYGEN_SEED_LENGTH = 64;
/** m, the 32-byte message of ML-KEM.Encaps_internal (FIPS 203 §6.2). */
export const MLKEM768_ENCAPS_SEED_LENGTH = 32;

export interface MlKemKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

export function mlkem768KeyPair(seed: Uint8Array): MlKemKeyPair {
  if (seed.length !== MLKEM768_KEYGEN_SEED_LENGTH) throw new RangeError('ML-KEM-768 key seed must be 64 bytes');
  const { publicKey, secretKey } = ml_kem768.keygen(seed);
  return { publicKey, secretKey };
}

/**
 * ML-KEM.Encaps with the FIPS 203 §7.2 input checks (length and modulus of the encapsulation key); an invalid
 * key throws.
 */
export function mlkem768Encapsulate(
  publicKey: Uint8Array,
  seed: Uint8Array,
): { cipherText: Uint8Array; sharedSecret: Uint8Array } {
  if (publicKey.length !== MLKEM768_PUBLIC_KEY_LENGTH) throw new RangeError('ML-KEM-768 public key must be 1184 bytes');
  if (seed.length !== MLKEM768_ENCAPS_SEED_LENGTH) throw new RangeError('ML-KEM-768 encapsulation seed must be 32 bytes');
  const { cipherText, sharedSecret } = ml_kem768.encapsulate(publicKey, seed);
  return { cipherText, sharedSecret: sharedSecret.slice() };
}

/** ML-KEM.Decaps (FIPS 203 §7.3): a ciphertext of the wrong length throws; a forged one yields a pseudorandom key. */
export function mlkem768Decapsulate(cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array {
  if (cipherText.length !== MLKEM768_CIPHERTEXT_LENGTH) throw new RangeError('ML-KEM-768 ciphertext must be 1088 bytes');
  return ml_kem768.decapsulate(cipherText, secretKey);
}
