// tssh's command line, with ssh's flags. Like ssh (BSD getopt, re-run after the destination), options may come
// before or right after the destination; the first word after the destination that is not an option starts the
// remote command, so `tssh host ls -la` runs `ls -la`.
import yargs from 'yargs';
import { readOptionGroup } from './option-group.js';

export interface TsshArgs {
  /** The destination as written: `[user@]host`. */
  destination: string;
  /** The remote command words; empty for a shell. */
  command: string[];
  /** -p */
  port: number | undefined;
  /** -l, unless the destination's `user@` came before it (ssh takes whichever comes first). */
  user: string | undefined;
  /** -i, in order. */
  identityFiles: string[];
  /** -F */
  configFile: string | undefined;
  /** -o KEY=VALUE, in order. */
  options: string[];
  /** How many -v. */
  verbose: number;
  /** -q */
  quiet: boolean;
  /** How many -t. */
  forceTty: number;
  /** -T */
  disableTty: boolean;
  /** -N */
  noCommand: boolean;
  /** -n, or -f (which implies it). */
  stdinNull: boolean;
  /** -f: to the background once authenticated. */
  fork: boolean;
  /** -e: the escape character (undefined inside: none), ahead of EscapeChar in the files. */
  escapeChar?: { readonly value: string | undefined };
  /** -c: a Ciphers spec, ahead of every -o and file. */
  cipherSpec?: string;
  /** -m: a MACs spec, ahead of every -o and file. */
  macSpec?: string;
  /** -C: Compression yes. */
  compression?: boolean;
  /** -Q: what to list instead of connecting (no destination needed then). */
  query?: string;
}

/** A bad command line: ssh prints usage and exits 255. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE =
  'usage: tssh [-CfNnqTtv] [-c cipher_spec] [-e escape_char] [-F configfile]\n' +
  '            [-i identity_file] [-l login_name] [-m mac_spec] [-o option] [-p port]\n' +
  '            [-Q query_option] destination [command [argument ...]]';

/** Letters that take an argument, as in ssh's getopt string. */
const WITH_ARGUMENT = new Set(['p', 'l', 'i', 'F', 'o', 'e', 'c', 'm', 'Q']);
const FLAGS = new Set(['v', 'q', 't', 'T', 'N', 'n', 'f', 'C']);

interface Split {
  /** One token per option (`-p`, `2222`, `-v`, ...), for yargs. */
  options: string[];
  /** How many of `options` came before the destination. */
  optionsBeforeDestination: number;
  destination: string | undefined;
  command: string[];
}

/**
 * getopt(3) over the whole line: groups such as `-vvT` and `-p2222` are split, the destination is taken out,
 * options right after it are still read, and everything from the next plain word (or after `--`) is the command.
 */
export function splitArguments(argv: readonly string[]): Split {
  const options: string[] = [];
  let destination: string | undefined;
  let before = 0;
  const result = (command: string[]): Split => ({
    options,
    optionsBeforeDestination: destination === undefined ? options.length : before,
    destination,
    command,
  });
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i++];
    if (arg === '--') {
      if (destination === undefined && i < argv.length) {
        destination = argv[i++];
        before = options.length;
      }
      return result(argv.slice(i));
    }
    if (arg === '--help') {
      options.push(arg);
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (destination !== undefined) return result(argv.slice(i - 1));
      destination = arg;
      before = options.length;
      continue;
    }
    i = readOptionGroup(arg, argv, i, { withArgument: WITH_ARGUMENT, flags: FLAGS }, options, (m) => new UsageError(m));
  }
  return result([]);
}

/** The first `-l` value among option tokens (each letter that takes an argument is followed by it). */
function firstLogin(tokens: readonly string[]): string | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const letter = tokens[i].slice(1);
    if (!WITH_ARGUMENT.has(letter)) continue;
    if (letter === 'l') return tokens[i + 1];
    i++;
  }
  return undefined;
}

/** ssh's -e: one character, `^X` for a control character, or `none`; anything else is fatal. */
export function parseEscapeChar(text: string): { value: string | undefined } {
  if (text === 'none') return { value: undefined };
  if (text.length === 1) return { value: text };
  const c = text.charCodeAt(1);
  if (text.length === 2 && text[0] === '^' && c >= 64 && c < 128) return { value: String.fromCharCode(c & 31) };
  throw new BadArgumentError(`Bad escape character '${text}'.`);
}

/** An option value ssh rejects with its own message (no usage text), exiting 255. */
export class BadArgumentError extends Error {
  override name = 'BadArgumentError';
}

function parsePort(text: string): number {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new UsageError(`Bad port '${text}'`);
  }
  return Number(text);
}

