// Hands one admitted connection to its own tsshd-session worker, detached in its own session; the listener then
// closes its copy of the socket. Our own worker comes from the pool of pre-started workers and gets the socket
// over its IPC channel, on which it later reports its user in. Any other SshdSessionPath program is started
// for the connection with the socket as its fd 0 and fd 1, as with `sshd -i`.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { realpathSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import type { Stream } from 'node:stream';
import type { ConnectionAddresses } from './admission.js';
import type { ChildInfo, ChildTable } from './children.js';
import type { WorkerEndCause } from './exit-status.js';
import type { ServerLogger } from './log.js';
import { isWorkerMessage } from './worker-messages.js';
import type { ListenerMessage } from './worker-messages.js';
import { WorkerPool } from './worker-pool.js';

export interface WorkerCommand {
  /** The worker program: a .js/.mjs/.cjs file runs under this Node, anything else is executed directly. */
  path: string;
  /** Arguments after the program, e.g. `-i -f /etc/tssh/sshd_config -o LogLevel=DEBUG1`. */
  args: readonly string[];
  /** The worker's fd 2: the listener's log descriptor, so that a worker's crash report lands in the same log. */
  stderr: number | Stream | 'inherit' | 'ignore';
  /** Added to the worker's environment (the log's, see ServerLogger.childEnv). */
  env?: Readonly<Record<string, string>>;
  /** Node options for a .js worker (memory limits). */
  nodeOptions?: readonly string[];
  /** True when `path` is our own tsshd-session, which can take its connection over a channel. */
  pooled: boolean;
}

/** The executable and argv that run a worker program. */
export function workerArgv(command: Pick<WorkerCommand, 'path' | 'args' | 'nodeOptions'>): { file: string; argv: string[] } {
  if (/\.[cm]?js$/.test(command.path)) {
    return { file: process.execPath, argv: [...(command.nodeOptions ?? []), command.path, ...command.args] };
  }
  return { file: command.path, argv: [...command.args] };
}

/** The environment a worker starts with. */
export function workerEnv(command: Pick<WorkerCommand, 'env'>): NodeJS.ProcessEnv {
  return { ...process.env, ...command.env };
}

/** Whether `path` is the tsshd-session at `own` (through any symlink). */
export function isOwnWorker(path: string, own: string): boolean {
  try {
    return realpathSync(path) === realpathSync(own);
  } catch {
    return false;
  }
}

function sameCommand(a: WorkerCommand, b: WorkerCommand): boolean {
  const key = (c: WorkerCommand) => JSON.stringify([c.path, c.args, c.nodeOptions, c.env, c.pooled, typeof c.stderr === 'object' ? 'stream' : c.stderr]);
  return key(a) === key(b) && a.stderr === b.stderr;
}

/** `::ffff:10.0.0.1` is logged as `10.0.0.1`, as OpenSSH does for v4-mapped peers. */
export function displayAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

/** How long a listener that is closing waits for a worker to confirm a connection it was handed, at most. */
const HAND_OVER_WAIT_MS = 30_000;

export interface WorkerEvents {
  /** A worker reported its user in. */
  authenticated(info: ChildInfo): void;
  /** A worker ended with `cause`; or no worker could be started for the connection (both undefined). */
  ended(admissionId: number, info?: ChildInfo, cause?: WorkerEndCause): void;
}

/**
 * A socket's TCP handle, which child_process sends as a bare handle ('net.Native'): the receiver gets it unwrapped.
 * Typed as what send() declares it takes.
 */
function bareHandle(socket: Socket): Server {
  return (socket as unknown as { _handle: Server })._handle;
}

export class WorkerLauncher {
  #command: WorkerCommand;
  #pool: WorkerPool | undefined;
  /** Hand-overs whose socket is still on its way to the worker. */
  #sending = new Set<Promise<void>>();

  constructor(
    private readonly log: ServerLogger,
    private readonly children: ChildTable,
    command: WorkerCommand,
    private readonly events: WorkerEvents,
  ) {
    this.#command = command;
  }

  get command(): WorkerCommand {
    return this.#command;
  }

  /** Starts pre-starting workers, when the worker is ours. */
  start(): void {
    this.applyPool();
  }

