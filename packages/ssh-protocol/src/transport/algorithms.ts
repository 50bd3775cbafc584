import { DEFAULT_KEX, KEX_METHODS } from '../kex/index.js';
import { defaultSignatureAlgorithms, supportedSignatureAlgorithms } from '../keys/index.js';
import { CIPHERS, DEFAULT_CIPHERS } from './ciphers/index.js';
import { DEFAULT_MACS, MACS } from './macs/index.js';
import { COMPRESSION_METHODS } from './compression.js';

/** Algorithm preferences for one side; each list in preference order. Defaults: everything we implement. */
export interface AlgorithmPrefs {
  kex: readonly string[];
  hostKey: readonly string[];
  ciphers: readonly string[];
  macs: readonly string[];
  compression: readonly string[];
}

export const SUPPORTED: Readonly<AlgorithmPrefs> = Object.freeze({
  kex: [...KEX_METHODS.keys()],
  // RFC 8332 §3: host key algorithms are signature algorithms (rsa-sha2-512 for an ssh-rsa key), not key types.
  hostKey: supportedSignatureAlgorithms(),
  ciphers: [...CIPHERS.keys()],
  macs: [...MACS.keys()],
  compression: [...COMPRESSION_METHODS],
});

/** Signature algorithms offered unless configured: all but SHA-1 ssh-rsa. */
const DEFAULT_HOST_KEY: readonly string[] = Object.freeze(defaultSignatureAlgorithms());

/** What we offer when nothing is configured: the strong subset (no SHA-1 KEX, MAC or signature), compression off. */
export function defaultAlgorithms(): AlgorithmPrefs {
  return {
    ...SUPPORTED,
    kex: DEFAULT_KEX,
    hostKey: DEFAULT_HOST_KEY,
    ciphers: DEFAULT_CIPHERS,
    macs: DEFAULT_MACS,
    compression: ['none'],
  };
}

/** Defaults and supported names per config keyword, shaped for the config layer's AlgorithmCatalog. */
export function algorithmCatalog(): Record<
  'ciphers' | 'macs' | 'kexAlgorithms' | 'hostKeyAlgorithms' | 'pubkeyAcceptedAlgorithms',
  { defaults: readonly string[]; supported: readonly string[] }
> {
  const s = SUPPORTED;
  return {
    ciphers: { defaults: DEFAULT_CIPHERS, supported: s.ciphers },
    macs: { defaults: DEFAULT_MACS, supported: s.macs },
    kexAlgorithms: { defaults: DEFAULT_KEX, supported: s.kex },
    hostKeyAlgorithms: { defaults: DEFAULT_HOST_KEY, supported: s.hostKey },
    pubkeyAcceptedAlgorithms: { defaults: DEFAULT_HOST_KEY, supported: s.hostKey },
  };
}
