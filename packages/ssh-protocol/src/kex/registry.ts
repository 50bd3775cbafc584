import { curve25519Sha256, curve25519Sha256Libssh } from './curve25519.js';
import { diffieHellmanGroupExchangeSha1, diffieHellmanGroupExchangeSha256 } from './dh-group-exchange.js';
import {
  diffieHellmanGroup14Sha1,
  diffieHellmanGroup14Sha256,
  diffieHellmanGroup16Sha512,
  diffieHellmanGroup18Sha512,
  diffieHellmanGroup1Sha1,
} from './dh-group.js';
import { ecdhSha2Nistp256, ecdhSha2Nistp384, ecdhSha2Nistp521 } from './ecdh-nist.js';
import { mlkem768x25519Sha256 } from './mlkem768x25519.js';
import { sntrup761x25519Sha512, sntrup761x25519Sha512OpenSsh } from './sntrup761x25519.js';
import type { KexMethod } from './types.js';

/** Key exchange methods we implement: any of them may be named in configuration. */
export const KEX_METHODS: ReadonlyMap<string, KexMethod> = new Map(
  [
    mlkem768x25519Sha256,
    sntrup761x25519Sha512,
    sntrup761x25519Sha512OpenSsh,
    curve25519Sha256,
    curve25519Sha256Libssh,
    ecdhSha2Nistp256,
    ecdhSha2Nistp384,
    ecdhSha2Nistp521,
    diffieHellmanGroupExchangeSha256,
    diffieHellmanGroup16Sha512,
    diffieHellmanGroup18Sha512,
    diffieHellmanGroup14Sha256,
    diffieHellmanGroup14Sha1,
    diffieHellmanGroupExchangeSha1,
    diffieHellmanGroup1Sha1,
  ].map((k) => [k.name, k] as const),
);

/** What we offer when nothing is configured, strongest first as OpenSSH 10 does; SHA-1 methods stay out. */
export const DEFAULT_KEX: readonly string[] = Object.freeze([
  'mlkem768x25519-sha256',
  'sntrup761x25519-sha512',
  'sntrup761x25519-sha512@openssh.com',
  'curve25519-sha256',
  'curve25519-sha256@libssh.org',
  'ecdh-sha2-nistp256',
  'ecdh-sha2-nistp384',
  'ecdh-sha2-nistp521',
  'diffie-hellman-group-exchange-sha256',
  'diffie-hellman-group16-sha512',
  'diffie-hellman-group18-sha512',
  'diffie-hellman-group14-sha256',
]);
