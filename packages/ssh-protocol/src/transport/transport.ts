import { parsePublicKeyBlob, signatureAlgorithmOf, type PrivateKey, type PublicKey } from '../keys/index.js';
import {
  ConnectionLostError,
  DisconnectReason,
  HostKeyError,
  KexError,
  MSG,
  PeerDisconnectError,
  ProtocolError,
  SshError,
  bytesEqual,
  utf8,
  type Env,
} from '../wire/index.js';
import { defaultAlgorithms, type AlgorithmPrefs } from './algorithms.js';
import { CIPHERS } from './ciphers/index.js';
import { PayloadCompressor, PayloadDecompressor, compressionStart } from './compression.js';
import { KexRound, directionKeys } from './kex-round.js';
import {
  EXT_INFO_C,
  EXT_INFO_S,
  KEX_STRICT_C,
  KEX_STRICT_S,
  decodeKexInit,
  encodeKexInit,
  guessWasRight,
  negotiateAll,
  type KexInit,
} from './kexinit.js';
import {
  decodeDebug,
  decodeDisconnect,
  decodeExtInfo,
  decodeIgnore,
  decodeUnimplemented,
  encodeDisconnect,
  encodeExtInfo,
  encodeUnimplemented,
} from './messages.js';
import { PacketReader, PacketWriter } from './packet-protocol.js';
import { rekeyLimitFor } from './rekey-policy.js';
import { identificationLine, scanIdentification } from './version.js';

export interface TransportOptions {
  role: 'client' | 'server';
  algorithms?: Partial<AlgorithmPrefs>;
  softwareVersion?: string;
  /** Server: host keys to prove our identity with. */
  hostKeys?: readonly PrivateKey[];
  /** Server: signature algorithms announced in EXT_INFO server-sig-algs (RFC 8308 §3.1). */
  serverSigAlgs?: readonly string[];
  /** Client: accept or refuse the server's host key (known_hosts). Called on the first key exchange only. */
  verifyHostKey?: (key: PublicKey) => boolean | Promise<boolean>;
  /** Rekey after this many bytes in either direction (default: by cipher, as OpenSSH). */
  rekeyLimitBytes?: number;
}

