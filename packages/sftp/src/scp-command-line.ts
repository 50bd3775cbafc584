// tscp's command line, with OpenSSH scp's flags: sources and a target, each `[user@]host:path`, `scp://...` or a
// local path.
import { baseParser, derivedOptions, portOption, splitOptions, UsageError } from './sftp-command-line.js';
import type { SshOptions } from './ssh-options.js';

export interface TscpArgs {
  sources: string[];
  target: string;
  ssh: SshOptions;
  /** -r, -p, -q */
  recursive: boolean;
  preserve: boolean;
  quiet: boolean;
}

export const SCP_USAGE =
  'usage: tscp [-346BCpqrv] [-c cipher] [-F ssh_config] [-i identity_file]\n' +
  '           [-o ssh_option] [-P port] source ... target';

const WITH_ARGUMENT = new Set(['c', 'F', 'i', 'o', 'P']);
const FLAGS = new Set(['3', '4', '6', 'B', 'C', 'p', 'q', 'r', 'v']);

export function parseTscpArgs(argv: readonly string[]): TscpArgs {
  const split = splitOptions(argv, WITH_ARGUMENT, FLAGS);
  const parsed = baseParser(split.options, 'tscp', `${SCP_USAGE}\n\nCopy files to and from another host over SFTP.`)
    .option('3', { type: 'boolean', describe: 'Copies between two remote hosts go through this host (always the case)' })
    .option('B', { type: 'boolean', describe: 'Batch mode: never ask for passwords or passphrases' })
    .parseSync();
  if (split.operands.length < 2) throw new UsageError('need a source and a target');
  const options = derivedOptions(parsed);
  if (parsed.B) options.push('BatchMode=yes');
  return {
    sources: split.operands.slice(0, -1),
    target: split.operands[split.operands.length - 1],
    ssh: {
      port: portOption(parsed.P),
      configFile: parsed.F === undefined ? undefined : parsed.F[parsed.F.length - 1],
      identityFiles: (parsed.i ?? []).map(String),
      options,
      verbose: parsed.v,
      quiet: parsed.q === true,
    },
    recursive: parsed.r === true,
    preserve: parsed.p === true,
    quiet: parsed.q === true,
  };
}
