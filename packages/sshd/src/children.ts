// The listener's table of running workers. It is for logging only: the listener never signals, waits for or
// limits a worker through it, and a worker's end never touches the others.
import type { ServerLogger } from './log.js';

export interface ChildInfo {
  pid: number;
  peerAddress: string;
  peerPort: number;
  startedAt: number;
}

/** How a process ended, in the words the log uses. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `killed by signal ${signal}`;
  return `exit code ${code ?? 'unknown'}`;
}

export class ChildTable {
  readonly #running = new Map<number, ChildInfo>();

  constructor(
    private readonly log: ServerLogger,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.#running.size;
  }

  list(): ChildInfo[] {
    return [...this.#running.values()];
  }

  started(pid: number, peerAddress: string, peerPort: number): void {
    this.#running.set(pid, { pid, peerAddress, peerPort, startedAt: this.now() });
  }

  /** Logs the end of a worker: a signal as an error, a failure status as info, a clean exit as verbose. */
  ended(pid: number, code: number | null, signal: NodeJS.Signals | null): void {
    const info = this.#running.get(pid);
    this.#running.delete(pid);
    const who = info ? `Worker ${pid} (${info.peerAddress} port ${info.peerPort})` : `Worker ${pid}`;
    const message = `${who} ended: ${describeExit(code, signal)}`;
    const fields = {
      pid,
      peerAddress: info?.peerAddress,
      peerPort: info?.peerPort,
      code,
      signal,
      durationMs: info ? this.now() - info.startedAt : undefined,
    };
    if (signal !== null) this.log.error(message, fields);
    else if (code !== 0) this.log.info(message, fields);
    else this.log.verbose(message, fields);
  }
}
