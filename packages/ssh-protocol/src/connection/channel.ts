// RFC 4254 §5: one channel, both flow-control windows, ordered requests, EOF and CLOSE.
import { MSG, ProtocolError, assertNever } from '../wire/index.js';
import type { Logger } from '../wire/index.js';
import type { ChannelRequest } from './channel-requests.js';
import { Emitter } from './emitter.js';
import { ChannelClosedError } from './errors.js';
import { encodeChannelDataHead, encodeConnectionMessage } from './messages.js';
import type { ConnectionMessage } from './messages.js';
import { Inbox } from './inbox.js';
import { MAX_CHUNK, Outbox } from './outbox.js';
import { OrderedReplies, PendingReplies, runHandler } from './replies.js';

/** OpenSSH's defaults (CHAN_SES_WINDOW_DEFAULT, CHAN_SES_PACKET_DEFAULT). */
export const DEFAULT_WINDOW_SIZE = 2 * 1024 * 1024;
export const DEFAULT_MAX_PACKET_SIZE = 32768;
/** Bytes queued for the peer's window above which write() returns false. */
export const DEFAULT_HIGH_WATER_MARK = 64 * 1024;
/** RFC 4254 §5.2: a window may not grow past 2^32 - 1. */
const MAX_WINDOW = 0xffffffff;

export type ChannelRequestHandler = (request: ChannelRequest, wantReply: boolean) => boolean | Promise<boolean>;

export interface ChannelEvents {
  data: [data: Uint8Array];
  'extended-data': [dataType: number, data: Uint8Array];
  eof: [];
  /** Both CLOSE messages have passed, or the connection died (then `error` says why). */
  close: [error?: Error];
  /** The outbound queue fell below the high-water mark (or emptied) after write() returned false. */
  drain: [];
}

/** What a channel needs from its connection. */
export interface ChannelHost {
  /** Sends one payload, `head` followed by `tail` when given (a data message's head and its data). */
  send(head: Uint8Array, tail?: Uint8Array): void;
  readonly log: Logger;
  /** Both CLOSEs have passed: the local id may be reused. */
  release(channel: Channel): void;
}

export interface ChannelParams {
  type: string;
  localId: number;
  remoteId: number;
  localWindow: number;
  localMaxPacket: number;
  remoteWindow: number;
  remoteMaxPacket: number;
  highWaterMark: number;
}

export interface ExitSignal {
  signal: string;
  coreDumped: boolean;
  message: string;
}

type Inbound =
  | { kind: 'data'; data: Uint8Array }
  | { kind: 'extended-data'; dataType: number; data: Uint8Array }
  | { kind: 'request'; request: ChannelRequest; wantReply: boolean }
  | { kind: 'eof' }
  | { kind: 'close'; error: Error | undefined };

/**
 * A channel. Inbound events are held until the first listener (or request handler) is attached, or until
 * resume(), so nothing is lost between CHANNEL_OPEN_CONFIRMATION and the opener's `await`.
 *
 * Flow control, RFC 4254 §5.2: received data counts against our window until it is consumed. With
 * `autoConsume` (the default) data is consumed as soon as the 'data' listeners return; a consumer with its own
 * buffering sets it to false and calls consumed(n). WINDOW_ADJUST goes out once half the window is consumed.
 */
export class Channel extends Emitter<ChannelEvents> {
  readonly type: string;
  readonly localId: number;
  readonly remoteId: number;
  autoConsume = true;
  exitStatus: number | undefined;
  exitSignal: ExitSignal | undefined;

  private readonly windowMax: number;
  private readonly localMaxPacket: number;
  private readonly highWaterMark: number;
  private readonly sendLimit: number;
  private windowLeft: number;
  private peerWindow: number;
  private unconsumed = 0;
  private unacked = 0;
  private readonly outbox = new Outbox();
  private needDrain = false;

