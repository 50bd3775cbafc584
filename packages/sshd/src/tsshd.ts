// tsshd: the listener daemon. Reads the server configuration, binds every ListenAddress/Port and starts one
// tsshd-session worker per connection, with the connection as the worker's fd 0/1. Flags follow sshd's.
import { fileURLToPath } from 'node:url';
import { daemonArgs, parseTsshdArgs, UsageError } from './command-line.js';
import type { TsshdArgs } from './command-line.js';
import { detach } from './daemon.js';
import { configErrorText, loadListenConfig } from './listen-config.js';
import type { ListenConfig } from './listen-config.js';
import { effectiveLogLevel, ListenerService } from './listener-service.js';
import { createServerLogger } from './log.js';
import type { ServerLogger } from './log.js';

const SELF = fileURLToPath(new URL('../bin/tsshd.js', import.meta.url));

/** Runs tsshd. Resolves with an exit status, or with undefined while the listener keeps serving. */
async function main(argv: readonly string[]): Promise<number | undefined> {
  let args: TsshdArgs;
  try {
    args = parseTsshdArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`tsshd: ${err.message}\n`);
    process.stderr.write('usage: tsshd [-Ddet] [-E log_file] [-f config_file] [-o option] [-p port]\n');
    return 1;
  }
  let config: ListenConfig;
  try {
    config = loadListenConfig(args);
  } catch (err) {
    const text = configErrorText(err);
    if (text === undefined) throw err;
    process.stderr.write(`${text}\n`);
    return 1;
  }
  if (args.test) return 0;
  let log: ServerLogger;
  try {
    log = createServerLogger({
      program: 'tsshd',
      level: effectiveLogLevel(args, config),
      stderr: args.stderr,
      file: args.logFile,
      format: 'text',
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  if (!args.foreground) return detach(SELF, (fd) => daemonArgs(args, fd), log.fd);
  const service = new ListenerService(args, config, log);
  return (await service.start()) ? undefined : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`tsshd: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
