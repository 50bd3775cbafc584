// Reading an SSH peer's socket into one buffer used again and again (the `onread` option of node:net), instead of
// a fresh 64 KiB buffer per read that the garbage collector frees later. The transport handles the packets
// complete in each read at once and copies the rest (Transport.receiveBorrowed), so the buffer is free again when
// the read's callback returns. Fewer allocations, and the kernel copies into memory still in the cache.
import { Socket, type SocketConstructorOpts } from 'node:net';
import type { Readable } from 'node:stream';
import { endWith, type ByteSink } from './stream-io.js';

/** Bytes asked for per read: several 32 KiB packets when the peer has sent them. */
export const SOCKET_READ_SIZE = 256 * 1024;

/** A sink that can take bytes in memory it must copy from (Transport.receiveBorrowed) as well as owned ones. */
export interface BorrowingSink extends ByteSink {
  receiveBorrowed(chunk: Uint8Array): void;
}

/** What the sink gets: the same bytes as a BorrowingSink, with a note of whether they are lent. */
type Delivery = (chunk: Uint8Array, lent: boolean) => void;

/**
 * The `onread` option for one socket, whose reads go to a sink attached later: what arrives before then (a
 * peer's version line, say, while the configuration is read) is copied and held, and goes first.
 */
export class ReusedReadBuffer {
  readonly onread: { buffer: Uint8Array; callback: (n: number, buffer: Uint8Array) => boolean };
  #deliver: Delivery | undefined;
  #held: Uint8Array[] = [];

  constructor(size: number = SOCKET_READ_SIZE) {
    this.onread = {
      buffer: Buffer.allocUnsafe(size),
      callback: (n, buffer) => {
        const chunk = buffer.subarray(0, n);
        if (this.#deliver) this.#deliver(chunk, true);
        else this.#held.push(new Uint8Array(chunk)); // a copy (a Buffer's slice() is a view)
        return true;
      },
    };
  }

  /** From now on every read goes to `deliver`, after what was held. */
  attach(deliver: Delivery): void {
    this.#deliver = deliver;
    for (const chunk of this.#held.splice(0)) deliver(chunk, false);
  }
}

/**
 * A socket over an inherited descriptor or a bare handle (one sent by tsshd), half-open allowed, reading through a
 * ReusedReadBuffer of its own from the first byte.
 */
export function socketWithReusedReads(from: { fd: number } | { handle: unknown }): { socket: Socket; reads: ReusedReadBuffer } {
  const reads = new ReusedReadBuffer();
  // `handle` and `onread` are accepted by the constructor (lib/net.js); @types/node declares neither for it.
  const options = { ...from, readable: true, writable: true, allowHalfOpen: true, onread: reads.onread };
  return { socket: new Socket(<SocketConstructorOpts>options), reads };
}

/** feedFrom for a socket read through `reads`: each read goes to the sink lent, its end (or an error) ends it. */
export function feedBorrowedFrom(socket: Readable, reads: ReusedReadBuffer, sink: BorrowingSink): void {
  reads.attach((chunk, lent) => (lent ? sink.receiveBorrowed(chunk) : sink.receive(chunk)));
  endWith(socket, sink);
}
