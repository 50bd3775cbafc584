// RFC 4254: the connection protocol, sans-IO. It takes every payload numbered 80..127 through handle() and
// sends through the `send` it was given; channels, windows and requests live here and in channel.ts.
import { ChannelOpenFailure, ConnectionLostError, MSG, ProtocolError, assertNever, messageLayer } from '../wire/index.js';
import type { Env } from '../wire/index.js';
import { Channel, DEFAULT_HIGH_WATER_MARK, DEFAULT_MAX_PACKET_SIZE, DEFAULT_WINDOW_SIZE } from './channel.js';
import type { ChannelHost } from './channel.js';
import { channelTypeName } from './channel-open.js';
import type { ChannelOpenKind } from './channel-open.js';
import { ChannelOpenError, channelOpenReasonText } from './errors.js';
import { decodeForwardPort, encodeForwardPort } from './global-requests.js';
import type { GlobalRequest } from './global-requests.js';
import { decodeConnectionMessage, encodeConnectionMessage } from './messages.js';
import type { ChannelMessage, ConnectionMessage } from './messages.js';
import { OrderedReplies, PendingReplies, isPromise, runHandler } from './replies.js';

export interface ChannelOptions {
  /** Our initial window (default 2 MiB). */
  windowSize?: number;
  /** The largest data packet we accept (default 32768). */
  maxPacketSize?: number;
  /** Queued bytes above which write() returns false (default 64 KiB). */
  highWaterMark?: number;
}

/** A peer's CHANNEL_OPEN, waiting for accept() or a rejection from the handler. */
export interface IncomingChannelOpen {
  readonly open: ChannelOpenKind;
  readonly remoteId: number;
  readonly remoteWindow: number;
  readonly remoteMaxPacket: number;
  /** Sends CHANNEL_OPEN_CONFIRMATION and returns the channel; return it from the handler. */
  accept(options?: ChannelOptions): Channel;
}

export interface ChannelOpenRejection {
  reject: number;
  description?: string;
}

export type ChannelOpenDecision = Channel | ChannelOpenRejection;

/** A global request reply; `port` is the bound port of a `tcpip-forward` for port 0 (RFC 4254 §7.1). */
export interface GlobalReply {
  ok: boolean;
  data?: Uint8Array;
  port?: number;
}

export interface ConnectionHandler {
  /** Default: UNKNOWN_CHANNEL_TYPE for unknown types, ADMINISTRATIVELY_PROHIBITED for the rest. */
  onChannelOpen?(open: IncomingChannelOpen): ChannelOpenDecision | Promise<ChannelOpenDecision>;
  /** Default: REQUEST_FAILURE. Replies go out in request order even when answers are asynchronous. */
  onGlobalRequest?(request: GlobalRequest, wantReply: boolean): boolean | GlobalReply | Promise<boolean | GlobalReply>;
  /** The last open channel has closed (both CLOSEs passed); not called on destroy(). */
  onAllChannelsClosed?(): void;
}

export interface ConnectionOptions extends ChannelOptions {
  env: Env;
  /**
   * Sends one payload, `head` followed by `tail` when given; the transport frames, encrypts and (during re-exchange)
   * queues it.
   */
  send(head: Uint8Array, tail?: Uint8Array): void;
  handler?: ConnectionHandler;
}

interface PendingOpen {
  type: string;
  options: Required<ChannelOptions>;
  resolve(channel: Channel): void;
  reject(error: Error): void;
}

const EMPTY = new Uint8Array(0);

export class Connection {
  handler: ConnectionHandler;
  private readonly env: Env;
  private readonly sendPayload: (head: Uint8Array, tail?: Uint8Array) => void;
  private readonly defaults: Required<ChannelOptions>;
  private readonly channels = new Map<number, Channel>();
  private readonly opening = new Map<number, PendingOpen>();
  private readonly globalPending = new PendingReplies<GlobalReply, GlobalRequest['kind']>();
  private readonly globalReplies: OrderedReplies<{ request: GlobalRequest; reply: GlobalReply }>;
  private readonly host: ChannelHost;
  private dead: Error | undefined;

