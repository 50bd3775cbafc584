// draft-ietf-secsh-filexfer-02 §6.1: requests relating to the same file are processed in the order received
// ("overlapping reads and writes cannot be reordered or parallelized"); anything else may run in parallel.
// Each request names what it touches as locks; it starts once every earlier request it conflicts with is done.

/** A range of a resource: a handle's bytes, or the name space as a whole. */
export interface Lock {
  key: string;
  start: number;
  /** Exclusive end; Infinity for "to the end". */
  end: number;
  /** Writers exclude everyone; readers exclude only writers. */
  exclusive: boolean;
}

export function wholeLock(key: string, exclusive: boolean): Lock {
  return { key, start: 0, end: Infinity, exclusive };
}

export function rangeLock(key: string, offset: number, length: number, exclusive: boolean): Lock {
  return { key, start: offset, end: length > 0 ? offset + length : offset + 1, exclusive };
}

function conflict(a: readonly Lock[], b: readonly Lock[]): boolean {
  return a.some((x) =>
    b.some((y) => x.key === y.key && (x.exclusive || y.exclusive) && x.start < y.end && y.start < x.end),
  );
}

interface Entry {
  readonly locks: readonly Lock[];
  readonly start: (ticket: OrderTicket) => void;
  blockers: number;
  readonly dependents: Entry[];
}

/** An admitted request, to hand back to finish(). */
export type OrderTicket = object;

export class RequestOrder {
  /** Admitted and unfinished, in arrival order. */
  private readonly active: Entry[] = [];

  get size(): number {
    return this.active.length;
  }

  /**
   * Admits a request; `start` is called with its ticket (now, or from a later finish()) when nothing earlier
   * conflicts.
   */
  admit(locks: readonly Lock[], start: (ticket: OrderTicket) => void): OrderTicket {
    const entry: Entry = { locks, start, blockers: 0, dependents: [] };
    for (const earlier of this.active) {
      if (conflict(earlier.locks, locks)) {
        earlier.dependents.push(entry);
        entry.blockers++;
      }
    }
    this.active.push(entry);
    if (entry.blockers === 0) start(entry);
    return entry;
  }

  finish(ticket: OrderTicket): void {
    const entry = ticket as Entry;
    const i = this.active.indexOf(entry);
    if (i < 0) return;
    this.active.splice(i, 1);
    for (const d of entry.dependents) {
      if (--d.blockers === 0) d.start(d);
    }
  }
}
