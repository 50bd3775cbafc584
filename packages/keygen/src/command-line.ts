// tssh-keygen's command line: ssh-keygen's letters, read the way getopt(3) reads them.
import yargs from 'yargs';

export type KeygenMode =
  | 'generate'
  | 'fingerprint'
  | 'print-public'
  | 'change-passphrase'
  | 'host-keys'
  | 'find-host'
  | 'remove-host'
  | 'hash-hosts';

export interface KeygenArgs {
  mode: KeygenMode;
  /** -t */
  type: string | undefined;
  /** -b: key size in bits. */
  bits: number | undefined;
  /** -f */
  file: string | undefined;
  /** -N: the new passphrase ('' for none). */
  newPassphrase: string | undefined;
  /** -P: the current passphrase. */
  passphrase: string | undefined;
  /** -C */
  comment: string | undefined;
  /** -a: KDF rounds. */
  rounds: number | undefined;
  /** -Z: cipher for the private key file. */
  cipher: string | undefined;
  /** -E: sha256 or md5. */
  fingerprintHash: 'sha256' | 'md5';
  /** -F / -R: the host to find or remove. */
  host: string | undefined;
  /** -H (with -F: print found lines hashed). */
  hash: boolean;
  /** -l (with -F: print fingerprints of found keys). */
  listFingerprints: boolean;
  quiet: boolean;
  /** How many -v. */
  verbose: number;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

// ssh-keygen's getopt letters that we implement; those in TAKES_ARGUMENT take a value.
const TAKES_ARGUMENT = new Set(['C', 'E', 'F', 'N', 'P', 'R', 'Z', 'a', 'b', 'f', 't']);
const FLAGS = new Set(['A', 'H', 'l', 'p', 'q', 'v', 'y']);

export const USAGE = `usage: tssh-keygen [-q] [-a rounds] [-b bits] [-C comment] [-f output_keyfile]
                   [-N new_passphrase] [-t ecdsa | ed25519 | rsa] [-Z cipher]
       tssh-keygen -p [-a rounds] [-f keyfile] [-N new_passphrase]
                   [-P old_passphrase] [-Z cipher]
       tssh-keygen -l [-v] [-E fingerprint_hash] [-f input_keyfile]
       tssh-keygen -y [-P passphrase] [-f input_keyfile]
       tssh-keygen -A [-a rounds] [-f prefix_path]
       tssh-keygen -F hostname [-lv] [-f known_hosts_file]
       tssh-keygen -H [-f known_hosts_file]
       tssh-keygen -R hostname [-f known_hosts_file]`;

/**
 * getopt-style groups to one token per option: `-lf key` is `-l -f key`, `-N''` and `-Nsecret` take the rest of
 * the group, and a value is passed as `--X=value` so that yargs never reads a value starting with `-` as a flag.
 */
export function splitShortOptions(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (!/^-[^-]/.test(arg)) {
      out.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j];
      if (TAKES_ARGUMENT.has(letter)) {
        if (j + 1 < arg.length) out.push(`--${letter}=${arg.slice(j + 1)}`);
        else if (i + 1 < argv.length) out.push(`--${letter}=${argv[++i]}`);
        else throw new UsageError(`option requires an argument -- ${letter}`);
        break;
      }
      if (!FLAGS.has(letter)) throw new UsageError(`unknown option -- ${letter}`);
      out.push(`-${letter}`);
    }
  }
  return out;
}

function chooseMode(a: { A?: boolean; l?: boolean; p?: boolean; y?: boolean; F?: string; R?: string; H?: boolean }): KeygenMode {
  const modes: KeygenMode[] = [];
  if (a.F !== undefined) modes.push('find-host');
  if (a.R !== undefined) modes.push('remove-host');
  if (a.H && a.F === undefined) modes.push('hash-hosts');
  if (a.l && a.F === undefined) modes.push('fingerprint');
  if (a.y) modes.push('print-public');
  if (a.p) modes.push('change-passphrase');
  if (a.A) modes.push('host-keys');
  if (modes.length > 1) throw new UsageError('conflicting options');
  return modes[0] ?? 'generate';
}

