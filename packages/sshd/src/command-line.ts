// tsshd's command line, with sshd's flags, and the command lines it builds for its own children: the detached
// daemon copy of itself and each tsshd-session worker.
import { resolve } from 'node:path';
import yargs from 'yargs';

export const DEFAULT_CONFIG_FILE = '/etc/tssh/sshd_config';

export interface TsshdArgs {
  /** -f, made absolute (the daemon runs in /). */
  configFile: string;
  /** -D, or implied by -d. */
  foreground: boolean;
  /** How many -d: debug1..debug3. */
  debug: number;
  /** -e (or -d): log to stderr. */
  stderr: boolean;
  /** -E, made absolute. */
  logFile: string | undefined;
  /** -p, each overriding Port. */
  ports: number[];
  /** -o KEY=VALUE, in order. */
  overrides: string[];
  /** -t: check the configuration and exit. */
  test: boolean;
  /** -T: check the configuration, print the effective values and exit. */
  printConfig: boolean;
  /** Internal: the daemon copy reports readiness on this descriptor. */
  notifyFd: number | undefined;
  /** Internal: started by a running listener to take over its sockets (restart). */
  handover: boolean;
  /** Internal: this is the detached copy of a daemon (or its successor): it logs to syslog, not stderr. */
  daemon: boolean;
}

export const USAGE = 'usage: tsshd [-DdeTt] [-E log_file] [-f config_file] [-o option] [-p port]';

export class UsageError extends Error {
  override name = 'UsageError';
}

// getopt(3) letters that take an argument, as in sshd's "C:E:b:c:f:g:h:k:o:p:u:".
const TAKES_ARGUMENT = new Set(['f', 'E', 'p', 'o']);

/**
 * Splits getopt-style groups into one token per option so that `-De`, `-ddd`, `-oPort=22` and `-p2222` mean
 * what they mean to sshd: in a group, a letter that takes an argument takes the rest of the group.
 */
export function splitShortOptions(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (!/^-[^-]/.test(arg) || arg.length === 2) {
      out.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j];
      out.push(`-${letter}`);
      if (TAKES_ARGUMENT.has(letter) && j + 1 < arg.length) {
        out.push(arg.slice(j + 1));
        break;
      }
    }
  }
  return out;
}

function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new UsageError(`Bad port number: ${text}`);
  return Number(text);
}

/** A repeated single-valued option arrives as an array: the last one wins, as with getopt. */
function last(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** Parses tsshd's arguments (without node and the script). `--help` prints usage and exits 0. */
export function parseTsshdArgs(argv: readonly string[], cwd = process.cwd()): TsshdArgs {
  const parsed = yargs(splitShortOptions(argv))
    .scriptName('tsshd')
    .usage(USAGE)
    .parserConfiguration({
      'camel-case-expansion': false,
      'boolean-negation': false,
      'dot-notation': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'short-option-groups': false,
    })
    .option('D', { type: 'boolean', describe: 'Do not detach: stay in the foreground (for a supervisor)' })
    .option('d', { type: 'count', describe: 'Debug mode: foreground, log to stderr; repeat for more (up to 3)' })
    .option('e', { type: 'boolean', describe: 'Write logs to standard error instead of the system log' })
    .option('E', { type: 'string', requiresArg: true, nargs: 1, describe: 'Append logs to log_file' })
    .option('f', {
      type: 'string',
      requiresArg: true,
      nargs: 1,
      default: DEFAULT_CONFIG_FILE,
      describe: 'Server configuration file',
    })
    .option('o', {
      type: 'string',
      array: true,
      requiresArg: true,
      nargs: 1,
      describe: 'Configuration option, as in the config file (KEY=VALUE); repeatable',
    })
    .option('p', { type: 'string', array: true, requiresArg: true, nargs: 1, describe: 'Port to listen on (overrides Port); repeatable' })
    .option('t', { type: 'boolean', describe: 'Test mode: check the configuration and exit' })
    .option('T', { type: 'boolean', describe: 'Extended test mode: check the configuration, print the effective values and exit' })
    .option('notify-fd', { type: 'string', hidden: true, requiresArg: true, nargs: 1 })
    .option('handover', { type: 'boolean', hidden: true })
    .option('daemon', { type: 'boolean', hidden: true })
    .epilog(
      'Signals: SIGHUP re-reads the configuration (an invalid one is logged and the old one kept); SIGUSR2 restarts\n' +
        'the listener, handing its listening sockets to a new tsshd without refusing a connection; SIGTERM stops\n' +
        'listening and exits. Running sessions are never touched by any of them.',
    )
    .strict()
    .version(false)
    .help('help')
    .wrap(null)
    .fail((message, err) => {
      throw new UsageError(err?.message ?? message);
    })
    .parseSync();
  if (parsed._.length > 0) throw new UsageError(`Unexpected argument: ${String(parsed._[0])}`);
  const notify = last(parsed['notify-fd']);
  const logFile = last(parsed.E);
  return {
    configFile: resolve(cwd, last(parsed.f) ?? DEFAULT_CONFIG_FILE),
    foreground: parsed.D === true || parsed.d > 0,
    debug: Math.min(parsed.d, 3),
    stderr: parsed.e === true || parsed.d > 0,
    logFile: logFile === undefined ? undefined : resolve(cwd, logFile),
    ports: (parsed.p ?? []).map((p) => parsePort(String(p))),
    overrides: (parsed.o ?? []).map(String),
    test: parsed.t === true,
    printConfig: parsed.T === true,
    notifyFd: notify === undefined ? undefined : Number(notify),
    handover: parsed.handover === true,
    daemon: parsed.daemon === true,
  };
}

/** The options shared by the daemon copy and the workers: config file, log settings, -o. */
function commonArgs(args: TsshdArgs): string[] {
  const out = ['-f', args.configFile];
  for (let i = 0; i < args.debug; i++) out.push('-d');
  if (args.stderr && args.debug === 0) out.push('-e');
  if (args.logFile !== undefined) out.push('-E', args.logFile);
  for (const o of args.overrides) out.push('-o', o);
  return out;
}

/** Arguments for the detached copy of the listener: the same settings, in the foreground. */
export function daemonArgs(args: TsshdArgs, notifyFd: number): string[] {
  const out = ['-D', ...commonArgs(args)];
  for (const p of args.ports) out.push('-p', String(p));
  out.push('--daemon', '--notify-fd', String(notifyFd));
  return out;
}

/** Arguments for the listener that replaces this one in a restart. */
export function successorArgs(args: TsshdArgs): string[] {
  const out = ['-D', ...commonArgs(args)];
  for (const p of args.ports) out.push('-p', String(p));
  if (args.daemon || !args.foreground) out.push('--daemon');
  out.push('--handover');
  return out;
}

/** Arguments for a tsshd-session worker, as for `sshd -i`. */
export function workerArgs(args: TsshdArgs): string[] {
  return ['-i', ...commonArgs(args)];
}
