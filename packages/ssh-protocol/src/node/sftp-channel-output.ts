// SFTP replies on their way into a channel, given to it only as far as the peer's window takes them. A download
// runs with the window shut most of the time (OpenSSH's client reopens it a megabyte at a time while the server has
// megabytes of DATA ready): the replies wait here, and the channel's queue is filled only just past its high-water
// mark, so that its 'drain' says when the window has reopened and the server starts no new reads meanwhile. The
// bytes are never copied on the way (the channel takes them as owned), and each reply's memory is handed back
// (`release`) once the channel has let go of it, for the next READ to use.
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
    /** The channel has let go of all of a reply's bytes (sent, or dropped): nothing refers to them now. */
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
      // Within the window the bytes are sent at once; past it they wait in the channel's queue, which is only
      // filled until write() says stop. Either way uncopied: the channel says when it has let go of a reply's
      // last piece (and so of all of it, as it sends in order).
      const room = ch.queuedBytes === 0 ? ch.remoteWindow : 0;
      const n = Math.min(b.length, room > 0 ? room : QUEUE_STEP);
      const last = n === b.length;
      if (last) this.held.shift();
      else this.held[0] = b.subarray(n);
      const more = ch.write(last ? b : b.subarray(0, n), true, last ? () => this.release(b) : undefined);
      if (!more) this.waiting = true;
    }
  }
}
