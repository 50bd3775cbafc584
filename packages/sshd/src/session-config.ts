import { readFileSync } from 'node:fs';
import { effectiveAlgorithms, loadSshdConfig, type SshdConfig } from '@tssh/ssh-protocol/config';
import { algorithmCatalog, type AlgorithmPrefs } from '@tssh/ssh-protocol/transport';
import type { Logger } from '@tssh/ssh-protocol/wire';

/** The server config, read afresh for this connection; algorithm lists are checked against what we implement. */
export function loadSessionConfig(path: string, overrides: readonly string[]): SshdConfig {
  return loadSshdConfig(path, overrides, { algorithms: algorithmCatalog() });
}

/** RekeyLimit as transport options (0 means: by cipher / no time limit). */
export function rekeyOptions(config: SshdConfig): { rekeyLimitBytes: number; rekeyIntervalMs: number } {
  return { rekeyLimitBytes: config.rekeyLimit.bytes, rekeyIntervalMs: config.rekeyLimit.seconds * 1000 };
}

export interface ServerAlgorithms {
  transport: Partial<AlgorithmPrefs>;
  /** PubkeyAcceptedAlgorithms, also announced as server-sig-algs. */
  pubkeyAccepted: string[];
}

export function transportAlgorithms(config: SshdConfig): ServerAlgorithms {
  const c = algorithmCatalog();
  return {
    transport: {
      kex: effectiveAlgorithms('kexAlgorithms', config.kexAlgorithms, c.kexAlgorithms),
      hostKey: effectiveAlgorithms('hostKeyAlgorithms', config.hostKeyAlgorithms, c.hostKeyAlgorithms),
      ciphers: effectiveAlgorithms('ciphers', config.ciphers, c.ciphers),
      macs: effectiveAlgorithms('macs', config.macs, c.macs),
      // sshd's `Compression yes` is delayed compression only: nothing is inflated before authentication.
      compression: config.compression ? ['none', 'zlib@openssh.com'] : ['none'],
    },
    pubkeyAccepted: effectiveAlgorithms('pubkeyAcceptedAlgorithms', config.pubkeyAcceptedAlgorithms, c.pubkeyAcceptedAlgorithms),
  };
}

/** The Banner file's text, sent before authentication (RFC 4252 §5.4); `none` or unset sends nothing. */
export function readBanner(config: SshdConfig, log: Logger): string | undefined {
  if (!config.banner || config.banner === 'none') return undefined;
  try {
    return readFileSync(config.banner, 'utf8');
  } catch (e) {
    log.error(`Banner file ${config.banner}: ${(e as Error).message}`);
    return undefined;
  }
}