  private eofQueued = false;
  private eofSent = false;
  private closeQueued = false;
  private closeSent = false;
  private eofReceived = false;
  private closeReceived = false;
  private finished = false;

  private readonly inbox = new Inbox<Inbound>((ev) => this.dispatch(ev));
  private handler: ChannelRequestHandler | undefined;
  private readonly replies: OrderedReplies<boolean>;
  private readonly pending = new PendingReplies<boolean>();

  constructor(
    private readonly host: ChannelHost,
    p: ChannelParams,
  ) {
    super();
    this.type = p.type;
    this.localId = p.localId;
    this.remoteId = p.remoteId;
    this.windowMax = p.localWindow;
    this.windowLeft = p.localWindow;
    this.localMaxPacket = p.localMaxPacket;
    this.peerWindow = p.remoteWindow;
    this.sendLimit = Math.min(p.remoteMaxPacket, MAX_CHUNK);
    this.highWaterMark = p.highWaterMark;
    this.replies = new OrderedReplies<boolean>(
      (ok) => this.sendMessage({ msg: ok ? MSG.CHANNEL_SUCCESS : MSG.CHANNEL_FAILURE, recipient: this.remoteId }),
      host.log,
    );
  }

  /** Bytes the peer may still send us before the next WINDOW_ADJUST. */
  get localWindow(): number {
    return this.windowLeft;
  }

  /** Bytes we may still send before the peer's next WINDOW_ADJUST. */
  get remoteWindow(): number {
    return this.peerWindow;
  }

  /** Bytes written but waiting for the peer's window. */
  get queuedBytes(): number {
    return this.outbox.size;
  }

  /** False once we sent CLOSE or the connection died: nothing more goes out. */
  get isOpen(): boolean {
    return !this.closeSent && !this.finished;
  }

  get onRequest(): ChannelRequestHandler | undefined {
    return this.handler;
  }

  /** Handles incoming requests; its answer is the reply when want_reply is set. Without one, every request fails. */
  set onRequest(fn: ChannelRequestHandler | undefined) {
    this.handler = fn;
    this.inbox.startSoon();
  }

  override on<K extends keyof ChannelEvents>(event: K, fn: (...args: ChannelEvents[K]) => void): this {
    super.on(event, fn);
    this.inbox.startSoon();
    return this;
  }

  /** Starts delivering held inbound events now rather than after the first listener is attached. */
  resume(): void {
    this.inbox.start();
  }

  /**
   * Queues data; false when the queue is above the high-water mark (wait for 'drain'). What the peer's window cannot
   * take now is copied into the queue, unless the caller hands `data` over (`owned`: it never writes to it again, as
   * with a Node stream's chunks). `released` is called once the channel no longer refers to `data` (all of it sent,
   * copied or dropped), so that an owner may use its memory again.
   */
  write(data: Uint8Array, owned = false, released?: () => void): boolean {
    return this.send(undefined, data, owned, released);
  }

  /** RFC 4254 §5.2 extended data, e.g. EXTENDED_DATA_STDERR; `owned` as for write(). */
  writeExtended(dataType: number, data: Uint8Array, owned = false): boolean {
    return this.send(dataType, data, owned);
  }

  /** RFC 4254 §5.3: EOF goes out after everything already written. */
  eof(): void {
    if (this.eofQueued || this.closeSent || this.finished) return;
    this.eofQueued = true;
    this.flush();
  }

  /**
   * RFC 4254 §5.3: sends EOF and CLOSE after the queued data; with `force`, drops the queue and sends CLOSE now.
   * The 'close' event follows once the peer's CLOSE arrives.
   */
  close(force = false): void {
    if (this.closeSent || this.finished) return;
    this.closeQueued = true;
    if (force) this.outbox.clear();
    else this.eofQueued = true;
    this.flush();
  }

