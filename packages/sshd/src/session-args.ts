// tsshd-session's command line: the subset of sshd's flags that make sense for one connection (`sshd -i`).
import { resolve } from 'node:path';
import yargs from 'yargs';
import { DEFAULT_CONFIG_FILE, UsageError, splitShortOptions } from './command-line.js';

export interface SessionArgs {
  /** -i: the connection is on stdin/stdout (always true in practice; accepted for inetd lines). */
  inetd: boolean;
  configFile: string;
  debug: number;
  stderr: boolean;
  logFile: string | undefined;
  overrides: string[];
}

export function parseSessionArgs(argv: readonly string[], cwd = process.cwd()): SessionArgs {
  const parsed = yargs(splitShortOptions(argv))
    .scriptName('tsshd-session')
    .usage('usage: tsshd-session -i [-de] [-E log_file] [-f config_file] [-o option]\n\n' +
      'Serves one SSH connection on standard input and output, like sshd -i: run by tsshd for each\n' +
      'accepted connection, or directly by inetd, xinetd or a systemd socket unit with Accept=yes.')
    .parserConfiguration({ 'camel-case-expansion': false, 'short-option-groups': false })
    .option('i', { type: 'boolean', description: 'Serve the connection on stdin/stdout (inetd mode)' })
    .option('f', { type: 'string', description: 'Configuration file', default: DEFAULT_CONFIG_FILE })
    .option('d', { type: 'count', description: 'Debug logging (repeat for more)' })
    .option('e', { type: 'boolean', description: 'Log to stderr' })
    .option('D', { type: 'boolean', description: 'Ignored (accepted for sshd compatibility)' })
    .option('E', { type: 'string', description: 'Append log lines to this file' })
    .option('o', { type: 'string', array: true, description: 'KEY=VALUE configuration override' })
    .strict()
    .help('help')
    .version(false)
    .fail((msg, err) => {
      throw new UsageError(err?.message ?? msg);
    })
    .parseSync();
  const f = Array.isArray(parsed.f) ? parsed.f[parsed.f.length - 1] : parsed.f;
  const e = Array.isArray(parsed.E) ? parsed.E[parsed.E.length - 1] : parsed.E;
  return {
    inetd: Boolean(parsed.i),
    configFile: resolve(cwd, f),
    debug: parsed.d ?? 0,
    stderr: Boolean(parsed.e) || (parsed.d ?? 0) > 0,
    logFile: e === undefined ? undefined : resolve(cwd, e),
    overrides: (parsed.o ?? []).map(String),
  };
}
