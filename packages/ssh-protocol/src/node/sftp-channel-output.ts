// SFTP replies on their way into a channel, given to it only as far as the peer's window takes them. Whatever
// Channel.write() cannot send at once it copies into its queue; a download runs with the window shut most of the
// time (OpenSSH's client reopens it a megabyte at a time while the server has megabytes of DATA ready), and so
// nearly every byte of a download was copied once more there. Here the replies wait uncopied, and the channel's
// queue is filled only just past its high-water mark, so that its 'drain' says when the window has reopened.
import type { Channel } from '../connection/index.js';

/** What goes into the channel's own queue at a time while its window is shut (its largest data packet). */
const QUEUE_STEP = 32 * 1024;

export class SftpChannelOutput {
  private readonly held: Uint8Array[] = [];
  /** The channel's write() said stop: nothing more until its 'drain'. */
  private waiting = false;

  constructor(
    private readonly channel: Channel,
    /** Everything held has gone to the channel: the sender may go on. */
    private readonly drained: () => void,
    /** A reply's bytes have all gone into the channel (sent, or copied into its queue): nothing refers to them now. */
    private readonly release: (bytes: Uint8Array) => void = () => {},
  ) {}

  get empty(): boolean {
    return this.held.length === 0;
  }

  /** Queues `bytes` for the channel; false while anything is held (then `drained` is called once all is out). */
  write(bytes: Uint8Array): boolean {
    if (bytes.length === 0) return this.held.length === 0;
    this.held.push(bytes);
    this.pump();
    return this.held.length === 0;
  }

  /** The channel's 'drain'. */
  channelDrained(): void {
    this.waiting = false;
    if (this.held.length === 0) return;
    this.pump();
    if (this.held.length === 0) this.drained();
  }

  /** The channel is gone: what is held is dropped. */
  discard(): void {
    this.held.length = 0;
  }

  private pump(): void {
    const ch = this.channel;
    while (this.held.length > 0 && !this.waiting) {
      const b = this.held[0];
      // Within the window the bytes are sent at once, uncopied; past it they are copied into the channel's queue,
      // which is only filled until write() says stop.
      const room = ch.queuedBytes === 0 ? ch.remoteWindow : 0;
      const n = Math.min(b.length, room > 0 ? room : QUEUE_STEP);
      const more = ch.write(n === b.length ? b : b.subarray(0, n));
      if (n === b.length) this.release(this.held.shift()!);
      else this.held[0] = b.subarray(n);
      if (!more) this.waiting = true;
    }
  }
}
