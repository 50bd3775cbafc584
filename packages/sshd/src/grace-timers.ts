// LoginGraceTime, enforced from the listener as well: a worker times itself out (and says so in its exit status),
// but one that is stuck past the grace time plus a margin is ended by the listener, so that a connection never
// holds a MaxStartups slot longer than the configuration allows.
import type { ServerLogger } from './log.js';

/** How long past LoginGraceTime a worker has to end by itself. */
export const GRACE_MARGIN_MS = 2000;

export class GraceTimers {
  readonly #timers = new Map<number, NodeJS.Timeout>();

  constructor(
    private readonly log: ServerLogger,
    private readonly expired: (admissionId: number) => void,
  ) {}

  start(admissionId: number, seconds: number): void {
    this.clear(admissionId);
    const timer = setTimeout(() => {
      this.#timers.delete(admissionId);
      this.log.debug3(`LoginGraceTime passed for connection ${admissionId}`);
      this.expired(admissionId);
    }, seconds * 1000 + GRACE_MARGIN_MS);
    timer.unref();
    this.#timers.set(admissionId, timer);
  }

  clear(admissionId: number): void {
    clearTimeout(this.#timers.get(admissionId));
    this.#timers.delete(admissionId);
  }

  close(): void {
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }
}
