// Inbound channel events held until someone listens, then delivered in arrival order. Without it, data that
// arrives in the same batch as CHANNEL_OPEN_CONFIRMATION would be emitted before the opener's `await` resumes.

export class Inbox<T> {
  private readonly held: T[] = [];
  private flowing = false;
  private scheduled = false;

  constructor(private readonly dispatch: (event: T) => void) {}

  push(event: T): void {
    if (this.flowing && this.held.length === 0) this.dispatch(event);
    else this.held.push(event);
  }

  /** Delivers what is held, and everything after it as it comes. */
  start(): void {
    this.flowing = true;
    while (this.held.length > 0) this.dispatch(this.held.shift()!);
  }

  /** start() in a microtask, so that listeners attached on the caller's following lines see the held events. */
  startSoon(): void {
    if (this.flowing || this.scheduled) return;
    this.scheduled = true;
    void Promise.resolve().then(() => this.start());
  }
}
