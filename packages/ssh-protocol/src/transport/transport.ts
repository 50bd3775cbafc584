import {
  ConnectionLostError,
  DisconnectReason,
  MSG,
  PeerDisconnectError,
  ProtocolError,
  SshError,
  concatBytes,
  utf8,
  type Env,
} from '../wire/index.js';
import { defaultAlgorithms, type AlgorithmPrefs } from './algorithms.js';
import { CompressionState } from './compression.js';
import { KeyExchange } from './key-exchange.js';
import type { Negotiated } from './kexinit.js';
import {
  decodeDebug,
  decodeDisconnect,
  decodeExtInfo,
  decodeIgnore,
  decodeUnimplemented,
  encodeDisconnect,
  encodeUnimplemented,
} from './messages.js';
import { PacketReader, PacketWriter } from './packet-protocol.js';
import { rekeyLimitFor } from './rekey-policy.js';
import type { TransportEvents, TransportOptions } from './transport-types.js';
import { identificationLine, scanIdentification } from './version.js';

type Phase = 'version' | 'packets' | 'closed';

/** RFC 4253 transport, sans-IO: bytes in through `receive`, bytes out through `events.output`. */
export class Transport {
  private phase: Phase = 'version';
  private readonly reader = new PacketReader();
  private readonly writer: PacketWriter;
  private readonly algs: AlgorithmPrefs;
  private readonly isClient: boolean;
  private readonly ourVersion: string;
  private peerVersionLine?: string;
  private versionBuf = new Uint8Array(0);
  private preambleLines = 0;
  private readonly kx: KeyExchange;
  private queued: Uint8Array[] = [];
  private paused = false;
  private rekeyLimit = Infinity;
  private keysSince = 0;
  private readonly compression = new CompressionState();

  constructor(
    private readonly opts: TransportOptions,
    private readonly env: Env,
    private readonly events: TransportEvents,
  ) {
    this.isClient = opts.role === 'client';
    this.writer = new PacketWriter(env.random);
    this.algs = { ...defaultAlgorithms(), ...opts.algorithms };
    this.ourVersion = identificationLine(opts.softwareVersion);
    if (!this.isClient && !opts.hostKeys?.length) throw new Error('a server transport needs at least one host key');
    this.kx = new KeyExchange({
      env,
      opts,
      algs: this.algs,
      ourVersion: this.ourVersion,
      peerVersion: () => this.peerVersionLine!,
      write: (p) => this.writePacket(p),
      useOutgoingKeys: (keys, compression, resetSeq) => {
        this.writer.setCipher(keys.cipher, keys.key, keys.iv, keys.mac);
        this.compression.enable('out', compression);
        if (resetSeq) this.writer.resetSeq();
        const byCipher = rekeyLimitFor(keys.cipher);
        this.rekeyLimit = this.opts.rekeyLimitBytes ? Math.min(this.opts.rekeyLimitBytes, byCipher) : byCipher;
        this.keysSince = this.env.now();
      },
      useIncomingKeys: (keys, compression, resetSeq) => {
        this.reader.setCipher(keys.cipher, keys.key, keys.iv, keys.mac);
        this.compression.enable('in', compression);
        if (resetSeq) this.reader.resetSeq();
      },
      newKeysSent: () => {
        const queued = this.queued;
        this.queued = [];
        for (const p of queued) this.writePacket(p);
      },
      established: () => this.events.ready?.(),
    });
  }

  get sessionId(): Uint8Array | undefined {
    return this.kx.sessionId;
  }
  get peerVersion(): string | undefined {
    return this.peerVersionLine;
  }
  get localVersion(): string {
    return this.ourVersion;
  }
  get isOpen(): boolean {
    return this.phase !== 'closed';
  }
  /** What the last key exchange chose, for logging. */
  get negotiated(): Negotiated | undefined {
    return this.kx.negotiated;
  }

  /** Send our identification line and our first KEXINIT. */
  start(): void {
    this.events.output(utf8(`${this.ourVersion}\r\n`));
    this.kx.begin();
  }

