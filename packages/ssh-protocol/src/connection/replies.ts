// RFC 4254 §4 and §5.4: replies to requests come back in the order the requests were sent,
// so both directions keep a FIFO.
import type { Logger } from '../wire/index.js';

interface Slot<T> {
  settled: boolean;
  value: T;
}

/**
 * Replies we owe to the peer. Handlers may answer asynchronously; a reply goes out only when every earlier
 * reply has, so the wire order always matches the request order.
 */
export class OrderedReplies<T> {
  private readonly slots: Array<Slot<T>> = [];
  private dropped = false;

  constructor(
    private readonly send: (value: T) => void,
    private readonly log: Logger,
  ) {}

  get pending(): number {
    return this.slots.length;
  }

  /** Queues the reply to one request; `failed` is sent when the handler throws or its promise rejects. */
  add(result: () => T | Promise<T>, failed: T): void {
    const slot: Slot<T> = { settled: false, value: failed };
    this.slots.push(slot);
    runHandler(result, failed, this.log, (v) => this.settle(slot, v));
  }

  /** Forget every unsent reply (the channel or connection is gone). */
  drop(): void {
    this.dropped = true;
    this.slots.length = 0;
  }

  private settle(slot: Slot<T>, value: T): void {
    if (this.dropped) return;
    slot.settled = true;
    slot.value = value;
    while (this.slots.length > 0 && this.slots[0].settled) this.send(this.slots.shift()!.value);
  }
}

/** Replies we wait for from the peer, matched first in, first out; each waiter may carry a tag (what was asked). */
export class PendingReplies<T, Tag = undefined> {
  private readonly waiting: Array<{ tag: Tag; resolve(v: T): void; reject(e: Error): void }> = [];

  get size(): number {
    return this.waiting.length;
  }

  /** The tag of the oldest waiter, which the next reply answers. */
  get nextTag(): Tag | undefined {
    return this.waiting[0]?.tag;
  }

  wait(tag: Tag): Promise<T> {
    return new Promise<T>((resolve, reject) => this.waiting.push({ tag, resolve, reject }));
  }

  /** Resolves the oldest waiter; false when nobody was waiting (an unsolicited reply). */
  resolve(value: T): boolean {
    const w = this.waiting.shift();
    if (!w) return false;
    w.resolve(value);
    return true;
  }

  rejectAll(err: Error): void {
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}

/** Runs a request handler, mapping a throw or a rejection to `failed`; `done` may be called synchronously. */
export function runHandler<T>(result: () => T | Promise<T>, failed: T, log: Logger, done: (value: T) => void): void {
  let out: T | Promise<T>;
  try {
    out = result();
  } catch (err) {
    log.debug('request handler threw', { error: String(err) });
    out = failed;
  }
  if (!isPromise(out)) return done(out);
  out.then(done, (err: unknown) => {
    log.debug('request handler rejected', { error: String(err) });
    done(failed);
  });
}

export function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}