  constructor(opts: ConnectionOptions) {
    this.env = opts.env;
    this.sendPayload = opts.send;
    this.handler = opts.handler ?? {};
    this.defaults = resolveOptions(opts, {
      windowSize: DEFAULT_WINDOW_SIZE,
      maxPacketSize: DEFAULT_MAX_PACKET_SIZE,
      highWaterMark: DEFAULT_HIGH_WATER_MARK,
    });
    this.globalReplies = new OrderedReplies((r) => this.sendGlobalReply(r.request, r.reply), this.env.log);
    this.host = {
      send: (head, tail) => this.send(head, tail),
      log: this.env.log,
      release: (channel) => this.release(channel),
    };
  }

  /** Channels open or being opened by us. */
  get channelCount(): number {
    return this.channels.size + this.opening.size;
  }

  /** The reason passed to destroy(), once destroyed. */
  get destroyedBy(): Error | undefined {
    return this.dead;
  }

  /** Replaces the handler (an endpoint sets it once the user is authenticated). */
  setHandler(handler: ConnectionHandler): void {
    this.handler = handler;
  }

  channel(localId: number): Channel | undefined {
    return this.channels.get(localId);
  }

  /** RFC 4254 §5.1: resolves on CHANNEL_OPEN_CONFIRMATION, rejects with ChannelOpenError on failure. */
  openChannel(open: ChannelOpenKind, options?: ChannelOptions): Promise<Channel> {
    if (this.dead) return Promise.reject(this.dead);
    const o = resolveOptions(options ?? {}, this.defaults);
    const id = this.allocateId();
    const type = channelTypeName(open);
    return new Promise<Channel>((resolve, reject) => {
      this.opening.set(id, { type, options: o, resolve, reject });
      this.env.log.debug(`channel ${id}: new [${type}]`);
      this.sendMessage({ msg: MSG.CHANNEL_OPEN, sender: id, initialWindow: o.windowSize, maxPacket: o.maxPacketSize, open });
    });
  }

  /** RFC 4254 §6.1 */
  openSession(options?: ChannelOptions): Promise<Channel> {
    return this.openChannel({ kind: 'session' }, options);
  }

  /** RFC 4254 §4: without `wantReply`, resolves at once to { ok: true }. */
  globalRequest(request: GlobalRequest, wantReply: boolean): Promise<GlobalReply> {
    if (this.dead) return Promise.reject(this.dead);
    this.sendMessage({ msg: MSG.GLOBAL_REQUEST, wantReply, request });
    return wantReply ? this.globalPending.wait(request.kind) : Promise.resolve({ ok: true });
  }

  /** One payload of the connection protocol (message numbers 80..127). Throws SshError on protocol violations. */
  handle(payload: Uint8Array): void {
    if (this.dead) return;
    const n = payload.length > 0 ? payload[0] : -1;
    if (messageLayer(n) !== 'connection') throw new ProtocolError(`connection layer got message type ${n}`);
    const m = decodeConnectionMessage(payload);
    switch (m.msg) {
      case MSG.GLOBAL_REQUEST:
        return this.onGlobalRequest(m.request, m.wantReply);
      case MSG.REQUEST_SUCCESS:
      case MSG.REQUEST_FAILURE:
        return this.onGlobalReply(m.msg === MSG.REQUEST_SUCCESS ? m.data : undefined);
      case MSG.CHANNEL_OPEN:
        return this.onChannelOpen(m);
      case MSG.CHANNEL_OPEN_CONFIRMATION:
        return this.onOpenConfirmation(m);
      case MSG.CHANNEL_OPEN_FAILURE:
        return this.onOpenFailure(m);
      default:
        return this.onChannelMessage(m);
    }
  }

  /** The transport is gone: every channel gets 'close' with `error`, every pending promise rejects with it. */
  destroy(error?: Error): void {
    if (this.dead) return;
    const e = error ?? new ConnectionLostError('connection closed');
    this.dead = e;
    for (const p of this.opening.values()) p.reject(e);
    this.opening.clear();
    for (const ch of [...this.channels.values()]) ch.destroy(e);
    this.channels.clear();
    this.globalPending.rejectAll(e);
    this.globalReplies.drop();
  }