  /**
   * Bytes from the peer. The chunk is handed over: the transport keeps views of it (and payloads delivered upward
   * may point into it), so the caller must not reuse its memory.
   */
  receive(chunk: Uint8Array): void {
    this.take(chunk);
  }

  /**
   * Bytes from the peer in memory that the caller uses again once this returns (one buffer for every socket read):
   * the packets complete in it are handled now, and what the transport keeps of it is copied. Before the keys are
   * in use, payloads point into the bytes they came in, so the chunk is copied whole (the handshake's few packets).
   */
  receiveBorrowed(chunk: Uint8Array): void {
    // A copy made as a Uint8Array: a Node Buffer's slice() would be a view.
    if (this.phase !== 'packets' || !this.reader.opensIntoFreshMemory) return this.take(new Uint8Array(chunk));
    this.take(chunk);
    this.reader.detach();
  }

  private take(chunk: Uint8Array): void {
    if (this.phase === 'closed') return;
    if (this.phase === 'version') {
      const merged = new Uint8Array(this.versionBuf.length + chunk.length);
      merged.set(this.versionBuf);
      merged.set(chunk, this.versionBuf.length);
      this.versionBuf = merged;
    } else {
      this.reader.push(chunk);
    }
    this.pump();
  }

  /** The byte stream ended. */
  end(): void {
    this.fail(new ConnectionLostError());
  }

  /**
   * Send a payload for an upper layer; held back while a key exchange forbids it (RFC 4253 §7.1). A payload may come
   * in two parts, `head` then `tail` (a channel message and its data), joined only in the packet itself.
   */
  send(head: Uint8Array, tail?: Uint8Array): void {
    if (this.phase === 'closed') return;
    if (this.kx.holdsOutput) {
      this.queued.push(tail ? concatBytes(head, tail) : head);
      return;
    }
    this.writePacket(head, tail);
  }

  /** Start a key re-exchange now (no-op if one is running). */
  rekey(): void {
    if (this.phase === 'packets' && this.kx.established && !this.kx.inProgress) this.kx.begin();
  }

  /**
   * The user is authenticated: `zlib@openssh.com` compression starts now (OpenSSH PROTOCOL §1.2). The server calls
   * this right after sending USERAUTH_SUCCESS, the client right after receiving it.
   */
  startDelayedCompression(): void {
    this.compression.startDelayed();
  }

  sendUnimplemented(seq: number): void {
    this.writePacket(encodeUnimplemented(seq));
  }

  /** Send DISCONNECT and close. */
  disconnect(reason: number, description: string): void {
    if (this.phase === 'closed') return;
    this.writePacket(encodeDisconnect(reason, description));
    this.phase = 'closed';
    this.events.closed(reason === DisconnectReason.BY_APPLICATION ? undefined : new SshError(reason as never, description));
  }

  /** The one catch point: any SshError becomes a DISCONNECT (unless the peer ended it) and `closed`. */
  fail(err: unknown): void {
    if (this.phase === 'closed') return;
    const e =
      err instanceof SshError ? err : new SshError(DisconnectReason.PROTOCOL_ERROR, `internal error: ${String(err)}`);
    if (!(e instanceof PeerDisconnectError) && !(e instanceof ConnectionLostError) && this.phase === 'packets') {
      try {
        this.writePacket(encodeDisconnect(e.reason, e.message));
      } catch {
        // the transport is already unusable; closing is all that is left
      }
    }
    this.phase = 'closed';
    this.events.closed(e);
  }

  // --- input ---------------------------------------------------------------------------------------------

  private pump(): void {
    try {
      while (!this.paused && this.phase !== 'closed') {
        if (this.phase === 'version') {
          if (!this.readVersion()) return;
          continue;
        }
        const pkt = this.reader.next();
        if (!pkt) return;
        const payload = this.compression.decompress(pkt.payload);
        const pending = this.dispatch(payload, pkt.seq);
        if (pending) {
          this.paused = true;
          pending.then(
            () => {
              this.paused = false;
              this.pump();
            },
            (e: unknown) => this.fail(e),
          );
          return;
        }
        this.checkRekey();
      }
    } catch (e) {
      this.fail(e);
    }
  }

