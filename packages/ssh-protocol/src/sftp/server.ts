// A sans-IO SFTP version 3 server (draft-ietf-secsh-filexfer-02): bytes in through receive(), bytes out through
// send(), the file system behind an async interface. Requests run concurrently, ordered where §6.1 requires, and
// memory stays bounded: past `maxInFlight` requests (or `maxInFlightBytes`) no more input is parsed, and
// `paused` tells the transport to stop crediting the peer (§3: "If the server's queues are full, it should not
// read any more data from the stream, and flow control will prevent the client from sending more requests").
import { silentLogger } from '../wire/index.js';
import type { Logger } from '../wire/index.js';
import { encodeDataPacket } from './bulk-packets.js';
import { FX, FXP, SFTP_VERSION } from './constants.js';
import { HandleTable } from './handle-table.js';
import { SftpFramingError } from './packet-framer.js';
import { locksFor } from './request-locks.js';
import { ReplyOrder } from './reply-order.js';
import { RequestOrder } from './request-order.js';
import type { OrderTicket } from './request-order.js';
import { SftpRequestFramer } from './request-framer.js';
import type { FramedWrite } from './request-framer.js';
import { decodeRequest, isRequestType } from './requests.js';
import { encodeResponse } from './responses.js';
import { DEFAULT_SFTP_LIMITS } from './server-context.js';
import type { ServeContext, SftpServerLimits } from './server-context.js';
import { advertisedExtensions } from './server-extensions.js';
import { closeHandle, serveRequest } from './server-operations.js';
import type { ServedRequest } from './server-operations.js';
import { statusResponse } from './server-replies.js';
import type { ServerReply } from './server-replies.js';
import { statusFor } from './status-errors.js';
import type { SftpFileSystem } from './file-system.js';

export interface SftpServerOptions {
  fs: SftpFileSystem;
  /** Bytes for the client. Returning false holds further work until outputDrained() is called. */
  send(bytes: Uint8Array): boolean | void;
  log?: Logger;
  /** The session's default directory (§6.2), absolute; "/" when absent. */
  home?: string;
  limits?: Partial<SftpServerLimits>;
  /** Milliseconds since the epoch, for long listings; Date.now when absent. */
  now?: () => number;
  /**
   * A buffer for a reply packet, every byte of which is written before it is sent: Buffer.allocUnsafe saves
   * zeroing the data that a READ fills in. `new Uint8Array` when absent.
   */
  allocate?: (size: number) => Uint8Array;
  /** The server was paused and takes input again: credit what it was given meanwhile. */
  resumed?(): void;
  /** The session is over: after the last reply following end(), or at once on a fatal protocol error. */
  closed?(error?: Error): void;
}

export class SftpServer {
  /** Resolves once the session is over and every handle is closed. */
  readonly finished: Promise<void>;

  private readonly ctx: ServeContext;
  private readonly framer: SftpRequestFramer;
  private readonly order = new RequestOrder();
  /** A request counts as in flight until its reply has left, so that replies held for order stay bounded. */
  private readonly replies = new ReplyOrder<{ response: ServerReply | undefined; cost: number }>((done) => {
    this.inFlight--;
    this.inFlightBytes -= done.cost;
    if (done.response) this.reply(done.response);
  });
  private initialized = false;
  private inFlight = 0;
  private inFlightBytes = 0;
  private outputBlocked = false;
  private pauseReported = false;
  private pumping = false;
  /** No more input will come (end()). */
  private ending = false;
  /** Nothing more is sent or parsed (fatal error, destroy(), or done). */
  private stopped = false;
  private closedCalled = false;
  private tornDown = false;
  private finalError: Error | undefined;
  private resolveFinished!: () => void;