  /**
   * RFC 4254 §5.4: with `wantReply`, resolves to the peer's SUCCESS (true) or FAILURE (false), in order.
   * Requests go out at once, ahead of data still waiting for the peer's window (as OpenSSH's do).
   */
  request(request: ChannelRequest, wantReply: boolean): Promise<boolean> {
    if (this.closeSent || this.finished) {
      return wantReply ? Promise.reject(new ChannelClosedError(this.localId)) : Promise.resolve(false);
    }
    this.sendMessage({ msg: MSG.CHANNEL_REQUEST, recipient: this.remoteId, wantReply, request });
    return wantReply ? this.pending.wait(undefined) : Promise.resolve(true);
  }

  /** Gives `n` received bytes back to the peer's window (see autoConsume). */
  consumed(n: number): void {
    const k = Math.min(n, this.unconsumed);
    if (k <= 0) return;
    this.unconsumed -= k;
    this.unacked += k;
    // RFC 4254 §5.2 leaves the policy open; like OpenSSH, adjust once half the window is used, not per packet.
    if (this.unacked < this.windowMax / 2 || this.closeSent || this.eofReceived || this.finished) return;
    this.sendMessage({ msg: MSG.CHANNEL_WINDOW_ADJUST, recipient: this.remoteId, bytes: this.unacked });
    this.windowLeft += this.unacked;
    this.unacked = 0;
  }

  // ---- inbound, called by the Connection -------------------------------------------------------------

  /** @internal */
  receiveData(dataType: number | undefined, data: Uint8Array): void {
    // RFC 4254 §5.3: no data after EOF; §5.2: never more than the window or the maximum packet size.
    if (this.eofReceived) throw new ProtocolError(`channel ${this.localId}: data after EOF`);
    if (data.length > this.localMaxPacket) {
      throw new ProtocolError(`channel ${this.localId}: packet of ${data.length} exceeds maximum ${this.localMaxPacket}`);
    }
    if (data.length > this.windowLeft) {
      throw new ProtocolError(`channel ${this.localId}: ${data.length} bytes exceed window ${this.windowLeft}`);
    }
    this.windowLeft -= data.length;
    if (this.closeSent || this.finished) return; // we are closing: discard
    this.unconsumed += data.length;
    // No copy: a received payload is the receiver's own memory (the transport's openers decrypt into fresh buffers,
    // and `Transport.receive` callers hand their chunks over), so listeners may keep `data`.
    this.inbox.push(dataType === undefined ? { kind: 'data', data } : { kind: 'extended-data', dataType, data });
  }

  /** @internal */
  receiveWindowAdjust(bytes: number): void {
    if (this.peerWindow + bytes > MAX_WINDOW) {
      throw new ProtocolError(`channel ${this.localId}: window adjust of ${bytes} overflows the window`);
    }
    this.peerWindow += bytes;
    this.flush();
  }

  /** @internal */
  receiveEof(): void {
    if (this.eofReceived) throw new ProtocolError(`channel ${this.localId}: duplicate EOF`);
    this.eofReceived = true;
    if (!this.closeSent) this.inbox.push({ kind: 'eof' });
  }

  /** @internal RFC 4254 §5.3: answer CLOSE with CLOSE at once; queued data is dropped. */
  receiveClose(): void {
    this.closeReceived = true;
    this.outbox.clear();
    if (!this.closeSent) this.sendClose();
    else this.finish(undefined);
  }

  /** @internal */
  receiveRequest(request: ChannelRequest, wantReply: boolean): void {
    if (this.closeSent) return; // no reply may follow our CLOSE
    this.inbox.push({ kind: 'request', request, wantReply });
  }

  /** @internal */
  receiveReply(ok: boolean): void {
    if (!this.pending.resolve(ok)) {
      throw new ProtocolError(`channel ${this.localId}: ${ok ? 'CHANNEL_SUCCESS' : 'CHANNEL_FAILURE'} without a request`);
    }
  }

  /** @internal The connection is gone: nothing more is sent; pending requests fail with `error`. */
  destroy(error: Error): void {
    if (this.finished) return;
    this.closeSent = true;
    this.outbox.clear();
    this.finish(error);
  }

