// tsshd: the listener daemon. Reads the server configuration, binds every ListenAddress/Port (or takes over
// sockets from systemd or from the listener it replaces) and hands each connection to its own tsshd-session
// worker. Flags follow sshd's.
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { formatSshdConfig } from '@tssh/ssh-protocol/config';
import { daemonArgs, parseTsshdArgs, USAGE, UsageError } from './command-line.js';
import type { TsshdArgs } from './command-line.js';
import { detach } from './daemon.js';
import { receiveHandover, serversFromFds, takeSystemdListenFds } from './inherited-listeners.js';
import type { ListenerStart } from './listener-service.js';
import { configErrorText, loadAlgorithmCatalog, loadListenConfig } from './listen-config.js';
import type { ListenConfig } from './listen-config.js';
import { effectiveLogLevel, ListenerService } from './listener-service.js';
import { createServerLogger, logDestination } from './log.js';
import type { ServerLogger } from './log.js';
import { loginScopeNotice } from './privileges.js';

const SELF = fileURLToPath(new URL('../bin/tsshd.js', import.meta.url));

/** Runs tsshd. Resolves with an exit status, or with undefined while the listener keeps serving. */
async function main(argv: readonly string[]): Promise<number | undefined> {
  const systemdFds = takeSystemdListenFds();
  let args: TsshdArgs;
  try {
    args = parseTsshdArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`tsshd: ${err.message}\n${USAGE}\n`);
    return 1;
  }
  let config: ListenConfig;
  try {
    config = loadListenConfig(args, await loadAlgorithmCatalog());
  } catch (err) {
    const text = configErrorText(err);
    if (text === undefined) throw err;
    process.stderr.write(`${text}\n`);
    return 1;
  }
  if (args.printConfig) {
    process.stdout.write(formatSshdConfig(config.sshd, await loadAlgorithmCatalog()));
    return 0;
  }
  if (args.test) {
    const notice = loginScopeNotice(userInfo().username);
    if (notice) process.stdout.write(`${notice}\n`);
    return 0;
  }
  let log: ServerLogger;
  try {
    log = createServerLogger({
      program: 'tsshd',
      level: effectiveLogLevel(args, config),
      // In the foreground (-D) lines go to stderr; a daemon (and its detached copy, and their successors) uses syslog.
      destination: logDestination({ ...args, foreground: args.foreground && !args.daemon }, config.syslogFacility),
      format: config.logFormat,
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  if (!args.foreground) return detach(SELF, (fd) => daemonArgs(args, fd), log.fd);
  const how: ListenerStart = { script: SELF };
  try {
    if (systemdFds.length > 0) how.systemd = await serversFromFds(systemdFds);
    if (args.handover) how.handover = await receiveHandover();
  } catch (err) {
    log.fatal(`Cannot take over the listening sockets: ${(err as Error).message}`);
    return 1;
  }
  const service = new ListenerService(args, config, log, how);
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
