// Buffers for large SFTP packets, used again once the channel has taken their bytes: internal-sftp's READ replies
// (DATA) and an upload's WRITE requests. A download through internal-sftp made one 32-256 KiB buffer per READ; each
// lived until the peer's window let it out, long enough to reach V8's old generation, and so every 64 MB of them
// cost a full mark-compact (measured: 39 of them and a quarter of the worker's time, `--trace-gc`, 512 MiB `get`
// from OpenSSH's sftp). Small packets keep coming from Node's shared allocation pool and are never taken back.

/** Smallest packet served from the pool; below it Buffer.allocUnsafe's shared slab is cheaper. */
const MIN_POOLED = 16 * 1024;
/** Free bytes kept at most; more than this in circulation are left to the garbage collector. */
const MAX_FREE_BYTES = 16 * 1024 * 1024;
/** With no allocation for this long (the transfer is over), the free buffers go. */
const IDLE_MS = 2000;
/** Capacities are multiples of this: a 255 KiB READ's reply (plus its 13-byte header) takes 256 KiB. */
const GRAIN = 16 * 1024;

export class PacketBufferPool {
  /** Free buffers by capacity (a multiple of GRAIN). */
  private readonly free = new Map<number, ArrayBuffer[]>();
  private freeBytes = 0;
  /** Every buffer this pool made (and only those may come back). */
  private readonly ours = new WeakSet<ArrayBuffer>();
  /** Buffers in the free lists now: a second release of one is ignored. */
  private readonly isFree = new WeakSet<ArrayBuffer>();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private lastUse = 0;

  /** `size` bytes whose contents are all to be written by the caller. */
  allocate(size: number): Uint8Array {
    if (size < MIN_POOLED) return Buffer.allocUnsafe(size);
    this.lastUse = Date.now();
    this.armIdleTimer();
    const capacity = Math.ceil(size / GRAIN) * GRAIN;
    const buf = this.free.get(capacity)?.pop();
    if (buf) {
      this.freeBytes -= capacity;
      this.isFree.delete(buf);
      return Buffer.from(buf, 0, size);
    }
    const fresh = new ArrayBuffer(capacity);
    this.ours.add(fresh);
    return Buffer.from(fresh, 0, size);
  }

  /** `bytes` (a view of a buffer from allocate()) is no longer referenced anywhere: its memory may be used again. */
  release(bytes: Uint8Array): void {
    const buf = bytes.buffer as ArrayBuffer;
    if (!this.ours.has(buf) || this.isFree.has(buf) || this.freeBytes + buf.byteLength > MAX_FREE_BYTES) return;
    let list = this.free.get(buf.byteLength);
    if (!list) this.free.set(buf.byteLength, (list = []));
    list.push(buf);
    this.isFree.add(buf);
    this.freeBytes += buf.byteLength;
  }

  /** Free bytes held now. */
  get held(): number {
    return this.freeBytes;
  }

  /** Drops the free buffers (the session is over, or idle). */
  clear(): void {
    this.free.clear();
    this.freeBytes = 0;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private armIdleTimer(): void {
    if (this.idleTimer !== undefined) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (Date.now() - this.lastUse < IDLE_MS) this.armIdleTimer();
      else this.clear();
    }, IDLE_MS);
    this.idleTimer.unref?.();
  }
}
