// tssh-keygen: create and inspect SSH keys and known_hosts files, with OpenSSH ssh-keygen's flags and output.
// Each mode lives in its own module, loaded only when chosen, so that the program starts quickly.
import { HELP, USAGE, UsageError, parseKeygenArgs, type KeygenArgs } from './command-line.js';
import { FatalError, strerror } from './fatal.js';
import { createKeygenLog, type KeygenLog } from './log.js';
import { defaultIdentityFile } from './paths.js';

async function run(args: KeygenArgs, log: KeygenLog): Promise<number> {
  switch (args.mode) {
    case 'generate': {
      const { generateKey } = await import('./generate.js');
      await generateKey(args);
      return 0;
    }
    case 'fingerprint': {
      const { fingerprintFile } = await import('./fingerprint-file.js');
      await fingerprintFile(args.file ?? defaultIdentityFile(), {
        hash: args.fingerprintHash,
        verbose: args.verbose > 0,
        log,
      });
      return 0;
    }
    case 'print-public': {
      const { printPublicKey } = await import('./print-public.js');
      await printPublicKey(args.file ?? defaultIdentityFile(), args.passphrase);
      return 0;
    }
    case 'change-passphrase': {
      const { changePassphrase } = await import('./change-passphrase.js');
      await changePassphrase(args);
      return 0;
    }
    case 'host-keys': {
      const { DEFAULT_HOST_KEYS, ensureHostKeys } = await import('./host-keys.js');
      const keys = DEFAULT_HOST_KEYS.map((k) => ({ type: k.type, path: `${args.file ?? ''}${k.path}` }));
      try {
        const created = await ensureHostKeys(keys);
        if (created.length > 0) {
          process.stdout.write(`tssh-keygen: generating new host keys: ${created.map((k) => `${k.label} `).join('')}\n`);
        }
      } catch (e) {
        throw new FatalError(`Could not save your private key in ${keys.map((k) => k.path).join(', ')}: ${strerror(e)}`);
      }
      return 0;
    }
    case 'find-host': {
      const { findHost } = await import('./known-hosts-commands.js');
      const found = await findHost(args.host as string, {
        file: args.file,
        quiet: args.quiet,
        log,
        hash: args.hash,
        fingerprints: args.listFingerprints,
        fingerprintHash: args.fingerprintHash,
        verbose: args.verbose > 0,
      });
      return found ? 0 : 1;
    }
    case 'remove-host': {
      const { removeHost } = await import('./known-hosts-commands.js');
      await removeHost(args.host as string, { file: args.file, quiet: args.quiet, log });
      return 0;
    }
    case 'hash-hosts': {
      const { hashHosts } = await import('./known-hosts-commands.js');
      await hashHosts({ file: args.file, quiet: args.quiet, log });
      return 0;
    }
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let args: KeygenArgs | 'help';
  try {
    args = parseKeygenArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`tssh-keygen: ${e.message}\n${USAGE}\n`);
    return 1;
  }
  if (args === 'help') {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const log = createKeygenLog(args.verbose);
  try {
    return await run(args, log);
  } catch (e) {
    if (!(e instanceof FatalError)) {
      // Anything unforeseen (a file operation failing midway, say) is still one line, not a stack trace.
      await log.error(`tssh-keygen: ${e instanceof Error ? e.message : String(e)}`);
      await log.debug(e instanceof Error ? (e.stack ?? '') : '');
      return 1;
    }
    if (e.message !== '') await log.error(e.message);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
