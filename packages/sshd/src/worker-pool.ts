// A few tsshd-session workers started ahead of time, each with an IPC channel, so that a new connection does not
// wait for Node to start and load the SSH code. Each takes exactly one connection and is never reused: isolation
// stays one process per connection. A worker reads the configuration only once its connection has arrived.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { ServerLogger } from './log.js';
import { isWorkerMessage } from './worker-messages.js';
import { workerArgv, workerEnv } from './worker-spawn.js';
import type { WorkerCommand } from './worker-spawn.js';

/** Idle workers kept ready when connections come one at a time. */
export const POOL_SIZE = 2;
/** The most idle workers kept when connections come faster than workers start (each costs ~65 MB). */
export const POOL_MAX = 8;
/** A burst is over when no connection found the pool empty for this long; the pool shrinks back. */
const SHRINK_AFTER_MS = 60_000;

/** How long a worker that died before taking a connection holds up its replacement, at most. */
const MAX_BACKOFF_MS = 10_000;

export interface PooledWorker {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Loaded and waiting (it said `ready`). */
  ready: boolean;
}

export class WorkerPool {
  #command: WorkerCommand;
  #idle: PooledWorker[] = [];
  #closed = false;
  #backoffMs = 0;
  #refillTimer: NodeJS.Timeout | undefined;
  #target: number;
  #lastMiss = 0;
  #shrinkTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: ServerLogger,
    command: WorkerCommand,
    private readonly size: number = POOL_SIZE,
    private readonly max: number = POOL_MAX,
  ) {
    this.#command = command;
    this.#target = size;
  }

  get idle(): number {
    return this.#idle.length;
  }

  /** Fills the pool; call once the listener serves. */
  start(): void {
    this.refill();
  }

  /**
   * A worker for one connection: a ready one if there is one, else the oldest starting one, else a new one. A
   * connection that found no ready worker makes the pool keep one more (up to POOL_MAX) until the burst is over.
   */
  take(): PooledWorker | undefined {
    const i = this.#idle.findIndex((w) => w.ready);
    if (i < 0) this.grow();
    const [worker] = this.#idle.splice(i >= 0 ? i : 0, 1);
    const taken = worker ?? this.spawnWorker();
    this.refill();
    return taken;
  }

  /** A new worker command (reload): idle workers of the old one are stopped and replaced. */
  setCommand(command: WorkerCommand): void {
    this.#command = command;
    this.retire();
    this.refill();
  }

  /** Stops the idle workers (they serve nobody) and spawns no more. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#refillTimer);
    clearInterval(this.#shrinkTimer);
    this.retire();
  }

  /** The number of idle workers the pool keeps now. */
  get target(): number {
    return this.#target;
  }

  private grow(): void {
    this.#lastMiss = Date.now();
    if (this.#target < this.max) this.#target++;
    if (this.#shrinkTimer !== undefined) return;
    this.#shrinkTimer = setInterval(() => {
      if (Date.now() - this.#lastMiss < SHRINK_AFTER_MS) return;
      this.#target = this.size;
      for (const w of this.#idle.splice(this.size)) w.child.kill('SIGTERM');
      clearInterval(this.#shrinkTimer);
      this.#shrinkTimer = undefined;
    }, SHRINK_AFTER_MS / 4);
    this.#shrinkTimer.unref();
  }

  private retire(): void {
    for (const w of this.#idle.splice(0)) w.child.kill('SIGTERM');
  }

  private refill(): void {
    if (this.#closed || this.#refillTimer !== undefined) return;
    while (this.#idle.length < this.#target) {
      const w = this.spawnWorker();
      if (!w) return;
      this.#idle.push(w);
    }
  }

  private spawnWorker(): PooledWorker | undefined {
    if (this.#closed) return undefined;
    const command = this.#command;
    const { file, argv } = workerArgv(command);
    let child: ChildProcess;
    try {
      child = spawn(file, argv, {
        stdio: ['ignore', 'ignore', command.stderr, 'ipc'],
        detached: true,
        serialization: 'json',
        env: workerEnv(command),
      });
    } catch (err) {
      this.log.error(`Cannot start worker ${command.path}: ${(err as Error).message}`, { path: command.path });
      return undefined;
    }
    const pid = child.pid;
    if (pid === undefined) {
      child.on('error', (err) => this.log.error(`Cannot start worker ${command.path}: ${err.message}`, { path: command.path }));
      return undefined;
    }
    const worker: PooledWorker = { child, pid, ready: false };
    const startedAt = Date.now();
    child.on('message', (m: unknown) => {
      if (isWorkerMessage(m) && m.type === 'ready') {
        worker.ready = true;
        this.#backoffMs = 0;
      }
    });
    child.on('exit', (code, signal) => {
      const i = this.#idle.indexOf(worker);
      if (i < 0) return; // it had a connection, or was retired: not the pool's any more
      this.#idle.splice(i, 1);
      this.log.error(`Idle worker ${pid} ended before taking a connection: ${signal ?? `exit code ${code}`}`, { worker: pid, code, signal });
      // A worker that cannot even start must not turn into a busy loop of spawns.
      if (Date.now() - startedAt < 1000) this.#backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(250, this.#backoffMs * 2));
      this.scheduleRefill();
    });
    child.on('error', () => {}); // spawn failures surface as 'exit'
    child.unref();
    return worker;
  }

  private scheduleRefill(): void {
    if (this.#closed || this.#refillTimer !== undefined) return;
    this.#refillTimer = setTimeout(() => {
      this.#refillTimer = undefined;
      this.refill();
    }, this.#backoffMs);
    this.#refillTimer.unref();
  }
}
