/** Arriving chunks, kept as a list so that bytes are copied once, when a whole packet is taken. */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0; // offset into chunks[0]
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** The first `n` bytes, contiguous, without consuming them. */
  peek(n: number): Uint8Array {
    if (n > this.total) throw new RangeError('ByteQueue.peek past end');
    const first = this.chunks[0];
    if (first.length - this.head >= n) return first.subarray(this.head, this.head + n);
    return this.copy(n, false);
  }

  /**
   * Remove and return the first `n` bytes: a view when they lie in one chunk, else a copy, made in `scratch` when it
   * is given and large enough (the caller then owns the result only until its next call).
   */
  take(n: number, scratch?: Uint8Array): Uint8Array {
    if (n > this.total) throw new RangeError('ByteQueue.take past end');
    const first = this.chunks[0];
    if (first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.head += n;
      this.total -= n;
      if (this.head === first.length) {
        this.chunks.shift();
        this.head = 0;
      }
      return out;
    }
    return this.copy(n, true, scratch);
  }

  private copy(n: number, consume: boolean, scratch?: Uint8Array): Uint8Array {
    const out = scratch && scratch.length >= n ? scratch.subarray(0, n) : new Uint8Array(n);
    let o = 0;
    let i = 0;
    let off = this.head;
    while (o < n) {
      const c = this.chunks[i];
      const k = Math.min(c.length - off, n - o);
      out.set(c.subarray(off, off + k), o);
      o += k;
      off += k;
      if (off === c.length) {
        i++;
        off = 0;
      }
    }
    if (consume) {
      this.chunks.splice(0, i);
      this.head = off;
      this.total -= n;
    }
    return out;
  }
}
