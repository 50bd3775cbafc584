// What tssh offers in its KEXINIT: KexAlgorithms, HostKeyAlgorithms, Ciphers and MACs (OpenSSH's `+`, `-` and `^`
// lists; -c and -m win over every -o and file, as in ssh), Compression (-C), and RekeyLimit. Without a configured
// HostKeyAlgorithms the key types known_hosts already holds for the host go first, as ssh's order_hostkeyalgs
// does, so that a known host is not asked for a key of a type we have never seen from it.
import { applyAlgorithmList, effectiveAlgorithms, type ResolvedSshConfig } from '@tssh/ssh-protocol/config';
import { keyTypeForSignatureAlgorithm } from '@tssh/ssh-protocol/keys';
import { algorithmCatalog, type AlgorithmPrefs } from '@tssh/ssh-protocol/transport';
import { FatalError } from './fatal-error.js';

export interface AlgorithmFlags {
  /** -c */
  readonly cipherSpec?: string;
  /** -m */
  readonly macSpec?: string;
  /** -C */
  readonly compression?: boolean;
}

export interface ClientAlgorithms {
  readonly prefs: AlgorithmPrefs;
  /** HostKeyAlgorithms was configured: its list is offered as it stands, never reordered by known_hosts. */
  readonly hostKeyConfigured: boolean;
  /** RekeyLimit's volume in bytes (0: by cipher). */
  readonly rekeyLimitBytes: number;
  /** RekeyLimit's time in milliseconds (0: none). */
  readonly rekeyIntervalMs: number;
}

/** ssh's compression_alg_list: with Compression yes zlib comes first, else after none. */
export function compressionOffer(compression: boolean): string[] {
  return compression ? ['zlib@openssh.com', 'zlib', 'none'] : ['none', 'zlib@openssh.com', 'zlib'];
}

/** A -c or -m spec over the defaults; a bad one is ssh's one-line message (exit 255). */
function flagSpec(spec: string, catalog: { defaults: readonly string[]; supported: readonly string[] }, what: string): string[] {
  try {
    return applyAlgorithmList(catalog.defaults, catalog.supported, spec);
  } catch {
    throw new FatalError(`Unknown ${what} type '${spec}'`);
  }
}

export function clientAlgorithms(config: ResolvedSshConfig, flags: AlgorithmFlags): ClientAlgorithms {
  const catalog = algorithmCatalog();
  const ciphers =
    flags.cipherSpec === undefined
      ? effectiveAlgorithms('ciphers', config.ciphers, catalog.ciphers)
      : flagSpec(flags.cipherSpec, catalog.ciphers, 'cipher');
  const macs =
    flags.macSpec === undefined
      ? effectiveAlgorithms('macs', config.macs, catalog.macs)
      : flagSpec(flags.macSpec, catalog.macs, 'mac');
  return {
    prefs: {
      kex: effectiveAlgorithms('kexAlgorithms', config.kexAlgorithms, catalog.kexAlgorithms),
      hostKey: effectiveAlgorithms('hostKeyAlgorithms', config.hostKeyAlgorithms, catalog.hostKeyAlgorithms),
      ciphers,
      macs,
      compression: compressionOffer(flags.compression === true || config.compression),
    },
    hostKeyConfigured: config.hostKeyAlgorithms !== undefined,
    rekeyLimitBytes: config.rekeyLimit.bytes,
    rekeyIntervalMs: config.rekeyLimit.seconds * 1000,
  };
}

/**
 * ssh's order_hostkeyalgs: the algorithms whose key type is recorded for the host first, then the rest, each
 * part in its own order (an `ssh-rsa` entry brings rsa-sha2-512 and rsa-sha2-256 forward).
 */
export function preferKnownHostKeyTypes(algorithms: readonly string[], knownTypes: readonly string[]): string[] {
  const known = (algorithm: string): boolean => {
    const type = keyTypeForSignatureAlgorithm(algorithm)?.name;
    return type !== undefined && knownTypes.includes(type);
  };
  return [...algorithms.filter(known), ...algorithms.filter((a) => !known(a))];
}
