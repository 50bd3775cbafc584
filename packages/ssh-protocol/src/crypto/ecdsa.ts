import type { EcdsaBackend } from './ecdsa-backend.js';
import { NOBLE_ECDSA } from './ecdsa-noble.js';
import { NODE_ECDSA } from './ecdsa-node.js';

export { ecdsaHash, nistOrder, nistPointValid, type EcdsaBackend } from './ecdsa-backend.js';

/** Both ECDSA backends, for tests that hold them to the same vectors. */
export const ECDSA_BACKENDS: readonly EcdsaBackend[] = Object.freeze([NODE_ECDSA, NOBLE_ECDSA]);

/**
 * The backend keys use. Measured here (Node 20, OpenSSL 3.0, 2 cores), per operation with the key import:
 * node:crypto signs / verifies P-256 in 0.19 / 0.28 ms against noble's 1.2 / 5.2 ms, P-384 in 1.4 / 1.1 against
 * 2.1 / 8.1 ms, P-521 in 2.6 / 2.3 against 3.0 / 11 ms. OpenSSL wins everywhere, by far on verification.
 */
export const ECDSA: EcdsaBackend = NODE_ECDSA;
