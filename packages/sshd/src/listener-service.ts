// The running listener: binds, hands connections to workers, reloads on SIGHUP and stops on SIGTERM/SIGINT.
// Workers run in their own sessions and are never signalled from here: a reload or stop leaves every
// established connection alone.
import { constants } from 'node:os';
import { ChildTable } from './children.js';
import type { TsshdArgs } from './command-line.js';
import { workerArgs } from './command-line.js';
import { notifyReady, removePidFile, writePidFile } from './daemon.js';
import type { ListenConfig } from './listen-config.js';
import { loadListenConfig, configErrorText } from './listen-config.js';
import { Listener } from './listener.js';
import type { ServerLogger, ServerLogLevel } from './log.js';
import type { WorkerCommand } from './worker-spawn.js';
import { WorkerLauncher } from './worker-spawn.js';

const DEBUG_LEVELS: readonly ServerLogLevel[] = ['DEBUG1', 'DEBUG2', 'DEBUG3'];

/** The log level in force: -d wins over LogLevel from the configuration. */
export function effectiveLogLevel(args: TsshdArgs, config: ListenConfig): ServerLogLevel {
  return args.debug > 0 ? DEBUG_LEVELS[args.debug - 1] : config.logLevel;
}

export class ListenerService {
  #config: ListenConfig;
  #pidFile: string | undefined;
  #reloads: Promise<void> = Promise.resolve();
  readonly #children: ChildTable;
  readonly #launcher: WorkerLauncher;
  readonly #listener: Listener;

  constructor(
    private readonly args: TsshdArgs,
    config: ListenConfig,
    private readonly log: ServerLogger,
  ) {
    this.#config = config;
    this.#children = new ChildTable(log);
    this.#launcher = new WorkerLauncher(log, this.#children, this.workerCommand(config));
    this.#listener = new Listener(log, (socket) => this.#launcher.launch(socket));
  }

  /** Binds and starts serving. Returns false (after logging why) when no address could be bound. */
  async start(): Promise<boolean> {
    // Signals first: a SIGHUP that arrives while we bind must reload, never kill us by its default action.
    process.on('SIGHUP', () => this.requestReload());
    process.on('SIGTERM', () => this.stop('SIGTERM'));
    process.on('SIGINT', () => this.stop('SIGINT'));
    const bound = this.#listener.update(this.#config.endpoints);
    this.#reloads = bound.then(() => undefined, () => undefined); // a reload waits for the first binds
    if ((await bound) === 0) {
      this.log.fatal('Cannot bind any address.');
      return false;
    }
    // sshd writes its pid file unless debugging, whether or not it detached.
    if (this.args.debug === 0) this.setPidFile(this.#config.pidFile);
    if (this.args.notifyFd !== undefined) notifyReady(this.args.notifyFd);
    return true;
  }

  /** Queues a reload so that two quick SIGHUPs never bind concurrently. */
  requestReload(): Promise<void> {
    this.#reloads = this.#reloads
      .then(() => this.reload())
      .catch((err: unknown) => this.log.error(`Reload failed: ${err instanceof Error ? err.message : String(err)}`));
    return this.#reloads;
  }

  private async reload(): Promise<void> {
    this.log.info('Received SIGHUP; reloading configuration.');
    let next: ListenConfig;
    try {
      next = loadListenConfig(this.args);
    } catch (err) {
      this.log.error(configErrorText(err) ?? `Cannot read ${this.args.configFile}: ${(err as Error).message}`);
      this.log.error('Configuration not reloaded; still serving with the previous one.');
      return;
    }
    this.#config = next;
    this.log.setLevel(effectiveLogLevel(this.args, next));
    this.#launcher.setCommand(this.workerCommand(next));
    if ((await this.#listener.update(next.endpoints)) === 0) {
      this.log.fatal('Cannot bind any address.');
      this.exit(1);
    }
    if (this.args.debug === 0 && next.pidFile !== this.#pidFile) this.setPidFile(next.pidFile);
  }

  /** Closes the listening sockets and exits: 0 for SIGTERM, 255 otherwise, as sshd does. */
  stop(signal: NodeJS.Signals): void {
    this.log.info(`Received signal ${constants.signals[signal]}; terminating.`, { signal });
    this.#listener.close();
    this.exit(signal === 'SIGTERM' ? 0 : 255);
  }

  private exit(code: number): never {
    if (this.#pidFile !== undefined) removePidFile(this.#pidFile);
    this.log.close();
    process.exit(code);
  }

  private setPidFile(path: string | undefined): void {
    if (this.#pidFile !== undefined) removePidFile(this.#pidFile);
    this.#pidFile = path !== undefined && writePidFile(path, this.log) ? path : undefined;
  }

  private workerCommand(config: ListenConfig): WorkerCommand {
    return { path: config.sessionPath, args: workerArgs(this.args), stderr: this.log.fd };
  }
}