/** Parse tssh-keygen's arguments (without node and the script). Throws UsageError. */
export function parseKeygenArgs(argv: readonly string[]): KeygenArgs | 'help' {
  if (argv.includes('--help')) return 'help';
  const parsed = yargs(splitShortOptions(argv))
    .parserConfiguration({
      'camel-case-expansion': false,
      'short-option-groups': false,
      'duplicate-arguments-array': false,
      'strip-aliased': true,
    })
    .option('A', { type: 'boolean' })
    .option('H', { type: 'boolean' })
    .option('l', { type: 'boolean' })
    .option('p', { type: 'boolean' })
    .option('q', { type: 'boolean' })
    .option('y', { type: 'boolean' })
    .option('v', { type: 'count' })
    .option('C', { type: 'string' })
    .option('E', { type: 'string' })
    .option('F', { type: 'string' })
    .option('N', { type: 'string' })
    .option('P', { type: 'string' })
    .option('R', { type: 'string' })
    .option('Z', { type: 'string' })
    .option('a', { type: 'string' })
    .option('b', { type: 'string' })
    .option('f', { type: 'string' })
    .option('t', { type: 'string' })
    .strict()
    .help(false)
    .version(false)
    .exitProcess(false)
    .fail((msg) => {
      throw new UsageError(msg);
    })
    .parseSync();
  if (parsed._.length > 0) throw new UsageError(`unexpected argument ${String(parsed._[0])}`);

  const hashName = (parsed.E ?? 'sha256').toLowerCase();
  if (hashName !== 'sha256' && hashName !== 'md5') throw new UsageError(`Invalid hash algorithm "${parsed.E}"`);
  let rounds: number | undefined;
  if (parsed.a !== undefined) {
    if (!/^\d+$/.test(parsed.a) || Number(parsed.a) < 1 || Number(parsed.a) > 0x7fffffff) {
      throw new UsageError(`Invalid number: ${parsed.a}`);
    }
    rounds = Number(parsed.a);
  }
  // ssh-keygen's strtonum(optarg, 1, UINT32_MAX): 'Bits has bad value %s (%s)'.
  let bits: number | undefined;
  if (parsed.b !== undefined) {
    if (!/^\d+$/.test(parsed.b)) throw new UsageError(`Bits has bad value ${parsed.b} (invalid)`);
    bits = Number(parsed.b);
    if (bits < 1) throw new UsageError(`Bits has bad value ${parsed.b} (too small)`);
    if (bits > 0xffffffff) throw new UsageError(`Bits has bad value ${parsed.b} (too large)`);
  }
  return {
    mode: chooseMode(parsed),
    type: parsed.t,
    bits,
    file: parsed.f,
    newPassphrase: parsed.N,
    passphrase: parsed.P,
    comment: parsed.C,
    rounds,
    cipher: parsed.Z,
    fingerprintHash: hashName,
    host: parsed.F ?? parsed.R,
    hash: parsed.H === true,
    listFingerprints: parsed.l === true,
    quiet: parsed.q === true,
    verbose: parsed.v ?? 0,
  };
}

export const HELP = `${USAGE}

Generate, inspect and convert SSH keys, and manage known_hosts files, like OpenSSH's ssh-keygen.

  (no mode)     generate a key pair (default type ed25519, file ~/.ssh/id_<type>)
  -A            create missing host keys /etc/tssh/ssh_host_{rsa,ecdsa,ed25519}_key (under the -f prefix if given)
  -l            print the fingerprint of a key file, or of each key in an authorized_keys or known_hosts file
  -y            print the public key of a private key file
  -p            change the passphrase of a private key file (-P old, -N new; the file is rewritten as openssh-key-v1)
  -F hostname   find hostname in a known_hosts file (with -H, print the found lines hashed)
  -R hostname   remove hostname's keys from a known_hosts file (the old file is kept as FILE.old)
  -H            hash the host names of a known_hosts file (the old file is kept as FILE.old)

  -a rounds     bcrypt KDF rounds for encrypted keys (default 16)
  -b bits       key size: rsa 1024 to 16384 (default 3072), ecdsa 256, 384 or 521 (default 256); ignored for ed25519
  -C comment    comment (default user@hostname)
  -E hash       fingerprint hash: sha256 (default) or md5
  -f file       key file, known_hosts file, or with -A a path prefix
  -N phrase     new passphrase ('' for none); without -N a terminal is asked, twice
  -P phrase     current passphrase of an encrypted key
  -q            quiet
  -t type       key type: ecdsa, ed25519 or rsa
  -v            verbose: with -l, also print the randomart picture
  -Z cipher     cipher for encrypted keys (default aes256-ctr; also aes128-ctr, aes192-ctr, aes256-cbc, ...)
  --help        print this help`;
