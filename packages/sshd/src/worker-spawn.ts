// Hands one accepted connection to a new tsshd-session worker: the socket becomes the worker's fd 0 and fd 1
// (as with `sshd -i`), the worker runs detached in its own session, and the listener closes its own copy.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import type { ChildTable } from './children.js';
import type { ServerLogger } from './log.js';

export interface WorkerCommand {
  /** The worker program: a .js/.mjs/.cjs file runs under this Node, anything else is executed directly. */
  path: string;
  /** Arguments after the program, e.g. `-i -f /etc/tssh/sshd_config -o LogLevel=DEBUG1`. */
  args: readonly string[];
  /** The worker's fd 2: the listener's log descriptor, so that a worker's crash report lands in the same log. */
  stderr: number | 'inherit' | 'ignore';
}

/** The executable and argv that run a worker program. */
export function workerArgv(command: WorkerCommand): { file: string; argv: string[] } {
  if (/\.[cm]?js$/.test(command.path)) return { file: process.execPath, argv: [command.path, ...command.args] };
  return { file: command.path, argv: [...command.args] };
}

/** `::ffff:10.0.0.1` is logged as `10.0.0.1`, as OpenSSH does for v4-mapped peers. */
export function displayAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

export class WorkerLauncher {
  #command: WorkerCommand;

  constructor(
    private readonly log: ServerLogger,
    private readonly children: ChildTable,
    command: WorkerCommand,
  ) {
    this.#command = command;
  }

  get command(): WorkerCommand {
    return this.#command;
  }

  /** Takes effect for the next connection; running workers are never touched. */
  setCommand(command: WorkerCommand): void {
    this.#command = command;
  }

  /** Spawns a worker for a connection accepted with `pauseOnConnect`; the listener never reads from it. */
  launch(socket: Socket): void {
    socket.on('error', (err) => this.log.debug(`connection socket: ${err.message}`));
    if (socket.remoteAddress === undefined || socket.remotePort === undefined) {
      socket.destroy(); // reset before we got to it
      return;
    }
    const peerAddress = displayAddress(socket.remoteAddress);
    const peerPort = socket.remotePort;
    const localAddress = displayAddress(socket.localAddress ?? '?');
    const localPort = socket.localPort ?? 0;
    this.log.verbose(`Connection from ${peerAddress} port ${peerPort} on ${localAddress} port ${localPort}`, {
      peerAddress,
      peerPort,
      localAddress,
      localPort,
    });
    const command = this.#command;
    const { file, argv } = workerArgv(command);
    let child: ChildProcess;
    try {
      child = spawn(file, argv, { stdio: [socket, socket, command.stderr], detached: true });
    } catch (err) {
      this.spawnFailed(command, err as Error, peerAddress, peerPort);
      socket.destroy();
      return;
    }
    // The worker holds its own duplicates of the descriptor now; closing ours does not end the connection.
    socket.destroy();
    child.on('error', (err) => this.spawnFailed(command, err, peerAddress, peerPort));
    const pid = child.pid;
    if (pid === undefined) return; // the 'error' event reports why
    this.children.started(pid, peerAddress, peerPort);
    this.log.debug(`Forked child ${pid}.`, { pid, peerAddress, peerPort });
    child.on('exit', (code, signal) => this.children.ended(pid, code, signal));
    child.unref(); // the listener's exit never waits for a session
  }

  private spawnFailed(command: WorkerCommand, err: Error, peerAddress: string, peerPort: number): void {
    this.log.error(`Cannot start worker ${command.path} for ${peerAddress} port ${peerPort}: ${err.message}`, {
      path: command.path,
      peerAddress,
      peerPort,
    });
  }
}
