// The running listener: binds (or takes over) its sockets, admits connections and hands each to a worker,
// reloads on SIGHUP, restarts on SIGUSR2 and stops on SIGTERM/SIGINT. Workers run in their own sessions: a reload,
// a restart or a stop leaves every established connection alone.
import type { Server, Socket } from 'node:net';
import { constants } from 'node:os';
import { Admission, REFUSAL_NOTICE } from './admission.js';
import type { ConnectionAddresses } from './admission.js';
import { ChildTable } from './children.js';
import type { ChildInfo } from './children.js';
import type { TsshdArgs } from './command-line.js';
import { successorArgs, workerArgs } from './command-line.js';
import { notifyReady, removePidFile, writePidFile } from './daemon.js';
import type { WorkerEndCause } from './exit-status.js';
import { GraceTimers } from './grace-timers.js';
import type { Handover } from './inherited-listeners.js';
import { reportHandoverReady } from './inherited-listeners.js';
import type { ListenConfig } from './listen-config.js';
import { configErrorText, DEFAULT_SESSION_PATH, loadAlgorithmCatalog, loadListenConfig } from './listen-config.js';
import { Listener } from './listener.js';
import type { ServerLogger, ServerLogLevel } from './log.js';
import { PenaltyBox } from './penalty-box.js';
import { startSuccessor } from './restart.js';
import type { WorkerCommand } from './worker-spawn.js';
import { displayAddress, isOwnWorker, WorkerLauncher } from './worker-spawn.js';
import { pooledWorkerEntry } from './worker-entry.js';
import { WORKER_NODE_OPTIONS, workerEnvDefaults } from './worker-tuning.js';

const DEBUG_LEVELS: readonly ServerLogLevel[] = ['DEBUG1', 'DEBUG2', 'DEBUG3'];

/** The log level in force: -d wins over LogLevel from the configuration. */
export function effectiveLogLevel(args: TsshdArgs, config: ListenConfig): ServerLogLevel {
  return args.debug > 0 ? DEBUG_LEVELS[args.debug - 1] : config.logLevel;
}

export interface ListenerStart {
  /** Sockets from the listener this one replaces. */
  handover?: Handover;
  /** Sockets from systemd socket activation. */
  systemd?: Server[];
  /** bin/tsshd.js, to start a successor on restart. */
  script: string;
}

export class ListenerService {
  #config: ListenConfig;
  #pidFile: string | undefined;
  #reloads: Promise<void> = Promise.resolve();
  #stopping = false;
  readonly #children: ChildTable;
  readonly #launcher: WorkerLauncher;
  readonly #listener: Listener;
  readonly #penalties: PenaltyBox;
  readonly #admission: Admission;
  readonly #grace: GraceTimers;

