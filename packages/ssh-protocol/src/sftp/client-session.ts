// The sans-IO core of an SFTP version 3 client (draft-ietf-secsh-filexfer-02 §4): INIT and VERSION, request ids,
// and the replies waiting for them. Bytes for the server leave through send(); bytes from it come in through
// receive(). Replies may come in any order (§6.1); each resolves the request with its id.
import { silentLogger } from '../wire/index.js';
import type { Logger } from '../wire/index.js';
import { SftpReplyError, SftpSessionClosedError } from './client-errors.js';
import { SFTP_MAX_PACKET_LENGTH, SFTP_VERSION } from './constants.js';
import { SftpReplyFramer, joinChunks } from './client-framer.js';
import { encodeRequest } from './requests.js';
import type { ExtensionPair, SftpIdRequest } from './requests.js';
import { decodeResponse } from './responses.js';
import type { SftpResponse } from './responses.js';
import { encodeWritePacket } from './bulk-packets.js';

/** A request as the caller gives it: the session picks the id. */
export type SftpRequestBody = SftpIdRequest extends infer T ? (T extends unknown ? Omit<T, 'id'> : never) : never;
/** A reply other than VERSION. */
export type SftpReply = Exclude<SftpResponse, { kind: 'version' }>;

export interface SftpClientOptions {
  /**
   * Bytes for the server, handed over: the client never writes to them again, so a transport may keep them rather
   * than copy them. Returning false says the transport is full: see `writable` and outputDrained(). `released`,
   * when given, is for the transport to call once it no longer refers to the bytes.
   */
  send(bytes: Uint8Array, released?: () => void): boolean | void;
  log?: Logger;
  /** Largest packet accepted from the server (the length field); OpenSSH's client takes 256 KiB. */
  maxPacketLength?: number;
}

/** What VERSION said (§4). */
export interface SftpServerInfo {
  readonly version: number;
  /** Extension name to its data (OpenSSH PROTOCOL §4.2: the extension's version). */
  readonly extensions: ReadonlyMap<string, string>;
}

interface Pending {
  resolve(reply: SftpReply | Uint8Array[]): void;
  reject(error: Error): void;
  /** DATA is wanted as the pieces it arrived in (requestChunks), not joined into one buffer. */
  chunks: boolean;
}

const MAX_ID = 0xffffffff;

export class SftpClientSession {
  /** Resolves once the session is over: undefined after close() or a clean end, else the error that ended it. */
  readonly closed: Promise<Error | undefined>;

  protected readonly log: Logger;
  private readonly framer: SftpReplyFramer;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private info: SftpServerInfo | undefined;
  private versionWaiter: { resolve(info: SftpServerInfo): void; reject(error: Error): void } | undefined;
  private initSent = false;
  private blocked = false;
  /** cork() depth, and the packets held meanwhile. */
  private corked = 0;
  private held: Array<{ bytes: Uint8Array; released?: () => void }> = [];
  private drainWaiters: Array<() => void> = [];
  private endError: Error | undefined;
  private ended = false;
  private resolveClosed!: (e: Error | undefined) => void;