  private onChannelMessage(m: ChannelMessage): void {
    const ch = this.channels.get(m.recipient);
    if (!ch) {
      const state = this.opening.has(m.recipient) ? 'not yet open' : 'unknown';
      throw new ProtocolError(`message type ${m.msg} for ${state} channel ${m.recipient}`);
    }
    switch (m.msg) {
      case MSG.CHANNEL_WINDOW_ADJUST:
        return ch.receiveWindowAdjust(m.bytes);
      case MSG.CHANNEL_DATA:
        return ch.receiveData(undefined, m.data);
      case MSG.CHANNEL_EXTENDED_DATA:
        return ch.receiveData(m.dataType, m.data);
      case MSG.CHANNEL_EOF:
        return ch.receiveEof();
      case MSG.CHANNEL_CLOSE:
        return ch.receiveClose();
      case MSG.CHANNEL_REQUEST:
        return ch.receiveRequest(m.request, m.wantReply);
      case MSG.CHANNEL_SUCCESS:
      case MSG.CHANNEL_FAILURE:
        return ch.receiveReply(m.msg === MSG.CHANNEL_SUCCESS);
      case MSG.CHANNEL_OPEN_CONFIRMATION:
      case MSG.CHANNEL_OPEN_FAILURE:
        throw new ProtocolError(`channel ${m.recipient}: open reply for a channel already open`);
      default:
        assertNever(m);
    }
  }

  private onOpenConfirmation(m: Extract<ConnectionMessage, { msg: typeof MSG.CHANNEL_OPEN_CONFIRMATION }>): void {
    const p = this.takeOpening(m.recipient);
    if (!p) return this.onChannelMessage(m);
    const ch = new Channel(this.host, {
      type: p.type,
      localId: m.recipient,
      remoteId: m.sender,
      localWindow: p.options.windowSize,
      localMaxPacket: p.options.maxPacketSize,
      remoteWindow: m.initialWindow,
      remoteMaxPacket: m.maxPacket,
      highWaterMark: p.options.highWaterMark,
    });
    this.channels.set(ch.localId, ch);
    this.env.log.debug(`channel ${ch.localId}: open confirm rwindow ${m.initialWindow} rmax ${m.maxPacket}`);
    p.resolve(ch);
  }

  private onOpenFailure(m: Extract<ConnectionMessage, { msg: typeof MSG.CHANNEL_OPEN_FAILURE }>): void {
    const p = this.takeOpening(m.recipient);
    if (!p) return this.onChannelMessage(m);
    this.env.log.debug(`channel ${m.recipient}: open failed: ${channelOpenReasonText(m.reason)}: ${m.description}`);
    p.reject(new ChannelOpenError(m.reason, m.description));
  }

  private takeOpening(id: number): PendingOpen | undefined {
    const p = this.opening.get(id);
    this.opening.delete(id);
    return p;
  }

  private onChannelOpen(m: Extract<ConnectionMessage, { msg: typeof MSG.CHANNEL_OPEN }>): void {
    const type = channelTypeName(m.open);
    let answered = false;
    const reject = (reason: number, description: string): void => {
      if (answered || this.dead) return;
      answered = true;
      this.env.log.debug(`channel open [${type}] refused: ${description}`);
      const failure = { msg: MSG.CHANNEL_OPEN_FAILURE, recipient: m.sender, reason, description, language: '' } as const;
      this.sendMessage(failure);
    };
    const incoming: IncomingChannelOpen = {
      open: m.open,
      remoteId: m.sender,
      remoteWindow: m.initialWindow,
      remoteMaxPacket: m.maxPacket,
      accept: (options) => {
        if (this.dead) throw this.dead;
        if (answered) throw new Error(`channel open [${type}] already answered`);
        answered = true;
        return this.acceptChannel(type, m, resolveOptions(options ?? {}, this.defaults));
      },
    };
    const fallback: ChannelOpenRejection = {
      reject: m.open.kind === 'unknown' ? ChannelOpenFailure.UNKNOWN_CHANNEL_TYPE : ChannelOpenFailure.ADMINISTRATIVELY_PROHIBITED,
    };
    const decide = this.handler.onChannelOpen?.bind(this.handler) ?? (() => fallback);
    const failed: ChannelOpenRejection = { reject: ChannelOpenFailure.ADMINISTRATIVELY_PROHIBITED, description: 'open failed' };
    runHandler(() => decide(incoming), failed, this.env.log, (d) => {
      if (d instanceof Channel) {
        if (!answered) reject(ChannelOpenFailure.ADMINISTRATIVELY_PROHIBITED, 'handler returned a channel it did not accept');
      } else {
        reject(d.reject, d.description ?? channelOpenReasonText(d.reject));
      }
    });
  }

