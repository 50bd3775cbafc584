// What the listener takes from sshd_config, in one place: the only module of tsshd that knows the config API.
// Workers read the whole file again themselves; the listener needs where to listen, what to run, how to log and
// how to admit connections. The file is checked in full (algorithm names included) so that a configuration the
// listener accepts is one every worker accepts too.
import { fileURLToPath } from 'node:url';
import {
  ConfigError,
  ConfigReadError,
  listenEndpoints,
  loadSshdConfig,
  resolvePenalties,
} from '@tssh/ssh-protocol/config';
import type { AlgorithmCatalog, SshdConfig } from '@tssh/ssh-protocol/config';
import type { AdmissionSettings } from './admission.js';
import type { TsshdArgs } from './command-line.js';
import type { ListenEndpoint } from './listener.js';
import type { LogFormat, ServerLogLevel } from './log.js';
import type { PenaltyPolicy } from './penalty-box.js';

/** The worker installed alongside: packages/sshd/bin/tsshd-session.js, next to bin/tsshd.js. */
export const DEFAULT_SESSION_PATH = fileURLToPath(new URL('../bin/tsshd-session.js', import.meta.url));

export interface ListenConfig {
  file: string;
  /** Every address and port to bind, in order. */
  endpoints: ListenEndpoint[];
  /** Undefined for `PidFile none`. */
  pidFile: string | undefined;
  logLevel: ServerLogLevel;
  logFormat: LogFormat;
  syslogFacility: string;
  /** SshdSessionPath, or the worker installed alongside. */
  sessionPath: string;
  admission: AdmissionSettings;
  penalties: PenaltyPolicy;
  /** Seconds; 0 means no limit. */
  loginGraceTime: number;
  /** The whole parsed file, for -T. */
  sshd: SshdConfig;
}

/** The algorithm names this build implements, loaded only when a configuration is checked. */
export async function loadAlgorithmCatalog(): Promise<AlgorithmCatalog> {
  const { algorithmCatalog } = await import('@tssh/ssh-protocol/transport');
  return algorithmCatalog();
}

/** Reads the configuration; -p ports replace every Port line, as with sshd. Throws what `configErrorText` reads. */
export function loadListenConfig(
  args: Pick<TsshdArgs, 'configFile' | 'overrides' | 'ports'>,
  algorithms?: AlgorithmCatalog,
): ListenConfig {
  const cfg = loadSshdConfig(args.configFile, args.overrides, { algorithms });
  const ports = args.ports.length > 0 ? args.ports : cfg.ports;
  const netBlock = cfg.perSourceNetBlockSize;
  return {
    file: args.configFile,
    endpoints: listenEndpoints({ ports, listenAddresses: cfg.listenAddresses, addressFamily: cfg.addressFamily }),
    pidFile: cfg.pidFile,
    logLevel: cfg.logLevel,
    logFormat: cfg.logFormat,
    syslogFacility: cfg.syslogFacility,
    sessionPath: cfg.sshdSessionPath ?? DEFAULT_SESSION_PATH,
    admission: { maxStartups: cfg.maxStartups, perSourceMaxStartups: cfg.perSourceMaxStartups, netBlock },
    penalties: { settings: resolvePenalties(cfg.perSourcePenalties), netBlock, exempt: cfg.perSourcePenaltyExemptList },
    loginGraceTime: cfg.loginGraceTime,
    sshd: { ...cfg, ports },
  };
}

/** The line to print for a configuration that cannot be used (`FILE line N: ...`), or undefined for other errors. */
export function configErrorText(err: unknown): string | undefined {
  if (err instanceof ConfigError || err instanceof ConfigReadError) return err.message;
  return undefined;
}
