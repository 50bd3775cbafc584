// From the command line and ssh_config to what one connection needs. `-F FILE` replaces both the user's file
// and the system file (`-F none` reads none); otherwise ~/.ssh/config then /etc/tssh/ssh_config. Flags and -o
// come first, and for each keyword the first value found wins.
import { statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import {
  DEFAULT_SYSCONF_DIR,
  effectiveAlgorithms,
  expandTilde,
  resolveSshConfig,
  type ResolvedSshConfig,
} from '@tssh/ssh-protocol/config';
import { algorithmCatalog } from '@tssh/ssh-protocol/transport';
import { clientAlgorithms, type ClientAlgorithms } from './client-algorithms.js';
import type { ClientLogger } from './client-log.js';
import { splitDestination, type TsshArgs } from './command-line.js';
import { FatalError } from './fatal-error.js';
import type { IdentityFile } from './identities.js';

/**
 * The identity files tried when none is configured, strongest type first (OpenSSH 9.2 also lists id_*_sk,
 * id_xmss and id_dsa, types tssh does not implement).
 */
export const DEFAULT_IDENTITIES: readonly string[] = Object.freeze(['id_ed25519', 'id_ecdsa', 'id_rsa']);

export interface ClientSettings {
  readonly config: ResolvedSshConfig;
  readonly identityFiles: readonly IdentityFile[];
  readonly algorithms: ClientAlgorithms;
  readonly pubkeyAcceptedAlgorithms: readonly string[];
  /** PreferredAuthentications less the methods switched off by *Authentication no. */
  readonly preferredAuthentications: readonly string[];
}

/**
 * The home directory for `~`: $HOME when it is an absolute path, else the password database's. (ssh takes the
 * password database's only; honouring $HOME lets a throwaway HOME stand in for the user's.)
 */
export function homeDirectory(): string {
  const env = process.env.HOME;
  return env !== undefined && isAbsolute(env) ? env : homedir();
}

function configFiles(args: TsshArgs, home: string): string[] {
  if (args.configFile === undefined) return [join(home, '.ssh/config'), join(DEFAULT_SYSCONF_DIR, 'ssh_config')];
  if (args.configFile === 'none') return [];
  const file = resolve(expandTilde(args.configFile, home));
  // ssh insists that the file given with -F exists.
  try {
    statSync(file);
  } catch {
    throw new FatalError(`Can't open user config file ${file}: No such file or directory`);
  }
  return [file];
}

/**
 * `-i` files that cannot be read are reported and dropped right away, as ssh does while reading its arguments.
 * Returns the ones kept, made absolute.
 */
export function commandLineIdentities(args: TsshArgs, home: string, warn: (line: string) => void): string[] {
  const kept: string[] = [];
  for (const given of args.identityFiles) {
    const path = resolve(expandTilde(given, home));
    try {
      statSync(path);
      kept.push(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'No such file or directory' : code === 'EACCES' ? 'Permission denied' : String(code);
      warn(`Warning: Identity file ${path} not accessible: ${why}.`);
    }
  }
  return kept;
}

export function resolveClientSettings(args: TsshArgs, log: ClientLogger, cliIdentities: readonly string[]): ClientSettings {
  const home = homeDirectory();
  const dest = splitDestination(args.destination);
  if (dest.host === '') throw new FatalError('ssh: empty host name');
  const files = configFiles(args, home);
  for (const f of files) log.debug(`Reading configuration data ${f}`);
  const catalog = algorithmCatalog();
  const config = resolveSshConfig({
    host: dest.host,
    user: args.user ?? dest.user,
    port: args.port,
    cliOptions: args.options,
    files,
    local: { home },
    algorithms: catalog,
  });
  for (const keyword of config.unsupported) log.debug(`${keyword} is not supported yet: ignored`);

  // ssh adds the default identity files only when neither -i nor IdentityFile named one.
  const identityFiles: IdentityFile[] = cliIdentities.map((path) => ({ path, userProvided: true }));
  if (config.identityFilesFromConfig) {
    for (const path of config.identityFiles) identityFiles.push({ path, userProvided: true });
  } else if (cliIdentities.length === 0) {
    for (const name of DEFAULT_IDENTITIES) identityFiles.push({ path: join(home, '.ssh', name), userProvided: false });
  }

  const algorithms = clientAlgorithms(config, args);
  const pubkeyAcceptedAlgorithms = effectiveAlgorithms(
    'pubkeyAcceptedAlgorithms',
    config.pubkeyAcceptedAlgorithms,
    catalog.pubkeyAcceptedAlgorithms,
  );

  const enabled: Readonly<Record<string, boolean>> = {
    publickey: config.pubkeyAuthentication,
    password: config.passwordAuthentication,
    'keyboard-interactive': config.kbdInteractiveAuthentication,
  };
  const preferredAuthentications = config.preferredAuthentications.filter((m) => enabled[m] !== false);
  return { config, identityFiles, algorithms, pubkeyAcceptedAlgorithms, preferredAuthentications };
}
