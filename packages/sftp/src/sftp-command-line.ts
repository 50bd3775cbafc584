// tsftp's command line, with OpenSSH sftp's flags. Options come before the destination (BSD getopt stops at the
// first operand, as in sftp).
import yargs from 'yargs';
import { readOptionGroup } from '@tssh/ssh/dist/option-group.js';
import { parseSftpDestination, type RemoteOperand } from './remote-operand.js';
import { parsePort, type SshOptions } from './ssh-options.js';

export interface TsftpArgs {
  remote: RemoteOperand;
  ssh: SshOptions;
  /** -b FILE ("-" for stdin). */
  batchFile: string | undefined;
  /** -r, -p, -a, -f: as if given to every get and put. */
  recursive: boolean;
  preserve: boolean;
  resume: boolean;
  fsync: boolean;
  /** -B, -R */
  bufferSize: number | undefined;
  requests: number | undefined;
  /** -q */
  quiet: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const SFTP_USAGE =
  'usage: tsftp [-46aCfpqrv] [-B buffer_size] [-b batchfile] [-c cipher]\n' +
  '          [-F ssh_config] [-i identity_file] [-o ssh_option] [-P port]\n' +
  '          [-R num_requests] destination';

const WITH_ARGUMENT = new Set(['B', 'b', 'c', 'F', 'i', 'o', 'P', 'R']);
const FLAGS = new Set(['4', '6', 'a', 'C', 'f', 'p', 'q', 'r', 'v']);

/** getopt(3) up to the first operand: one token per option, then the operands. */
export function splitOptions(argv: readonly string[], withArgument: ReadonlySet<string>, flags: ReadonlySet<string>): { options: string[]; operands: string[] } {
  const options: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i];
    if (arg === '--') return { options, operands: argv.slice(i + 1) };
    if (arg === '--help') {
      options.push(arg);
      i++;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    i = readOptionGroup(arg, argv, i + 1, { withArgument, flags }, options, (m) => new UsageError(m));
  }
  return { options, operands: argv.slice(i) };
}

const last = (v: string[] | undefined): string | undefined => (v === undefined ? undefined : v[v.length - 1]);

function positive(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]+$/.test(text) || Number(text) < 1) throw new UsageError(`Invalid ${what}: ${text}`);
  return Number(text);
}

/** Options common to yargs setups of tsftp and tscp. */
export function baseParser(argv: string[], script: string, usage: string) {
  return yargs(argv)
    .scriptName(script)
    .usage(usage)
    .parserConfiguration({
      'camel-case-expansion': false,
      'boolean-negation': false,
      'dot-notation': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'short-option-groups': false,
    })
    .option('4', { type: 'boolean', describe: 'Use IPv4 addresses only' })
    .option('6', { type: 'boolean', describe: 'Use IPv6 addresses only' })
    .option('C', { type: 'boolean', describe: 'Ask for compression' })
    .option('c', { type: 'string', array: true, nargs: 1, describe: 'Cipher for the connection (passed as -o Ciphers=)' })
    .option('F', { type: 'string', array: true, nargs: 1, describe: 'Per-user ssh configuration file, as for tssh' })
    .option('i', { type: 'string', array: true, nargs: 1, describe: 'Identity (private key) file; repeatable' })
    .option('o', { type: 'string', array: true, nargs: 1, describe: 'Option as in ssh_config (KEY=VALUE); repeatable' })
    .option('P', { type: 'string', array: true, nargs: 1, describe: 'Port to connect to on the remote host' })
    .option('p', { type: 'boolean', describe: 'Preserve modification times, access times and modes' })
    .option('q', { type: 'boolean', describe: 'Quiet: no progress meter, no warnings from the connection' })
    .option('r', { type: 'boolean', describe: 'Copy whole directories recursively' })
    .option('v', { type: 'count', describe: 'Verbose: debug messages of the connection; repeat for more' })
    .strict()
    .version(false)
    .help('help')
    .wrap(null)
    .fail((message, err) => {
      throw new UsageError(err?.message ?? message);
    });
}

/** The -o options that -c, -4, -6 and -C stand for, after the user's own. */
export function derivedOptions(parsed: { c?: string[]; '4'?: boolean; '6'?: boolean; C?: boolean; o?: string[] }): string[] {
  const out = (parsed.o ?? []).map(String);
  const cipher = last(parsed.c);
  if (cipher !== undefined) out.push(`Ciphers=${cipher}`);
  if (parsed['4']) out.push('AddressFamily=inet');
  if (parsed['6']) out.push('AddressFamily=inet6');
  if (parsed.C) out.push('Compression=yes');
  return out;
}

export function portOption(values: string[] | undefined): number | undefined {
  const text = last(values);
  if (text === undefined) return undefined;
  const port = parsePort(text);
  if (port === undefined) throw new UsageError(`Bad port '${text}'`);
  return port;
}

export function parseTsftpArgs(argv: readonly string[]): TsftpArgs {
  const split = splitOptions(argv, WITH_ARGUMENT, FLAGS);
  const parsed = baseParser(split.options, 'tsftp', `${SFTP_USAGE}\n\nTransfer files over SFTP, interactively or from a batch file.`)
    .option('a', { type: 'boolean', describe: 'Resume partial transfers (as reget and reput)' })
    .option('B', { type: 'string', array: true, nargs: 1, describe: 'Bytes per read or write request (default: the server limit, or 32768)' })
    .option('b', { type: 'string', array: true, nargs: 1, describe: 'Batch file of commands ("-" for stdin); a failing command ends it' })
    .option('f', { type: 'boolean', describe: 'fsync each file after a transfer' })
    .option('R', { type: 'string', array: true, nargs: 1, describe: 'Requests in flight at once (default 64)' })
    .parseSync();
  if (split.operands.length !== 1) throw new UsageError(split.operands.length === 0 ? 'no destination given' : 'too many arguments');
  const batchFile = last(parsed.b);
  const options = derivedOptions(parsed);
  // sftp -b sets BatchMode: nobody is there to answer a question.
  if (batchFile !== undefined) options.push('BatchMode=yes');
  return {
    remote: parseSftpDestination(split.operands[0]),
    ssh: {
      port: portOption(parsed.P),
      configFile: last(parsed.F),
      identityFiles: (parsed.i ?? []).map(String),
      options,
      verbose: parsed.v,
      quiet: parsed.q === true,
    },
    batchFile,
    recursive: parsed.r === true,
    preserve: parsed.p === true,
    resume: parsed.a === true,
    fsync: parsed.f === true,
    bufferSize: positive(last(parsed.B), 'buffer size'),
    requests: positive(last(parsed.R), 'number of requests'),
    quiet: parsed.q === true || batchFile !== undefined,
  };
}