  constructor(private readonly opts: SftpServerOptions) {
    const limits = { ...DEFAULT_SFTP_LIMITS, ...opts.limits };
    this.framer = new SftpRequestFramer(limits.maxPacketLength);
    this.ctx = {
      fs: opts.fs,
      handles: new HandleTable(limits.maxOpenHandles),
      home: opts.home ?? '/',
      limits,
      log: opts.log ?? silentLogger,
      now: opts.now ?? Date.now,
      allocate: opts.allocate ?? ((size) => new Uint8Array(size)),
    };
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  /** True while the server takes no more requests: input given now waits in its buffer. */
  get paused(): boolean {
    const l = this.ctx.limits;
    return this.inFlight >= l.maxInFlight || this.inFlightBytes >= l.maxInFlightBytes || this.outputBlocked;
  }

  /** Requests being served. */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** Input bytes not yet parsed into requests. */
  get bufferedBytes(): number {
    return this.framer.buffered;
  }

  /** Bytes from the client. Returns false when paused: hold the peer's credit until `resumed`. */
  receive(chunk: Uint8Array): boolean {
    if (this.stopped || this.ending) return true;
    this.framer.push(chunk);
    this.pump();
    if (!this.paused) return true;
    this.pauseReported = true;
    return false;
  }

  /** The transport took what send() could not: work goes on. */
  outputDrained(): void {
    if (!this.outputBlocked) return;
    this.outputBlocked = false;
    this.pump();
  }

  /** The client's end of input (EOF): requests already received are served, then the session closes. */
  end(): void {
    if (this.ending || this.stopped) return;
    this.ending = true;
    this.pump();
  }

  /** The transport is gone: nothing more is sent; handles close once running requests return. */
  destroy(error?: Error): void {
    if (this.stopped) return;
    this.stop(error);
  }

  // ---- input ----------------------------------------------------------------------------------------

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.stopped && !this.paused) {
        const payload = this.framer.next();
        if (!payload) break;
        this.handlePacket(payload);
      }
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    } finally {
      this.pumping = false;
    }
    if (this.pauseReported && !this.paused && !this.stopped) {
      this.pauseReported = false;
      this.callback('resumed', () => this.opts.resumed?.());
    }
    this.maybeFinish();
  }

  private handlePacket(packet: Uint8Array | FramedWrite): void {
    if (!(packet instanceof Uint8Array)) {
      if (!this.initialized) throw new SftpFramingError(`sftp: expected INIT, got packet type ${FXP.WRITE}`);
      this.admit(packet, packet.length);
      return;
    }
    const payload = packet;
    const type = payload[0];
    // §4: INIT comes first, once; anything else there means we are not talking to an SFTP client.
    if (!this.initialized) {
      if (type !== FXP.INIT) throw new SftpFramingError(`sftp: expected INIT, got packet type ${type}`);
      const init = decodeRequest(payload);
      if (init.kind !== 'init') throw new SftpFramingError('sftp: INIT did not decode');
      this.initialized = true;
      this.ctx.log.debug(`sftp: client version ${init.version}`);
      this.reply({ kind: 'version', version: SFTP_VERSION, extensions: advertisedExtensions(this.ctx.fs) });
      return;
    }
    if (type === FXP.INIT) throw new SftpFramingError('sftp: INIT received twice');
    if (payload.length < 5) throw new SftpFramingError(`sftp: packet type ${type} too short for a request id`);
    const id = new DataView(payload.buffer, payload.byteOffset + 1, 4).getUint32(0);
    if (!isRequestType(type)) {
      this.ctx.log.info(`sftp: unknown message type ${type} (id ${id})`);
      this.answerNow(statusResponse(id, FX.OP_UNSUPPORTED));
      return;
    }
    let m;
    try {
      m = decodeRequest(payload);
    } catch (e) {
      this.ctx.log.info(`sftp: bad message type ${type} id ${id}: ${e instanceof Error ? e.message : String(e)}`);
      this.answerNow(statusResponse(id, FX.BAD_MESSAGE));
      return;
    }
    if (m.kind === 'init') throw new SftpFramingError('sftp: INIT received twice');
    if (m.kind === 'write') {
      const { id: wid, handle, offset, data } = m;
      this.admit({ kind: 'write', id: wid, handle, offset, parts: [data], length: data.length }, payload.length);
    } else {
      this.admit(m, payload.length);
    }
  }

  /** §6.1: the request starts once every earlier request touching the same things is done. */
  private admit(m: ServedRequest, size: number): void {
    const cost = m.kind === 'read' ? Math.min(m.length, this.ctx.limits.maxReadLength) : size;
    const place = this.replies.ticket();
    this.inFlight++;
    this.inFlightBytes += cost;
    this.order.admit(locksFor(m, this.ctx.handles), (ticket) => void this.run(m, ticket, cost, place));
  }

  /** A reply that needs no work still waits for the replies to earlier requests. */
  private answerNow(response: ServerReply): void {
    const place = this.replies.ticket();
    this.inFlight++;
    this.replies.done(place, { response, cost: 0 });
  }

  private async run(m: ServedRequest, ticket: OrderTicket, cost: number, place: number): Promise<void> {
    // A request still waiting for its turn when the session died is not served at all.
    const response = this.stopped ? undefined : await this.serve(m);
    this.order.finish(ticket);
    this.replies.done(place, { response, cost });
    if (this.stopped) this.maybeTearDown();
    else this.pump();
  }

  private async serve(m: ServedRequest): Promise<ServerReply> {
    try {
      return await serveRequest(this.ctx, m);
    } catch (e) {
      const s = statusFor(e);
      const text = e instanceof Error ? e.message : String(e);
      if (s.unexpected) this.ctx.log.error(`sftp: ${m.kind} (id ${m.id}) failed: ${text}`);
      else this.ctx.log.debug(`sftp: ${m.kind} (id ${m.id}): ${text}`);
      return statusResponse(m.id, s.code, s.message);
    }
  }

  // ---- output and ending ----------------------------------------------------------------------------

  private reply(m: ServerReply): void {
    if (this.stopped) return;
    try {
      // DATA carries the bulk of a download: read into its packet, or encoded with a single copy of its data.
      const bytes = m.kind === 'encoded' ? m.bytes : m.kind === 'data' ? encodeDataPacket(m.id, m.data) : encodeResponse(m);
      if (this.opts.send(bytes) === false) this.outputBlocked = true;
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** After end(): done once nothing runs and no whole packet waits (a partial one is dropped). */
  private maybeFinish(): void {
    if (!this.ending || this.stopped || this.inFlight > 0 || this.paused) return;
    const left = this.framer.buffered;
    if (left > 0) this.ctx.log.debug(`sftp: ${left} bytes of a partial packet at end of input`);
    this.stop(undefined);
  }

  private fail(error: Error): void {
    if (this.stopped) return;
    this.ctx.log.error(`${error.message}; closing the SFTP session`);
    this.stop(error);
  }

  private stop(error: Error | undefined): void {
    this.stopped = true;
    this.finalError = error;
    if (error) this.callClosed();
    this.maybeTearDown();
  }

  private maybeTearDown(): void {
    if (this.tornDown || this.inFlight > 0) return;
    this.tornDown = true;
    void this.closeAll().then(() => {
      this.callClosed();
      this.resolveFinished();
    });
  }

  private async closeAll(): Promise<void> {
    for (const h of this.ctx.handles.removeAll()) {
      try {
        await closeHandle(this.ctx, h);
      } catch (e) {
        this.ctx.log.debug(`sftp: closing "${h.path}": ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private callClosed(): void {
    if (this.closedCalled) return;
    this.closedCalled = true;
    this.callback('closed', () => this.opts.closed?.(this.finalError));
  }

  /** The owner's callbacks run from promise continuations: what they throw is logged, never left unhandled. */
  private callback(name: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.ctx.log.error(`sftp: the ${name} callback threw: ${e instanceof Error ? e.message : String(e)}`);
      if (!this.stopped) this.fail(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