  private readVersion(): boolean {
    const scan = scanIdentification(this.versionBuf, this.isClient, this.preambleLines);
    for (const line of scan.preamble) this.events.banner?.(line);
    this.preambleLines += scan.preamble.length;
    if (scan.kind === 'need-more') {
      // keep only the unfinished line, so each banner line is reported once
      this.versionBuf = this.versionBuf.slice(scan.consumed);
      return false;
    }
    this.peerVersionLine = scan.version;
    this.reader.push(this.versionBuf.subarray(scan.consumed));
    this.versionBuf = new Uint8Array(0);
    this.phase = 'packets';
    return true;
  }

  private dispatch(payload: Uint8Array, seq: number): Promise<void> | undefined {
    if (payload.length === 0) throw new ProtocolError('empty packet');
    const n = payload[0];
    const initial = !this.kx.established;
    if (n === MSG.DISCONNECT) {
      const d = decodeDisconnect(payload);
      throw new PeerDisconnectError(d.reason, d.description);
    }
    if (this.kx.strict && initial && n !== MSG.NEWKEYS && !(n >= 30 && n <= 49) && n !== MSG.KEXINIT) {
      // OpenSSH PROTOCOL §1.10: strict KEX allows nothing else during the initial key exchange.
      throw new ProtocolError(`strict KEX violation: unexpected message ${n} during initial key exchange`);
    }
    switch (n) {
      case MSG.IGNORE:
        decodeIgnore(payload);
        return;
      case MSG.DEBUG: {
        const d = decodeDebug(payload);
        this.events.debugMessage?.(d.message, d.alwaysDisplay);
        return;
      }
      case MSG.UNIMPLEMENTED:
        this.env.log.debug(`peer reported packet ${decodeUnimplemented(payload)} unimplemented`);
        return;
      case MSG.KEXINIT:
        this.kx.onKexInit(payload, seq);
        return;
      case MSG.NEWKEYS:
        this.kx.onNewKeys(payload);
        return;
      case MSG.EXT_INFO:
        if (initial) throw new ProtocolError('EXT_INFO before the first key exchange finished');
        this.events.extInfo?.(decodeExtInfo(payload));
        return;
    }
    if (n >= 30 && n <= 49) return this.kx.onMethodMessage(payload);
    if (initial || this.kx.peerExchanging) {
      throw new ProtocolError(`unexpected message ${n} during key exchange`);
    }
    if (n >= 8 && n <= 19) {
      this.sendUnimplemented(seq);
      return;
    }
    const r = this.events.payload(payload, seq);
    return r instanceof Promise ? r : undefined;
  }

  private checkRekey(): void {
    if (this.kx.inProgress || !this.kx.established || this.phase !== 'packets') return;
    const interval = this.opts.rekeyIntervalMs;
    if (this.writer.bytesSinceKeys > this.rekeyLimit || this.reader.bytesSinceKeys > this.rekeyLimit) {
      this.env.log.verbose('rekey: data limit reached, starting key re-exchange');
      this.kx.begin();
    } else if (interval && this.env.now() - this.keysSince >= interval) {
      this.env.log.verbose('rekey: time limit reached, starting key re-exchange');
      this.kx.begin();
    }
  }

  // --- output --------------------------------------------------------------------------------------------

  private writePacket(head: Uint8Array, tail?: Uint8Array): void {
    if (this.phase === 'closed') return;
    // Strict KEX: a sequence number wrapping during the initial exchange would let an attacker splice packets.
    if (this.kx.strict && !this.kx.established && this.writer.seq === 0xffffffff) {
      throw new ProtocolError('sequence number wrapped during initial key exchange');
    }
    const wire = this.compression.compressing
      ? this.writer.write(this.compression.compress(tail ? concatBytes(head, tail) : head))
      : this.writer.write(head, tail);
    for (const piece of wire) this.events.output(piece);
    this.checkRekey();
  }
}