  constructor(private readonly opts: SftpClientOptions) {
    this.log = opts.log ?? silentLogger;
    this.framer = new SftpReplyFramer(opts.maxPacketLength ?? SFTP_MAX_PACKET_LENGTH);
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /** VERSION's answer, once init() has resolved. */
  get server(): SftpServerInfo {
    if (!this.info) throw new Error('sftp: the session is not initialised');
    return this.info;
  }

  /** Whether the server advertised `name` (OpenSSH PROTOCOL §4.2), optionally at `version`. */
  supports(name: string, version?: string): boolean {
    const v = this.info?.extensions.get(name);
    return v !== undefined && (version === undefined || v === version);
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** False while the transport holds what it was given (send() returned false and outputDrained() has not come). */
  get writable(): boolean {
    return !this.blocked || this.ended;
  }

  get isOpen(): boolean {
    return !this.ended;
  }

  /** Resolves when the transport takes more (at once when it does already, or when the session is over). */
  waitWritable(): Promise<void> {
    if (this.writable) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** §4: sends INIT and resolves with VERSION. Version 3 is all this client speaks. */
  init(extensions: readonly ExtensionPair[] = []): Promise<SftpServerInfo> {
    if (this.initSent) return Promise.reject(new Error('sftp: init() called twice'));
    this.initSent = true;
    const reply = new Promise<SftpServerInfo>((resolve, reject) => (this.versionWaiter = { resolve, reject }));
    this.transmit(encodeRequest({ kind: 'init', version: SFTP_VERSION, extensions: [...extensions] }));
    return reply;
  }

  /** Sends a request with a fresh id; resolves with whatever the server answers to it. Its bytes are encoded (copied) before this returns. */
  request(body: SftpRequestBody): Promise<SftpReply> {
    // WRITE carries the bulk of an upload: encoded with a single copy of its data.
    return this.send(
      (id) => (body.kind === 'write' ? encodeWritePacket(id, body.handle, body.offset, body.data) : encodeRequest({ ...body, id } as SftpIdRequest)),
      false,
    ) as Promise<SftpReply>;
  }

  /**
   * Like request(), with DATA answered as the pieces it arrived in (no copy into one buffer); any other reply as
   * request() gives it. The pieces are the caller's to keep.
   */
  requestChunks(body: SftpRequestBody): Promise<SftpReply | Uint8Array[]> {
    return this.send((id) => encodeRequest({ ...body, id } as SftpIdRequest), true);
  }

  /**
   * Sends the packet `encode` makes for a fresh id (the whole packet, length field included, not copied);
   * `released` is called once nothing refers to the packet's bytes any more (see SftpClientOptions.send).
   */
  requestEncoded(encode: (id: number) => Uint8Array, released?: () => void): Promise<SftpReply> {
    return this.send(encode, false, released) as Promise<SftpReply>;
  }

  private send(encode: (id: number) => Uint8Array, chunks: boolean, released?: () => void): Promise<SftpReply | Uint8Array[]> {
    if (this.ended) return Promise.reject(this.closedError());
    if (!this.info) return Promise.reject(new Error('sftp: request before VERSION'));
    const id = this.allocateId();
    const bytes = encode(id);
    const reply = new Promise<SftpReply | Uint8Array[]>((resolve, reject) => this.pending.set(id, { resolve, reject, chunks }));
    this.transmit(bytes, released);
    return reply;
  }

  /** Bytes from the server. A malformed stream ends the session. */
  receive(chunk: Uint8Array): void {
    if (this.ended) return;
    try {
      this.framer.push(chunk);
      for (let f = this.framer.next(); f && !this.ended; f = this.framer.next()) {
        if (f.kind === 'data') this.dispatchData(f.id, f.chunks, f.length);
        else this.dispatch(decodeResponse(f.payload));
      }
    } catch (e) {
      this.end(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** The transport took what it held: sending may go on. */
  outputDrained(): void {
    if (!this.blocked) return;
    this.blocked = false;
    this.wakeWriters();
  }

  /**
   * The session is over: the server closed its end, the transport died (`error`), or the caller is done. Every
   * request still waiting fails with SftpSessionClosedError.
   */
  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.endError = error;
    if (error) this.log.debug(`sftp: session ended: ${error.message}`);
    const closed = this.closedError();
    this.versionWaiter?.reject(closed);
    this.versionWaiter = undefined;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(closed);
    this.wakeWriters();
    this.resolveClosed(error);
  }

  private closedError(): Error {
    if (this.endError instanceof SftpReplyError) return this.endError;
    return new SftpSessionClosedError('Connection closed', this.endError);
  }

  private dispatch(m: SftpResponse): void {
    if (m.kind === 'version') {
      const waiter = this.versionWaiter;
      if (!waiter || this.info) throw new SftpReplyError('sftp: unexpected VERSION');
      this.versionWaiter = undefined;
      this.info = { version: m.version, extensions: new Map(m.extensions.map((e) => [e.name, e.data])) };
      this.log.debug(`Remote version: ${m.version}`);
      for (const e of m.extensions) this.log.debug(`Server supports extension "${e.name}" revision ${e.data}`);
      // §4: the server answers with the lowest version both speak; below 3 this client has nothing to say.
      if (m.version < SFTP_VERSION) {
        const e = new SftpReplyError(`sftp: server speaks version ${m.version}, this client needs ${SFTP_VERSION}`);
        waiter.reject(e);
        throw e;
      }
      waiter.resolve(this.info);
      return;
    }
    this.answered(m.id).resolve(m);
  }

  /** A DATA reply, in pieces: handed over as they are when the request asked for them so, else joined. */
  private dispatchData(id: number, chunks: Uint8Array[], length: number): void {
    const p = this.answered(id);
    if (p.chunks) p.resolve(chunks);
    else p.resolve({ kind: 'data', id, data: joinChunks(chunks) });
  }

  /** The request `id` answers, no longer pending; a reply to none ends the session. */
  private answered(id: number): Pending {
    if (!this.info) throw new SftpReplyError(`sftp: reply (id ${id}) before VERSION`);
    const p = this.pending.get(id);
    if (!p) throw new SftpReplyError(`sftp: reply with id ${id} to no request`);
    this.pending.delete(id);
    return p;
  }

  private allocateId(): number {
    // Ids wrap at 2^32; one still waiting for its reply is skipped.
    do this.nextId = this.nextId === MAX_ID ? 0 : this.nextId + 1;
    while (this.pending.has(this.nextId));
    return this.nextId;
  }

  /**
   * Holds the requests sent from now until the matching uncork(), which sends them in one piece: a group of READs
   * goes out as one channel write (one SSH packet) instead of one each.
   */
  cork(): void {
    this.corked++;
  }

  uncork(): void {
    if (this.corked === 0 || --this.corked > 0) return;
    const held = this.held;
    if (held.length === 0) return;
    this.held = [];
    if (held.length === 1) return this.transmit(held[0].bytes, held[0].released);
    const joined = joinChunks(held.map((h) => h.bytes));
    for (const h of held) h.released?.();
    this.transmit(joined);
  }

  private transmit(bytes: Uint8Array, released?: () => void): void {
    if (this.corked > 0 && !this.ended) {
      this.held.push({ bytes, released });
      return;
    }
    try {
      if (this.opts.send(bytes, released) === false) this.blocked = true;
    } catch (e) {
      this.end(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private wakeWriters(): void {
    for (const w of this.drainWaiters.splice(0)) w();
  }
}
