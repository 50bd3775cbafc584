// The options tsftp and tscp pass on to the SSH connection, turned into a tssh command line and parsed by tssh's
// own parser — as OpenSSH's sftp and scp build an ssh command line — so that config files, -o options,
// identities and host key checking behave exactly as they do for tssh.
import { parseTsshArgs, type TsshArgs } from '@tssh/ssh/dist/command-line.js';
import type { RemoteOperand } from './remote-operand.js';

export interface SshOptions {
  /** -P */
  port: number | undefined;
  /** -F */
  configFile: string | undefined;
  /** -i, in order. */
  identityFiles: string[];
  /** -o, in order, and what other flags stand for (-c, -4, -6, -C, BatchMode for -b). */
  options: string[];
  /** -v count. */
  verbose: number;
  /** -q */
  quiet: boolean;
}

/** tssh's arguments for a connection to `remote`; -P wins over a port in a URI. */
export function tsshArgsFor(o: SshOptions, remote: RemoteOperand): TsshArgs {
  const argv: string[] = [];
  if (o.configFile !== undefined) argv.push('-F', o.configFile);
  for (const i of o.identityFiles) argv.push('-i', i);
  for (const opt of o.options) argv.push('-o', opt);
  const port = o.port ?? remote.port;
  if (port !== undefined) argv.push('-p', String(port));
  for (let i = 0; i < Math.min(o.verbose, 3); i++) argv.push('-v');
  if (o.quiet) argv.push('-q');
  if (remote.user !== undefined) argv.push('-l', remote.user);
  argv.push('--', remote.host);
  return parseTsshArgs(argv);
}

/** OpenSSH's a2port() range check for -P. */
export function parsePort(text: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}
