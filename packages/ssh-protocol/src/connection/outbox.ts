// Outbound channel data waiting for the peer's window (RFC 4254 §5.2), in write order, stdout and
// extended data interleaved as written.

/** The largest data field we put in one packet, whatever the peer allows: RFC 4253 §6.1 guarantees 32768. */
export const MAX_CHUNK = 32768;

interface Chunk {
  /** undefined for CHANNEL_DATA, else the extended data type code. */
  dataType: number | undefined;
  data: Uint8Array;
  /** Called once the queue no longer refers to `data` (its last byte was taken, or the queue was cleared). */
  released?: () => void;
}

export class Outbox {
  private readonly chunks: Chunk[] = [];
  private headOffset = 0;
  private bytes = 0;

  /** Bytes queued and not yet sent. */
  get size(): number {
    return this.bytes;
  }

  get empty(): boolean {
    return this.chunks.length === 0;
  }

  /**
   * Queues a copy (the writer may reuse its buffer once write() returns), or `data` itself when it is `owned`. The
   * copy is made as for a plain Uint8Array: a Node Buffer's own slice() would give a view of the writer's memory.
   * `released` is called once the queue no longer refers to `data`: at once for a copy, else when its last byte
   * has been taken (and sent by the caller) or the queue is cleared.
   */
  push(dataType: number | undefined, data: Uint8Array, owned = false, released?: () => void): void {
    if (data.length === 0 || !owned) {
      if (data.length > 0) this.chunks.push({ dataType, data: Uint8Array.prototype.slice.call(data) });
      this.bytes += data.length;
      released?.();
      return;
    }
    this.chunks.push({ dataType, data, released });
    this.bytes += data.length;
  }

  /**
   * Takes the next packet's worth, at most `limit` bytes and never mixing data types; undefined when empty or
   * `limit` is 0. The piece that ends a chunk carries its `released`, for the caller to call once it is sent.
   */
  take(limit: number): Chunk | undefined {
    const head = this.chunks[0];
    if (!head || limit <= 0) return undefined;
    const n = Math.min(limit, head.data.length - this.headOffset);
    const data = head.data.subarray(this.headOffset, this.headOffset + n);
    this.headOffset += n;
    this.bytes -= n;
    if (this.headOffset === head.data.length) {
      this.chunks.shift();
      this.headOffset = 0;
      return { dataType: head.dataType, data, released: head.released };
    }
    return { dataType: head.dataType, data };
  }

  clear(): void {
    for (const c of this.chunks.splice(0)) c.released?.();
    this.headOffset = 0;
    this.bytes = 0;
  }
}