  private acceptChannel(
    type: string,
    m: Extract<ConnectionMessage, { msg: typeof MSG.CHANNEL_OPEN }>,
    o: Required<ChannelOptions>,
  ): Channel {
    const id = this.allocateId();
    const ch = new Channel(this.host, {
      type,
      localId: id,
      remoteId: m.sender,
      localWindow: o.windowSize,
      localMaxPacket: o.maxPacketSize,
      remoteWindow: m.initialWindow,
      remoteMaxPacket: m.maxPacket,
      highWaterMark: o.highWaterMark,
    });
    this.channels.set(id, ch);
    this.env.log.debug(`channel ${id}: accepted [${type}] from peer channel ${m.sender}`);
    this.sendMessage({
      msg: MSG.CHANNEL_OPEN_CONFIRMATION,
      recipient: m.sender,
      sender: id,
      initialWindow: o.windowSize,
      maxPacket: o.maxPacketSize,
      data: EMPTY,
    });
    return ch;
  }

  private onGlobalRequest(request: GlobalRequest, wantReply: boolean): void {
    const h = this.handler.onGlobalRequest?.bind(this.handler);
    const answer = (): GlobalReply | Promise<GlobalReply> => {
      if (!h) return { ok: false };
      const r = h(request, wantReply);
      return isPromise(r) ? r.then(toReply) : toReply(r);
    };
    if (!wantReply) return runHandler(answer, { ok: false }, this.env.log, () => {});
    this.globalReplies.add(() => {
      const r = answer();
      return isPromise(r) ? r.then((reply) => ({ request, reply })) : { request, reply: r };
    }, { request, reply: { ok: false } });
  }

  private sendGlobalReply(request: GlobalRequest, reply: GlobalReply): void {
    if (!reply.ok) return this.sendMessage({ msg: MSG.REQUEST_FAILURE });
    // RFC 4254 §7.1: the bound port is returned only when port 0 was asked for.
    const boundPort = request.kind === 'tcpip-forward' && request.port === 0 ? reply.port : undefined;
    const data = reply.data ?? (boundPort !== undefined ? encodeForwardPort(boundPort) : EMPTY);
    this.sendMessage({ msg: MSG.REQUEST_SUCCESS, data });
  }

  private onGlobalReply(data: Uint8Array | undefined): void {
    if (this.globalPending.size === 0) throw new ProtocolError('global request reply without a request');
    if (data === undefined) {
      this.globalPending.resolve({ ok: false });
      return;
    }
    const port = this.globalPending.nextTag === 'tcpip-forward' ? decodeForwardPort(data) : undefined;
    const copy = data.slice();
    this.globalPending.resolve(port === undefined ? { ok: true, data: copy } : { ok: true, data: copy, port });
  }

  private release(ch: Channel): void {
    if (this.channels.get(ch.localId) !== ch) return;
    this.channels.delete(ch.localId);
    this.env.log.debug(`channel ${ch.localId}: free`);
    if (!this.dead && this.channelCount === 0) this.handler.onAllChannelsClosed?.();
  }

  /** The lowest free id, as OpenSSH does; an id is free again once both CLOSEs have passed (RFC 4254 §5.3). */
  private allocateId(): number {
    let id = 0;
    while (this.channels.has(id) || this.opening.has(id)) id++;
    return id;
  }

  private sendMessage(m: ConnectionMessage): void {
    this.send(encodeConnectionMessage(m));
  }

  private send(head: Uint8Array, tail?: Uint8Array): void {
    if (!this.dead) this.sendPayload(head, tail);
  }
}

function toReply(r: boolean | GlobalReply): GlobalReply {
  return typeof r === 'boolean' ? { ok: r } : r;
}

function resolveOptions(o: ChannelOptions, d: Required<ChannelOptions>): Required<ChannelOptions> {
  const windowSize = o.windowSize ?? d.windowSize;
  const maxPacketSize = o.maxPacketSize ?? d.maxPacketSize;
  const highWaterMark = o.highWaterMark ?? d.highWaterMark;
  if (!Number.isInteger(windowSize) || windowSize < 1 || windowSize > 0xffffffff) {
    throw new RangeError(`invalid window size ${windowSize}`);
  }
  if (!Number.isInteger(maxPacketSize) || maxPacketSize < 1 || maxPacketSize > 0xffffffff) {
    throw new RangeError(`invalid maximum packet size ${maxPacketSize}`);
  }
  if (!(highWaterMark >= 0)) throw new RangeError(`invalid high-water mark ${highWaterMark}`);
  return { windowSize, maxPacketSize, highWaterMark };
}