  constructor(
    private readonly args: TsshdArgs,
    config: ListenConfig,
    private readonly log: ServerLogger,
    private readonly how: ListenerStart,
  ) {
    this.#config = config;
    this.#children = new ChildTable(log);
    this.#penalties = new PenaltyBox(config.penalties, log);
    this.#admission = new Admission(config.admission, this.#penalties, log);
    this.#grace = new GraceTimers(log, (info) => this.graceExpired(info));
    this.#launcher = new WorkerLauncher(log, this.#children, this.workerCommand(config), {
      authenticated: (info) => this.settle(info.admissionId),
      ended: (id, info, cause) => this.workerEnded(id, info, cause),
    });
    this.#listener = new Listener(log, (socket) => this.onConnection(socket));
  }

  /** Binds and starts serving. Returns false (after logging why) when no address could be bound. */
  async start(): Promise<boolean> {
    // Signals first: a SIGHUP that arrives while we bind must reload, never kill us by its default action.
    process.on('SIGHUP', () => void this.requestReload());
    process.on('SIGUSR2', () => void this.requestRestart());
    process.on('SIGTERM', () => void this.stop('SIGTERM'));
    process.on('SIGINT', () => void this.stop('SIGINT'));
    if (this.how.systemd) this.#listener.serveFixed(this.how.systemd);
    if (this.how.handover) {
      this.#listener.adopt(this.how.handover.servers);
      this.#penalties.import(this.how.handover.penalties);
    }
    const bound = this.#listener.update(this.#config.endpoints);
    this.#reloads = bound.then(() => undefined, () => undefined); // a reload waits for the first binds
    if ((await bound) === 0) {
      this.log.fatal('Cannot bind any address.');
      return false;
    }
    this.#launcher.start();
    // sshd writes its pid file unless debugging, whether or not it detached.
    if (this.args.debug === 0) this.setPidFile(this.#config.pidFile);
    if (this.args.notifyFd !== undefined) notifyReady(this.args.notifyFd);
    if (this.args.handover) reportHandoverReady();
    return true;
  }

  private onConnection(socket: Socket): void {
    socket.on('error', (err) => this.log.debug(`connection socket: ${err.message}`));
    if (socket.remoteAddress === undefined || socket.remotePort === undefined) {
      socket.destroy(); // reset before we got to it
      return;
    }
    const c: ConnectionAddresses = {
      peerAddress: displayAddress(socket.remoteAddress),
      peerPort: socket.remotePort,
      localAddress: displayAddress(socket.localAddress ?? '?'),
      localPort: socket.localPort ?? 0,
    };
    this.log.verbose(`Connection from ${c.peerAddress} port ${c.peerPort} on ${c.localAddress} port ${c.localPort}`, { ...c });
    const decision = this.#admission.admit(c);
    if (!decision.admitted) {
      // Best effort, as sshd: one line for the client, then the connection is closed.
      socket.end(REFUSAL_NOTICE);
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    this.#launcher.launch(socket, c, decision.id);
    if (this.#config.loginGraceTime > 0) this.#grace.start(decision.id, this.#config.loginGraceTime);
  }

  private settle(admissionId: number): void {
    this.#admission.settled(admissionId);
    this.#grace.clear(admissionId);
  }

  private workerEnded(admissionId: number, info: ChildInfo | undefined, cause: WorkerEndCause | undefined): void {
    this.settle(admissionId);
    if (!info || cause === undefined) return;
    switch (cause) {
      case 'normal':
      case 'killed':
        return;
      case 'crash':
      case 'authfail':
      case 'invaliduser':
      case 'noauth':
      case 'grace-exceeded':
      case 'refuseconnection':
        // Only what happened before authentication counts against the source, except a crash.
        if (!info.authenticated || cause === 'crash') this.#penalties.penalise(info.peerAddress, cause);
        return;
      default:
        return assertNever(cause);
    }
  }

  /** LoginGraceTime passed and the worker never reported its user in. */
  private graceExpired(admissionId: number): void {
    const info = this.#children.list().find((c) => c.admissionId === admissionId);
    if (!info) {
      this.#admission.settled(admissionId);
      return;
    }
    if (!info.linked) {
      // A program that cannot report authentication is taken for authenticated once the grace time is over.
      this.#admission.settled(admissionId);
      return;
    }
    info.timedOut = true;
    this.log.info(`Timeout before authentication for connection from ${info.peerAddress} to ${info.localAddress}, pid = ${info.pid}`, {
      worker: info.pid,
      peerAddress: info.peerAddress,
    });
    try {
      process.kill(info.pid, 'SIGKILL');
    } catch {
      // it ended meanwhile; its exit settles it
    }
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
      next = loadListenConfig(this.args, await loadAlgorithmCatalog());
    } catch (err) {
      this.log.error(configErrorText(err) ?? `Cannot read ${this.args.configFile}: ${(err as Error).message}`);
      this.log.error('Configuration not reloaded; still serving with the previous one.');
      return;
    }
    this.#config = next;
    this.log.setLevel(effectiveLogLevel(this.args, next));
    this.#admission.configure(next.admission);
    this.#penalties.configure(next.penalties);
    this.#launcher.setCommand(this.workerCommand(next));
    if ((await this.#listener.update(next.endpoints)) === 0) {
      this.log.fatal('Cannot bind any address.');
      await this.exit(1);
    }
    if (this.args.debug === 0 && next.pidFile !== this.#pidFile) this.setPidFile(next.pidFile);
  }

  /** SIGUSR2: hand the sockets to a new listener; exit once it serves, or keep serving if it fails. */
  requestRestart(): Promise<void> {
    this.#reloads = this.#reloads.then(() => this.restart()).catch((err: unknown) => {
      this.log.error(`Restart failed: ${err instanceof Error ? err.message : String(err)}; still serving.`);
    });
    return this.#reloads;
  }

  private async restart(): Promise<void> {
    if (this.#stopping) return;
    this.log.info('Received SIGUSR2; restarting.');
    try {
      loadListenConfig(this.args, await loadAlgorithmCatalog());
    } catch (err) {
      this.log.error(configErrorText(err) ?? `Cannot read ${this.args.configFile}: ${(err as Error).message}`);
      this.log.error('Restart failed: the configuration is invalid; still serving.');
      return;
    }
    const pid = await startSuccessor({
      script: this.how.script,
      args: successorArgs(this.args),
      stderr: this.log.fd,
      servers: this.#listener.servers(),
      penalties: this.#penalties.export(),
      log: this.log,
    });
    if (pid === undefined) return;
    this.log.info(`New listener ${pid} serves; this one (${process.pid}) exits.`, { successor: pid });
    await this.leave(0);
  }

  /** Closes the listening sockets and exits: 0 for SIGTERM, 255 otherwise, as sshd does. */
  async stop(signal: NodeJS.Signals): Promise<void> {
    this.log.info(`Received signal ${constants.signals[signal]}; terminating.`, { signal });
    await this.leave(signal === 'SIGTERM' ? 0 : 255);
  }

  /** Stops accepting, lets the connections already accepted reach their workers, and exits. */
  private async leave(code: number): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#listener.close();
    this.#grace.close();
    await this.#launcher.close();
    await this.exit(code);
  }

  private async exit(code: number): Promise<never> {
    if (this.#pidFile !== undefined) removePidFile(this.#pidFile);
    await this.log.close();
    process.exit(code);
  }

  private setPidFile(path: string | undefined): void {
    if (this.#pidFile !== undefined) removePidFile(this.#pidFile);
    this.#pidFile = path !== undefined && writePidFile(path, this.log) ? path : undefined;
  }

  private workerCommand(config: ListenConfig): WorkerCommand {
    const pooled = isOwnWorker(config.sessionPath, DEFAULT_SESSION_PATH);
    return {
      path: pooled ? pooledWorkerEntry(config.sessionPath) : config.sessionPath,
      args: workerArgs(this.args),
      stderr: this.log.fd,
      env: pooled ? { ...workerEnvDefaults(), ...this.log.childEnv } : this.log.childEnv,
      nodeOptions: pooled ? WORKER_NODE_OPTIONS : [],
      pooled,
    };
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected value ${JSON.stringify(x)}`);
}
