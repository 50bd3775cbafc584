// Streamlined NTRU Prime, parameter set sntrup761 (NTRU Prime round-3 submission, "Parameter space";
// draft-josefsson-ntruprime-streamlined-00): the ring is (Z/q)[x]/(x^p - x - 1); short polynomials
// have exactly w nonzero coefficients, all in {-1, 0, 1}.

export const P = 761;
export const Q = 4591;
export const W = 286;
/** Coefficients mod q are kept in the symmetric range -Q12..Q12. */
export const Q12 = (Q - 1) / 2;
/** Rounded coefficients are multiples of 3, so their encoding uses the radix (q + 2) / 3. */
export const ROUNDED_RADIX = (Q + 2) / 3;

/** Sizes in bytes: the submission's Small_bytes, Rq_bytes, Rounded_bytes and Hash_bytes (= Confirm_bytes). */
export const SMALL_BYTES = (P + 3) >> 2;
export const RQ_BYTES = 1158;
export const ROUNDED_BYTES = 1007;
export const HASH_BYTES = 32;

export const SNTRUP761_PUBLIC_KEY_BYTES = RQ_BYTES;
/** f, 1/g in R3, the public key, rho for implicit rejection, and the cached hash of the public key. */
export const SNTRUP761_SECRET_KEY_BYTES = 2 * SMALL_BYTES + RQ_BYTES + SMALL_BYTES + HASH_BYTES;
/** The rounded ciphertext and its confirmation hash. */
export const SNTRUP761_CIPHERTEXT_BYTES = ROUNDED_BYTES + HASH_BYTES;
export const SNTRUP761_SHARED_SECRET_BYTES = HASH_BYTES;