/** A repeated single-valued option arrives as an array. ssh keeps the last -p and -F but the first -l. */
function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function last(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** Parses tssh's arguments (without node and the script). `--help` prints usage and exits 0. */
export function parseTsshArgs(argv: readonly string[]): TsshArgs {
  const split = splitArguments(argv);
  const parsed = yargs(split.options)
    .scriptName('tssh')
    .usage(`${USAGE}\n\nConnect to an SSH server and run a command or a shell there.`)
    .parserConfiguration({
      'camel-case-expansion': false,
      'boolean-negation': false,
      'dot-notation': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'short-option-groups': false,
    })
    .option('p', { type: 'string', array: true, requiresArg: true, nargs: 1, describe: 'Port to connect to on the remote host' })
    .option('l', { type: 'string', array: true, requiresArg: true, nargs: 1, describe: 'User to log in as on the remote host' })
    .option('i', {
      type: 'string',
      array: true,
      requiresArg: true,
      nargs: 1,
      describe: 'Identity (private key) file for public key authentication; repeatable',
    })
    .option('F', {
      type: 'string',
      array: true,
      requiresArg: true,
      nargs: 1,
      describe: 'Per-user configuration file (replaces ~/.ssh/config and the system file); "none" reads no file',
    })
    .option('o', {
      type: 'string',
      array: true,
      requiresArg: true,
      nargs: 1,
      describe: 'Option as in ssh_config (KEY=VALUE); repeatable, takes precedence over the files',
    })
    .option('v', { type: 'count', describe: 'Verbose: debug messages on stderr; repeat for more (up to 3)' })
    .option('q', { type: 'boolean', describe: 'Quiet: suppress warnings and diagnostic messages' })
    .option('t', { type: 'count', describe: 'Request a pseudo-terminal; twice to force one without a local terminal' })
    .option('T', { type: 'boolean', describe: 'Do not request a pseudo-terminal' })
    .option('N', { type: 'boolean', describe: 'Do not run a remote command or shell: just stay connected' })
    .option('n', { type: 'boolean', describe: 'Read standard input from /dev/null' })
    .option('f', { type: 'boolean', describe: 'Go to the background once authenticated (implies -n); needs a command or -N' })
    .option('e', {
      type: 'string',
      array: true,
      requiresArg: true,
      nargs: 1,
      describe: 'Escape character for pty sessions (default ~), ^X for a control character, or none',
    })
    .option('c', { type: 'string', array: true, requiresArg: true, nargs: 1, describe: 'Ciphers, as the Ciphers keyword takes them' })
    .option('m', { type: 'string', array: true, requiresArg: true, nargs: 1, describe: 'MACs, as the MACs keyword takes them' })
    .option('C', { type: 'boolean', describe: 'Compress the connection (Compression yes)' })
    .option('Q', {
      type: 'string',
      array: true,
      requiresArg: true,
      nargs: 1,
      describe: 'List the supported algorithms of a kind (kex, cipher, cipher-auth, mac, key, key-sig, compression, help, ...) and exit',
    })
    .epilog(
      'Configuration is read from -F FILE, or from ~/.ssh/config and then /etc/tssh/ssh_config; for each\n' +
        'keyword the first value found wins, and flags and -o options come before any file. Of -l and\n' +
        'user@host, whichever comes first on the command line names the user.\n\n' +
        'Escape sequences, in a pty session, right after a newline: ~. disconnect, ~B send a BREAK,\n' +
        '~R rekey, ~V/~v less/more verbose, ~^Z suspend, ~? list them, ~~ send one ~.\n\n' +
        'Exit status: that of the remote command; 255 when tssh fails or the connection ends without one.\n' +
        'A remote command killed by a signal has none: tssh says "Remote command killed by signal NAME"\n' +
        'and exits 255, as ssh does (ssh prints nothing).',
    )
    .strict()
    .version(false)
    .help('help')
    .wrap(null)
    .fail((message, err) => {
      throw new UsageError(err?.message ?? message);
    })
    .parseSync();
  const query = first(parsed.Q); // ssh answers the first -Q and exits
  if (split.destination === undefined && query === undefined) throw new UsageError('no destination given');
  const port = last(parsed.p);
  return {
    destination: split.destination ?? '',
    command: split.command,
    port: port === undefined ? undefined : parsePort(port),
    user: firstLogin(split.options.slice(0, split.optionsBeforeDestination)) ??
      (splitDestination(split.destination ?? '').user === undefined ? first(parsed.l) : undefined),
    identityFiles: (parsed.i ?? []).map(String),
    configFile: last(parsed.F),
    options: (parsed.o ?? []).map(String),
    verbose: parsed.v,
    quiet: parsed.q === true,
    forceTty: parsed.t,
    disableTty: parsed.T === true,
    noCommand: parsed.N === true,
    stdinNull: parsed.n === true || parsed.f === true,
    fork: parsed.f === true,
    // Each -e is checked as ssh reads it; the last one counts.
    escapeChar: parsed.e?.map((e) => parseEscapeChar(String(e))).at(-1),
    // ssh: a later -c or -m replaces an earlier one.
    cipherSpec: last(parsed.c),
    macSpec: last(parsed.m),
    compression: parsed.C === true,
    query,
  };
}

/** `user@host` splits at the last '@', as ssh does. */
export function splitDestination(destination: string): { user: string | undefined; host: string } {
  const at = destination.lastIndexOf('@');
  if (at < 0) return { user: undefined, host: destination };
  return { user: destination.slice(0, at), host: destination.slice(at + 1) };
}
