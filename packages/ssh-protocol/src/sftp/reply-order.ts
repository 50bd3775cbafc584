// Replies leave in the order their requests arrived, whatever order the work finishes in. §6.1 would allow
// replies to reads of the same file in any order, but OpenSSH's sftp-server answers strictly in order and
// clients rely on it: OpenSSH's scp, writing a download in place, cuts the file at the first reply that came
// out of order.

export class ReplyOrder<T> {
  private issued = 0;
  private next = 0;
  private readonly finished = new Map<number, T>();

  constructor(private readonly emit: (item: T) => void) {}

  /** Replies finished but held for an earlier one. */
  get held(): number {
    return this.finished.size;
  }

  /** The place of a request that has just arrived. */
  ticket(): number {
    return this.issued++;
  }

  /** The request at `place` is done: its item, and every later one already done, are emitted in order. */
  done(place: number, item: T): void {
    this.finished.set(place, item);
    for (let it = this.finished.get(this.next); it !== undefined || this.finished.has(this.next); it = this.finished.get(this.next)) {
      this.finished.delete(this.next);
      this.next++;
      this.emit(it as T);
    }
  }
}