  /** Takes effect for the next connection; running workers are never touched, idle ones are replaced. */
  setCommand(command: WorkerCommand): void {
    if (sameCommand(command, this.#command)) return; // a reload that changes nothing keeps the ready workers
    this.#command = command;
    if (this.#pool && command.pooled) this.#pool.setCommand(command);
    else this.applyPool();
  }

  /** Stops the idle workers and resolves once every socket handed over has left. */
  async close(): Promise<void> {
    this.#pool?.close();
    this.#pool = undefined;
    await Promise.all(this.#sending);
  }

  /** Gives a connection accepted with `pauseOnConnect` (not a byte read) to a worker of its own. */
  launch(socket: Socket, c: ConnectionAddresses, admissionId: number): void {
    const command = this.#command;
    if (this.#pool) {
      const worker = this.#pool.take();
      if (worker) return this.handOver(worker.child, worker.pid, socket, c, admissionId);
    } else {
      const child = this.spawnDirect(command, socket, c);
      if (child?.pid !== undefined) return this.track(child, child.pid, c, admissionId, false);
    }
    socket.destroy();
    this.events.ended(admissionId);
  }

  private applyPool(): void {
    if (this.#command.pooled && !this.#pool) {
      this.#pool = new WorkerPool(this.log, this.#command);
      this.#pool.start();
    } else if (!this.#command.pooled && this.#pool) {
      this.#pool.close();
      this.#pool = undefined;
    }
  }

  private handOver(child: ChildProcess, pid: number, socket: Socket, c: ConnectionAddresses, admissionId: number): void {
    const message: ListenerMessage = { type: 'connection' };
    // The hand-over is over once the worker says it has the connection (or is gone): a listener that exited as soon
    // as the message was written could take it with it, when the worker was still starting (measured under load in
    // a restart: the worker never saw the message, and the connection closed).
    const sent = new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', done);
        resolve();
      };
      const onMessage = (m: unknown): void => {
        if (isWorkerMessage(m) && m.type === 'accepted') done();
      };
      const timer = setTimeout(done, HAND_OVER_WAIT_MS);
      child.on('message', onMessage);
      child.once('exit', done);
      try {
        // The bare handle, not the socket: the worker wraps it itself, to read it into one reused buffer from the
        // first byte (a socket sent as such is wrapped, and starts reading, before the worker sees it). Our copy
        // of the descriptor is closed once the message has gone; the worker's is its own.
        child.send(message, bareHandle(socket), undefined, (err) => {
          socket.destroy();
          if (!err) return;
          this.log.error(`Cannot hand connection from ${c.peerAddress} port ${c.peerPort} to worker ${pid}: ${err.message}`);
          done();
        });
      } catch (err) {
        this.log.error(`Cannot hand connection from ${c.peerAddress} port ${c.peerPort} to worker ${pid}: ${(err as Error).message}`);
        socket.destroy();
        done();
      }
    });
    this.#sending.add(sent);
    void sent.then(() => this.#sending.delete(sent));
    this.track(child, pid, c, admissionId, true);
  }

  private spawnDirect(command: WorkerCommand, socket: Socket, c: ConnectionAddresses): ChildProcess | undefined {
    const { file, argv } = workerArgv(command);
    let child: ChildProcess;
    try {
      child = spawn(file, argv, { stdio: [socket, socket, command.stderr], detached: true, env: workerEnv(command) });
    } catch (err) {
      this.spawnFailed(command, err as Error, c);
      return undefined;
    }
    // The worker holds its own duplicates of the descriptor now; closing ours does not end the connection.
    socket.destroy();
    child.on('error', (err) => this.spawnFailed(command, err, c));
    return child;
  }

  private track(child: ChildProcess, pid: number, c: ConnectionAddresses, admissionId: number, linked: boolean): void {
    const info = this.children.started({ pid, ...c, linked, admissionId });
    this.log.debug(`Forked child ${pid}.`, { worker: pid, peerAddress: c.peerAddress, peerPort: c.peerPort });
    child.on('message', (m: unknown) => {
      if (!isWorkerMessage(m) || m.type !== 'authenticated') return;
      if (this.children.authenticated(pid, m.user)) this.events.authenticated(info);
    });
    child.on('exit', (code, signal) => {
      const { cause } = this.children.ended(pid, code, signal);
      this.events.ended(admissionId, info, cause);
    });
    child.unref(); // the listener's exit never waits for a session
  }

  private spawnFailed(command: WorkerCommand, err: Error, c: ConnectionAddresses): void {
    this.log.error(`Cannot start worker ${command.path} for ${c.peerAddress} port ${c.peerPort}: ${err.message}`, {
      path: command.path,
      peerAddress: c.peerAddress,
      peerPort: c.peerPort,
    });
  }
}
