// What the listener takes from sshd_config, in one place: the only module of tsshd that knows the config API.
// Workers read the whole file again themselves; the listener needs just where to listen, what to run, how to log.
import { fileURLToPath } from 'node:url';
import { ConfigError, ConfigReadError, listenEndpoints, loadSshdConfig } from '@tssh/ssh-protocol/config';
import type { TsshdArgs } from './command-line.js';
import type { ListenEndpoint } from './listener.js';
import type { ServerLogLevel } from './log.js';

/** The worker installed alongside: packages/sshd/bin/tsshd-session.js, next to bin/tsshd.js. */
export const DEFAULT_SESSION_PATH = fileURLToPath(new URL('../bin/tsshd-session.js', import.meta.url));

export interface ListenConfig {
  file: string;
  /** Every address and port to bind, in order. */
  endpoints: ListenEndpoint[];
  /** Undefined for `PidFile none`. */
  pidFile: string | undefined;
  logLevel: ServerLogLevel;
  /** SshdSessionPath, or the worker installed alongside. */
  sessionPath: string;
}

/** Reads the configuration; -p ports replace every Port line, as with sshd. Throws what `configErrorText` reads. */
export function loadListenConfig(args: Pick<TsshdArgs, 'configFile' | 'overrides' | 'ports'>): ListenConfig {
  const cfg = loadSshdConfig(args.configFile, args.overrides);
  const ports = args.ports.length > 0 ? args.ports : cfg.ports;
  return {
    file: args.configFile,
    endpoints: listenEndpoints({ ports, listenAddresses: cfg.listenAddresses, addressFamily: cfg.addressFamily }),
    pidFile: cfg.pidFile,
    logLevel: cfg.logLevel,
    sessionPath: cfg.sshdSessionPath ?? DEFAULT_SESSION_PATH,
  };
}

/** The line to print for a configuration that cannot be used (`FILE line N: ...`), or undefined for other errors. */
export function configErrorText(err: unknown): string | undefined {
  if (err instanceof ConfigError || err instanceof ConfigReadError) return err.message;
  return undefined;
}
