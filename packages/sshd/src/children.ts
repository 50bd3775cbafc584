// The listener's table of running workers: where each connection came from, whether its user has
// authenticated, and why it ended. The listener never signals a worker that serves a user: only one still
// unauthenticated past LoginGraceTime; a worker's end never touches the others.
import { workerEndCause } from './exit-status.js';
import type { WorkerEndCause } from './exit-status.js';
import type { ServerLogger } from './log.js';

export interface ChildInfo {
  pid: number;
  peerAddress: string;
  peerPort: number;
  localAddress: string;
  localPort: number;
  startedAt: number;
  /** The worker reported its user in (only workers with a channel can). */
  authenticated: boolean;
  /** The worker has a channel to report authentication on. */
  linked: boolean;
  /** Its slot in MaxStartups accounting. */
  admissionId: number;
  /** The listener ended it for exceeding LoginGraceTime. */
  timedOut: boolean;
}

/** How a process ended, in the words the log uses. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `killed by signal ${signal}`;
  return `exit code ${code ?? 'unknown'}`;
}

const CAUSE_TEXT: Readonly<Record<WorkerEndCause, string>> = Object.freeze({
  normal: 'normal',
  killed: 'stopped',
  'grace-exceeded': 'timeout before authentication',
  crash: 'crash',
  authfail: 'failed authentication',
  invaliduser: 'invalid user',
  refuseconnection: 'connection refused by configuration',
  noauth: 'closed without authenticating',
});

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

  get(pid: number): ChildInfo | undefined {
    return this.#running.get(pid);
  }

  started(info: Omit<ChildInfo, 'startedAt' | 'authenticated' | 'timedOut'>): ChildInfo {
    const child: ChildInfo = { ...info, startedAt: this.now(), authenticated: false, timedOut: false };
    this.#running.set(info.pid, child);
    return child;
  }

  /** The worker says its user is in. */
  authenticated(pid: number, user: string): ChildInfo | undefined {
    const info = this.#running.get(pid);
    if (!info || info.authenticated) return undefined;
    info.authenticated = true;
    this.log.debug(`Worker ${pid} (${info.peerAddress} port ${info.peerPort}) authenticated user ${user}.`, {
      worker: pid,
      user,
      peerAddress: info.peerAddress,
      peerPort: info.peerPort,
    });
    return info;
  }

  /** Logs the end of a worker with its cause: a signal as an error, a failure as info, a clean end as verbose. */
  ended(pid: number, code: number | null, signal: NodeJS.Signals | null): { info: ChildInfo | undefined; cause: WorkerEndCause } {
    const info = this.#running.get(pid);
    this.#running.delete(pid);
    const cause = info?.timedOut ? 'grace-exceeded' : workerEndCause(code, signal, info?.authenticated ?? false);
    const who = info ? `Worker ${pid} (${info.peerAddress} port ${info.peerPort})` : `Worker ${pid}`;
    const message = `${who} ended: ${describeExit(code, signal)} (${CAUSE_TEXT[cause]})`;
    // `worker`, not `pid`: a JSON record's own pid is the listener's.
    const fields = {
      worker: pid,
      peerAddress: info?.peerAddress,
      peerPort: info?.peerPort,
      code,
      signal,
      cause,
      authenticated: info?.authenticated,
      durationMs: info ? this.now() - info.startedAt : undefined,
    };
    if (signal !== null) this.log.error(message, fields);
    else if (code !== 0) this.log.info(message, fields);
    else this.log.verbose(message, fields);
    return { info, cause };
  }
}
