// Method-specific key exchange message numbers (RFC 4250 §4.1.2: 30-49 are reused by each method).

/** RFC 4253 §8: fixed-group Diffie-Hellman. */
export const KEXDH_MSG = Object.freeze({ INIT: 30, REPLY: 31 } as const);

/** RFC 5656 §7.1: elliptic-curve Diffie-Hellman (also curve25519, RFC 8731). */
export const KEX_ECDH_MSG = Object.freeze({ INIT: 30, REPLY: 31 } as const);

/** draft-ietf-sshm-mlkem-hybrid-kex §2.1: PQ/T hybrid key exchange. */
export const KEX_HYBRID_MSG = Object.freeze({ INIT: 30, REPLY: 31 } as const);

/** RFC 4419 §5: Diffie-Hellman group exchange. */
export const KEX_DH_GEX_MSG = Object.freeze({
  REQUEST_OLD: 30,
  GROUP: 31,
  INIT: 32,
  REPLY: 33,
  REQUEST: 34,
} as const);