export interface TransportEvents {
  /** Bytes for the peer, in order. */
  output(bytes: Uint8Array): void;
  /** A payload for the layers above (message numbers 5, 6 and 50 up); may be async: input waits for it. */
  payload(payload: Uint8Array, seq: number): void | Promise<void>;
  /** First key exchange finished both ways. */
  ready?(): void;
  extInfo?(ext: Map<string, Uint8Array>): void;
  /** Lines the server sent before its identification line (client only). */
  banner?(line: string): void;
  debugMessage?(message: string, alwaysDisplay: boolean): void;
  /** The connection is over; `error` tells why (undefined: closed by us, cleanly). Output is complete. */
  closed(error?: SshError): void;
}

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
  private kex?: KexRound;
  private firstKexDone = false;
  private strict = false;
  private peerWantsExtInfo = false;
  private sid?: Uint8Array;
  private firstHostKey?: Uint8Array;
  private queued: Uint8Array[] = [];
  private paused = false;
  private rekeyLimit = Infinity;
  private compressor?: PayloadCompressor;
  private decompressor?: PayloadDecompressor;
  /** zlib@openssh.com negotiated: compression waits for startDelayedCompression() (after USERAUTH_SUCCESS). */
  private readonly delayed = { out: false, in: false };
  private authDone = false;

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
  }

  get sessionId(): Uint8Array | undefined {
    return this.sid;
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
  get negotiated() {
    return this.lastNegotiated;
  }
  private lastNegotiated?: KexRound['negotiated'];

  /** Send our identification line and our first KEXINIT. */
  start(): void {
    this.events.output(utf8(`${this.ourVersion}\r\n`));
    this.beginKex();
  }

  receive(chunk: Uint8Array): void {
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

  /** Send a payload for an upper layer; held back while a key exchange forbids it (RFC 4253 §7.1). */
  send(payload: Uint8Array): void {
    if (this.phase === 'closed') return;
    if (!this.firstKexDone || (this.kex && !this.kex.newKeysSent)) {
      this.queued.push(payload);
      return;
    }
    this.writePacket(payload);
  }

  /** Start a key re-exchange now (no-op if one is running). */
  rekey(): void {
    if (this.phase === 'packets' && this.firstKexDone && !this.kex) this.beginKex();
  }

  /**
   * The user is authenticated: `zlib@openssh.com` compression starts now (OpenSSH PROTOCOL §1.2). The server calls
   * this right after sending USERAUTH_SUCCESS, the client right after receiving it.
   */
  startDelayedCompression(): void {
    this.authDone = true;
    if (this.delayed.out && !this.compressor) this.compressor = new PayloadCompressor();
    if (this.delayed.in && !this.decompressor) this.decompressor = new PayloadDecompressor();
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
        const payload = this.decompressor ? this.decompressor.decompress(pkt.payload) : pkt.payload;
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
    const initial = !this.firstKexDone;
    if (n === MSG.DISCONNECT) {
      const d = decodeDisconnect(payload);
      throw new PeerDisconnectError(d.reason, d.description);
    }
    if (this.strict && initial && n !== MSG.NEWKEYS && !(n >= 30 && n <= 49) && n !== MSG.KEXINIT) {
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
        this.onKexInit(payload, seq);
        return;
      case MSG.NEWKEYS:
        this.onNewKeys(payload);
        return;
      case MSG.EXT_INFO:
        if (initial) throw new ProtocolError('EXT_INFO before the first key exchange finished');
        this.events.extInfo?.(decodeExtInfo(payload));
        return;
    }
    if (n >= 30 && n <= 49) return this.onKexMethodMessage(payload);
    if (initial || this.kex?.peer) {
      throw new ProtocolError(`unexpected message ${n} during key exchange`);
    }
    if (n >= 8 && n <= 19) {
      this.sendUnimplemented(seq);
      return;
    }
    const r = this.events.payload(payload, seq);
    return r instanceof Promise ? r : undefined;
  }

  // --- key exchange --------------------------------------------------------------------------------------

  private beginKex(): void {
    const first = !this.firstKexDone;
    const a = this.algs;
    const kexNames = [...a.kex];
    if (first) kexNames.push(this.isClient ? EXT_INFO_C : EXT_INFO_S, this.isClient ? KEX_STRICT_C : KEX_STRICT_S);
    const ours: KexInit = {
      cookie: this.env.random(16),
      kex: kexNames,
      hostKey: this.isClient ? [...a.hostKey] : this.serverHostKeyAlgorithms(),
      cipherC2S: [...a.ciphers],
      cipherS2C: [...a.ciphers],
      macC2S: [...a.macs],
      macS2C: [...a.macs],
      compressionC2S: [...a.compression],
      compressionS2C: [...a.compression],
      languageC2S: [],
      languageS2C: [],
      firstKexFollows: false,
    };
    const payload = encodeKexInit(ours);
    this.kex = new KexRound(ours, payload, first);
    this.writePacket(payload);
  }

  private serverHostKeyAlgorithms(): string[] {
    const offered = new Set(this.opts.hostKeys!.flatMap((k) => k.publicKey.signatureAlgorithms));
    return this.algs.hostKey.filter((n) => offered.has(n));
  }

  private onKexInit(payload: Uint8Array, seq: number): void {
    if (this.kex?.peer) throw new ProtocolError('KEXINIT received twice in one key exchange');
    const peer = decodeKexInit(payload);
    if (!this.kex) this.beginKex();
    const round = this.kex!;
    round.peer = peer;
    round.peerKexInit = payload;
    if (round.first) {
      this.strict = peer.kex.includes(this.isClient ? KEX_STRICT_S : KEX_STRICT_C);
      if (this.strict && seq !== 0) throw new ProtocolError('strict KEX violation: KEXINIT was not the first packet');
      this.peerWantsExtInfo = !this.isClient && peer.kex.includes(EXT_INFO_C);
    }
    const client = this.isClient ? round.ours : peer;
    const server = this.isClient ? peer : round.ours;
    const negotiated = negotiateAll(client, server, (c) => CIPHERS.get(c)?.aead ?? false);
    round.negotiated = negotiated;
    this.lastNegotiated = negotiated;
    this.env.log.debug(`kex: algorithm: ${negotiated.kex}`);
    this.env.log.debug(`kex: host key algorithm: ${negotiated.hostKey}`);
    this.env.log.debug(`kex: ciphers: ${negotiated.cipherC2S} / ${negotiated.cipherS2C}`);
    if (peer.firstKexFollows && !guessWasRight(client, server)) round.ignoreNextKexPacket = true;
    round.method = round.methodFor(negotiated.kex);
    const inputs = {
      clientVersion: this.isClient ? this.ourVersion : this.peerVersionLine!,
      serverVersion: this.isClient ? this.peerVersionLine! : this.ourVersion,
      clientKexInit: this.isClient ? round.ourPayload : payload,
      serverKexInit: this.isClient ? payload : round.ourPayload,
      env: this.env,
    };
    if (this.isClient) {
      round.client = round.method.client(inputs);
      for (const p of round.client.start()) this.writePacket(p);
    } else {
      const key = this.opts.hostKeys!.find((k) => k.publicKey.signatureAlgorithms.includes(negotiated.hostKey));
      if (!key) throw new KexError(`no host key for ${negotiated.hostKey}`);
      round.server = round.method.server(inputs, {
        blob: key.publicKey.blob,
        sign: (h) => key.sign(h, negotiated.hostKey),
      });
    }
  }

  private onKexMethodMessage(payload: Uint8Array): Promise<void> | undefined {
    const round = this.kex;
    if (!round?.peer) throw new ProtocolError(`key exchange message ${payload[0]} outside a key exchange`);
    if (round.ignoreNextKexPacket) {
      round.ignoreNextKexPacket = false;
      return;
    }
    if (round.output) throw new ProtocolError(`unexpected key exchange message ${payload[0]}`);
    if (round.server) {
      const { send, result } = round.server.handle(payload);
      for (const p of send) this.writePacket(p);
      if (result) {
        round.output = result;
        this.sendNewKeys(round);
      }
      return;
    }
    const { send, result } = round.client!.handle(payload);
    for (const p of send) this.writePacket(p);
    if (!result) return;
    const key = this.checkHostKey(round, result.hostKeyBlob, result.signature, result.exchangeHash);
    const finish = (): void => {
      round.output = result;
      this.sendNewKeys(round);
    };
    if (!round.first) {
      if (!bytesEqual(result.hostKeyBlob, this.firstHostKey!)) throw new KexError('host key changed during rekey');
      finish();
      return;
    }
    this.firstHostKey = result.hostKeyBlob;
    const verdict = this.opts.verifyHostKey ? this.opts.verifyHostKey(key) : false;
    const settle = (ok: boolean): void => {
      if (!ok) throw new HostKeyError('Host key verification failed.');
      finish();
    };
    if (verdict instanceof Promise) return verdict.then(settle);
    settle(verdict);
    return;
  }

  private checkHostKey(round: KexRound, blob: Uint8Array, signature: Uint8Array, h: Uint8Array): PublicKey {
    const alg = round.negotiated!.hostKey;
    let key: PublicKey;
    try {
      key = parsePublicKeyBlob(blob);
    } catch (e) {
      throw new KexError(`unusable host key: ${(e as Error).message}`);
    }
    if (!key.signatureAlgorithms.includes(alg)) throw new KexError(`host key type ${key.type} does not match ${alg}`);
    if (signatureAlgorithmOf(signature) !== alg) throw new KexError(`host key signature is not ${alg}`);
    if (!key.verify(h, signature)) throw new KexError('incorrect signature on the exchange hash');
    return key;
  }

  private sendNewKeys(round: KexRound): void {
    const out = round.output!;
    if (!this.sid) this.sid = out.exchangeHash.slice();
    const n = round.negotiated!;
    this.writePacket(Uint8Array.of(MSG.NEWKEYS));
    const keys = directionKeys(
      out,
      round.method!,
      this.sid,
      this.isClient ? n.cipherC2S : n.cipherS2C,
      this.isClient ? n.macC2S : n.macS2C,
      this.isClient,
    );
    this.writer.setCipher(keys.cipher, keys.key, keys.iv, keys.mac);
    keys.key.fill(0);
    this.enableCompression('out', this.isClient ? n.compressionC2S : n.compressionS2C);
    if (this.strict) this.writer.resetSeq();
    round.newKeysSent = true;
    this.rekeyLimit = this.opts.rekeyLimitBytes ?? rekeyLimitFor(keys.cipher);
    if (round.first && this.peerWantsExtInfo) {
      const ext = new Map([['server-sig-algs', (this.opts.serverSigAlgs ?? []).join(',')]]);
      this.writePacket(encodeExtInfo(ext));
    }
    const queued = this.queued;
    this.queued = [];
    for (const p of queued) this.writePacket(p);
    this.maybeFinishKex(round);
  }

  private onNewKeys(payload: Uint8Array): void {
    const round = this.kex;
    if (payload.length !== 1) throw new ProtocolError('NEWKEYS with trailing bytes');
    if (!round?.output) throw new ProtocolError('NEWKEYS before the key exchange finished');
    if (round.newKeysReceived) throw new ProtocolError('NEWKEYS received twice');
    const n = round.negotiated!;
    const keys = directionKeys(
      round.output,
      round.method!,
      this.sid!,
      this.isClient ? n.cipherS2C : n.cipherC2S,
      this.isClient ? n.macS2C : n.macC2S,
      !this.isClient,
    );
    this.reader.setCipher(keys.cipher, keys.key, keys.iv, keys.mac);
    keys.key.fill(0);
    this.enableCompression('in', this.isClient ? n.compressionS2C : n.compressionC2S);
    if (this.strict) this.reader.resetSeq();
    round.newKeysReceived = true;
    this.maybeFinishKex(round);
  }

  /** RFC 4253 §6.2: compression starts with the first packet after NEWKEYS and runs on across re-exchanges. */
  private enableCompression(direction: 'out' | 'in', method: string): void {
    const start = compressionStart(method);
    if (start === 'never') return;
    if (start === 'after-auth' && !this.authDone) {
      this.delayed[direction] = true;
      return;
    }
    if (direction === 'out') this.compressor ??= new PayloadCompressor();
    else this.decompressor ??= new PayloadDecompressor();
  }

  private maybeFinishKex(round: KexRound): void {
    if (!round.done) return;
    this.kex = undefined;
    if (round.first) {
      this.firstKexDone = true;
      this.events.ready?.();
    }
  }

  private checkRekey(): void {
    if (this.kex || !this.firstKexDone || this.phase !== 'packets') return;
    if (this.writer.bytesSinceKeys > this.rekeyLimit || this.reader.bytesSinceKeys > this.rekeyLimit) {
      this.env.log.debug('rekey: data limit reached, starting key re-exchange');
      this.beginKex();
    }
  }

  // --- output --------------------------------------------------------------------------------------------

  private writePacket(payload: Uint8Array): void {
    if (this.phase === 'closed') return;
    // Strict KEX: a sequence number wrapping during the initial exchange would let an attacker splice packets.
    if (this.strict && !this.firstKexDone && this.writer.seq === 0xffffffff) {
      throw new ProtocolError('sequence number wrapped during initial key exchange');
    }
    this.events.output(this.writer.write(this.compressor ? this.compressor.compress(payload) : payload));
    if (this.firstKexDone && !this.kex) this.checkRekey();
  }
}
