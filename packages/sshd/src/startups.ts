// MaxStartups and PerSourceMaxStartups: the connections that have not authenticated yet ("startups"), and
// OpenSSH's random early drop over them.
import type { MaxStartups } from '@tssh/ssh-protocol/config';

/**
 * sshd's should_drop_connection(): below `start` never, from `full` on always, in between with a probability
 * rising linearly from rate% to 100%. `random` returns an integer in [0, 100).
 */
export function shouldDrop(startups: number, limits: MaxStartups, random: () => number): boolean {
  const { start, rate, full } = limits;
  if (startups < start) return false;
  if (startups >= full || rate === 100) return true;
  const p = Math.floor(((100 - rate) * (startups - start)) / (full - start)) + rate;
  return random() < p;
}

/** The unauthenticated connections, each with the source block it counts against. */
export class StartupTable {
  readonly #blocks = new Map<number, string | undefined>();
  readonly #perBlock = new Map<string, number>();

  get size(): number {
    return this.#blocks.size;
  }

  countFor(block: string): number {
    return this.#perBlock.get(block) ?? 0;
  }

  add(id: number, block: string | undefined): void {
    if (this.#blocks.has(id)) return;
    this.#blocks.set(id, block);
    if (block !== undefined) this.#perBlock.set(block, this.countFor(block) + 1);
  }

  /** The connection authenticated or ended; unknown ids are ignored. */
  remove(id: number): void {
    if (!this.#blocks.has(id)) return;
    const block = this.#blocks.get(id);
    this.#blocks.delete(id);
    if (block === undefined) return;
    const n = this.countFor(block) - 1;
    if (n > 0) this.#perBlock.set(block, n);
    else this.#perBlock.delete(block);
  }

  has(id: number): boolean {
    return this.#blocks.has(id);
  }
}