  // ---- internals ------------------------------------------------------------------------------------

  private send(dataType: number | undefined, data: Uint8Array, owned: boolean, released?: () => void): boolean {
    if (this.eofQueued) throw new ChannelClosedError(this.localId, 'write after EOF');
    // The peer closed (or the connection died) while we were writing: RFC 4254 §5.3 forbids sending more.
    if (this.closeSent || this.finished) {
      released?.();
      return true;
    }
    let off = 0;
    if (this.outbox.empty) {
      while (off < data.length) {
        const n = Math.min(data.length - off, this.peerWindow, this.sendLimit);
        if (n <= 0) break;
        this.sendChunk(dataType, data.subarray(off, off + n));
        off += n;
      }
    }
    if (off < data.length) this.outbox.push(dataType, data.subarray(off), owned, released);
    else released?.();
    if (this.outbox.empty || this.outbox.size < this.highWaterMark) return true;
    this.needDrain = true;
    return false;
  }

  private sendChunk(dataType: number | undefined, data: Uint8Array): void {
    this.peerWindow -= data.length;
    this.host.send(encodeChannelDataHead(this.remoteId, dataType, data.length), data);
  }

  private flush(): void {
    for (;;) {
      const chunk = this.outbox.take(Math.min(this.peerWindow, this.sendLimit));
      if (!chunk) break;
      this.sendChunk(chunk.dataType, chunk.data);
      chunk.released?.();
    }
    if (this.outbox.empty && !this.closeSent) {
      if (this.eofQueued && !this.eofSent) {
        this.eofSent = true;
        this.sendMessage({ msg: MSG.CHANNEL_EOF, recipient: this.remoteId });
      }
      if (this.closeQueued) this.sendClose();
    }
    if (this.needDrain && (this.outbox.empty || this.outbox.size < this.highWaterMark)) {
      this.needDrain = false;
      this.emit('drain');
    }
  }

  private sendClose(): void {
    this.closeSent = true;
    this.replies.drop();
    this.outbox.clear();
    this.sendMessage({ msg: MSG.CHANNEL_CLOSE, recipient: this.remoteId });
    if (this.closeReceived) this.finish(undefined);
  }

  /** Both CLOSEs passed (RFC 4254 §5.3) or the connection died. */
  private finish(error: Error | undefined): void {
    this.finished = true;
    this.replies.drop();
    this.pending.rejectAll(error ?? new ChannelClosedError(this.localId));
    this.inbox.push({ kind: 'close', error });
    this.host.release(this);
  }

  private sendMessage(m: ConnectionMessage): void {
    this.host.send(encodeConnectionMessage(m));
  }

  private dispatch(ev: Inbound): void {
    switch (ev.kind) {
      case 'data':
        this.emit('data', ev.data);
        if (this.autoConsume) this.consumed(ev.data.length);
        return;
      case 'extended-data':
        this.emit('extended-data', ev.dataType, ev.data);
        if (this.autoConsume) this.consumed(ev.data.length);
        return;
      case 'request':
        return this.dispatchRequest(ev.request, ev.wantReply);
      case 'eof':
        this.emit('eof');
        return;
      case 'close':
        this.emit('close', ev.error);
        return;
      default:
        assertNever(ev);
    }
  }

  private dispatchRequest(request: ChannelRequest, wantReply: boolean): void {
    if (request.kind === 'exit-status') this.exitStatus = request.status;
    if (request.kind === 'exit-signal') {
      this.exitSignal = { signal: request.signal, coreDumped: request.coreDumped, message: request.message };
    }
    const handler = this.handler;
    const answer = (): boolean | Promise<boolean> => (handler ? handler(request, wantReply) : false);
    if (wantReply) {
      this.replies.add(answer, false);
      return;
    }
    runHandler(answer, false, this.host.log, () => {}); // no reply owed
  }
}
