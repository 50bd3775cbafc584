import { DEFAULT_KEX, KEX_METHODS } from '../kex/index.js';
import { supportedKeyTypes } from '../keys/index.js';
import { CIPHERS } from './ciphers/index.js';

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
  hostKey: supportedKeyTypes(),
  ciphers: [...CIPHERS.keys()],
  macs: [],
  compression: ['none'],
});

/** What we offer when nothing is configured: everything supported, except KEX, whose default list leaves out SHA-1. */
export function defaultAlgorithms(): AlgorithmPrefs {
  return { ...SUPPORTED, kex: DEFAULT_KEX };
}

/** Names in `wanted` that we implement, for one slot. */
export function unsupported(kind: keyof AlgorithmPrefs, wanted: readonly string[]): string[] {
  const have = SUPPORTED[kind];
  return wanted.filter((n) => !have.includes(n));
}

/** Defaults and supported names per config keyword, shaped for the config layer's AlgorithmCatalog. */
export function algorithmCatalog(): Record<
  'ciphers' | 'macs' | 'kexAlgorithms' | 'hostKeyAlgorithms' | 'pubkeyAcceptedAlgorithms',
  { defaults: readonly string[]; supported: readonly string[] }
> {
  const s = SUPPORTED;
  return {
    ciphers: { defaults: s.ciphers, supported: s.ciphers },
    macs: { defaults: s.macs, supported: s.macs },
    kexAlgorithms: { defaults: DEFAULT_KEX, supported: s.kex },
    hostKeyAlgorithms: { defaults: s.hostKey, supported: s.hostKey },
    pubkeyAcceptedAlgorithms: { defaults: s.hostKey, supported: s.hostKey },
  };
}
