/**
 * Arriving chunks of a byte stream, kept as a list so that bytes are copied only when a caller needs them
 * contiguous (and then once); framers take packets from the front. The chunks are the queue's: callers hand them
 * over and must not write to them again, and what the queue returns may be views of them.
 */
export class ByteQueue {
  /** The unread bytes are in chunks[first..], the first of them from `head` on. */
  private chunks: Uint8Array[] = [];
  private first = 0;
  private head = 0;
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** The byte at offset `i` from the front. */
  byteAt(i: number): number {
    if (i < 0 || i >= this.total) throw new RangeError('ByteQueue.byteAt past end');
    let at = this.head + i;
    for (let k = this.first; ; k++) {
      const c = this.chunks[k];
      if (at < c.length) return c[at];
      at -= c.length;
    }
  }

  /** The big-endian uint32 at offset `i` from the front. */
  u32At(i: number): number {
    return ((this.byteAt(i) << 24) | (this.byteAt(i + 1) << 16) | (this.byteAt(i + 2) << 8) | this.byteAt(i + 3)) >>> 0;
  }

  /** The first `n` bytes, contiguous (a view when they lie in one chunk), without consuming them. */
  peek(n: number): Uint8Array {
    if (n > this.total) throw new RangeError('ByteQueue.peek past end');
    const c = this.chunks[this.first];
    if (n === 0 || c.length - this.head >= n) return n === 0 ? new Uint8Array(0) : c.subarray(this.head, this.head + n);
    return this.gather(n, new Uint8Array(n));
  }

  /**
   * Removes and returns the first `n` bytes, contiguous: a view when they lie in one chunk, else a copy, made in
   * `scratch` when it is given and large enough (the caller then owns the result only until its next use of it).
   */
  take(n: number, scratch?: Uint8Array): Uint8Array {
    if (n > this.total) throw new RangeError('ByteQueue.take past end');
    const c = this.chunks[this.first];
    if (n === 0) return new Uint8Array(0);
    if (c.length - this.head >= n) {
      const out = c.subarray(this.head, this.head + n);
      this.advance(n);
      return out;
    }
    const out = this.gather(n, scratch && scratch.length >= n ? scratch.subarray(0, n) : new Uint8Array(n));
    this.skip(n);
    return out;
  }

  /** Removes `n` bytes and returns them as views of the chunks they lie in, in order (no empty piece). */
  takeParts(n: number): Uint8Array[] {
    if (n > this.total) throw new RangeError('ByteQueue.takeParts past end');
    const parts: Uint8Array[] = [];
    while (n > 0) {
      const c = this.chunks[this.first];
      const k = Math.min(c.length - this.head, n);
      parts.push(k === c.length ? c : c.subarray(this.head, this.head + k));
      this.advance(k);
      n -= k;
    }
    return parts;
  }

  /**
   * Makes the queue independent of the chunks pushed so far: what is left of them is copied into one chunk of its
   * own, so that their memory may be used again (a reader that reuses one buffer for every read).
   */
  detach(): void {
    this.chunks = this.total === 0 ? [] : [this.gather(this.total, new Uint8Array(this.total))];
    this.first = 0;
    this.head = 0;
  }

  /** Removes `n` bytes. */
  skip(n: number): void {
    if (n > this.total) throw new RangeError('ByteQueue.skip past end');
    while (n > 0) {
      const k = Math.min(this.chunks[this.first].length - this.head, n);
      this.advance(k);
      n -= k;
    }
  }

  /** Copies the first `out.length` bytes into `out`. */
  private gather(n: number, out: Uint8Array): Uint8Array {
    let o = 0;
    for (let i = this.first, off = this.head; o < n; i++, off = 0) {
      const piece = this.chunks[i].subarray(off, off + (n - o));
      out.set(piece, o);
      o += piece.length;
    }
    return out;
  }

  /** Consumes `k` bytes of the first chunk (at most what is left of it). */
  private advance(k: number): void {
    this.head += k;
    this.total -= k;
    if (this.head < this.chunks[this.first].length) return;
    this.head = 0;
    this.first++;
    // Spent chunks are dropped in bulk, so that a stream fed a byte at a time stays linear.
    if (this.first === this.chunks.length) {
      this.chunks.length = 0;
      this.first = 0;
    } else if (this.first >= 16 && this.first * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }
}
