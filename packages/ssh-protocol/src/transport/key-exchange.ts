import type { PublicKey } from '../keys/index.js';
import { HostKeyError, KexError, MSG, ProtocolError, bytesEqual, type Env } from '../wire/index.js';
import type { AlgorithmPrefs } from './algorithms.js';
import { CIPHERS } from './ciphers/index.js';
import { KexRound, directionKeys, verifyHostSignature, type DirectionKeys } from './kex-round.js';
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
  type Negotiated,
} from './kexinit.js';
import { encodeExtInfo } from './messages.js';
import type { TransportOptions } from './transport-types.js';

/** What the key exchange needs from the transport that runs it. */
export interface KexHost {
  readonly env: Env;
  readonly opts: TransportOptions;
  readonly algs: AlgorithmPrefs;
  readonly ourVersion: string;
  peerVersion(): string;
  write(payload: Uint8Array): void;
  /** New keys for what we send (right after our NEWKEYS) and what we receive (right after theirs). */
  useOutgoingKeys(keys: DirectionKeys, compression: string, resetSeq: boolean): void;
  useIncomingKeys(keys: DirectionKeys, compression: string, resetSeq: boolean): void;
  /** Our NEWKEYS is out: held payloads may follow. */
  newKeysSent(): void;
  /** The first exchange finished both ways. */
  established(): void;
}

/**
 * RFC 4253 §7-§9 key exchanges over a connection's life: KEXINIT and negotiation, the method's messages, host
 * key verification, NEWKEYS both ways; with strict KEX (OpenSSH PROTOCOL §1.10) and ext-info (RFC 8308).
 */
export class KeyExchange {
  private round?: KexRound;
  private done = false;
  private strictKex = false;
  private peerWantsExtInfo = false;
  private sid?: Uint8Array;
  private firstHostKey?: Uint8Array;
  private last?: Negotiated;

  constructor(private readonly host: KexHost) {}

  private get isClient(): boolean {
    return this.host.opts.role === 'client';
  }
  /** The first exchange has finished. */
  get established(): boolean {
    return this.done;
  }
  get strict(): boolean {
    return this.strictKex;
  }
  get inProgress(): boolean {
    return this.round !== undefined;
  }
  /** RFC 4253 §7.1: from our KEXINIT until our NEWKEYS, only key exchange messages may be sent. */
  get holdsOutput(): boolean {
    return !this.done || (this.round !== undefined && !this.round.newKeysSent);
  }
  /** The peer's KEXINIT has arrived: until its NEWKEYS only key exchange messages may come. */
  get peerExchanging(): boolean {
    return this.round?.peer !== undefined;
  }
  get sessionId(): Uint8Array | undefined {
    return this.sid;
  }
  get negotiated(): Negotiated | undefined {
    return this.last;
  }

  begin(): void {
    const first = !this.done;
    const a = this.host.algs;
    const kexNames = [...a.kex];
    if (first) kexNames.push(this.isClient ? EXT_INFO_C : EXT_INFO_S, this.isClient ? KEX_STRICT_C : KEX_STRICT_S);
    const ours: KexInit = {
      cookie: this.host.env.random(16),
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
    this.round = new KexRound(ours, payload, first);
    this.host.write(payload);
  }

  private serverHostKeyAlgorithms(): string[] {
    const offered = new Set(this.host.opts.hostKeys!.flatMap((k) => k.publicKey.signatureAlgorithms));
    return this.host.algs.hostKey.filter((n) => offered.has(n));
  }

  onKexInit(payload: Uint8Array, seq: number): void {
    if (this.round?.peer) throw new ProtocolError('KEXINIT received twice in one key exchange');
    const peer = decodeKexInit(payload);
    if (!this.round) this.begin();
    const round = this.round!;
    round.peer = peer;
    round.peerKexInit = payload;
    if (round.first) {
      this.strictKex = peer.kex.includes(this.isClient ? KEX_STRICT_S : KEX_STRICT_C);
      if (this.strictKex && seq !== 0) throw new ProtocolError('strict KEX violation: KEXINIT was not the first packet');
      this.peerWantsExtInfo = !this.isClient && peer.kex.includes(EXT_INFO_C);
    }
    const client = this.isClient ? round.ours : peer;
    const server = this.isClient ? peer : round.ours;
    const negotiated = negotiateAll(client, server, (c) => CIPHERS.get(c)?.aead ?? false);
    round.negotiated = negotiated;
    this.last = negotiated;
    const log = this.host.env.log;
    log.debug(`kex: algorithm: ${negotiated.kex}`);
    log.debug(`kex: host key algorithm: ${negotiated.hostKey}`);
    // OpenSSH's kex_choose_conf words, the incoming direction first.
    const c2s = `client->server cipher: ${negotiated.cipherC2S} MAC: ${negotiated.macC2S} compression: ${negotiated.compressionC2S}`;
    const s2c = `server->client cipher: ${negotiated.cipherS2C} MAC: ${negotiated.macS2C} compression: ${negotiated.compressionS2C}`;
    for (const line of this.isClient ? [s2c, c2s] : [c2s, s2c]) log.debug(`kex: ${line}`);
    if (peer.firstKexFollows && !guessWasRight(client, server)) round.ignoreNextKexPacket = true;
    round.method = round.methodFor(negotiated.kex);
    const h = this.host;
    const inputs = {
      clientVersion: this.isClient ? h.ourVersion : h.peerVersion(),
      serverVersion: this.isClient ? h.peerVersion() : h.ourVersion,
      clientKexInit: this.isClient ? round.ourPayload : payload,
      serverKexInit: this.isClient ? payload : round.ourPayload,
      env: h.env,
    };
    if (this.isClient) {
      round.client = round.method.client(inputs);
      for (const p of round.client.start()) h.write(p);
    } else {
      const key = h.opts.hostKeys!.find((k) => k.publicKey.signatureAlgorithms.includes(negotiated.hostKey));
      if (!key) throw new KexError(`no host key for ${negotiated.hostKey}`);
      round.server = round.method.server(inputs, {
        blob: key.publicKey.blob,
        sign: (hash) => key.sign(hash, negotiated.hostKey),
      });
    }
  }

  /** Messages 30..49; a client's host key verification may make this asynchronous. */
  onMethodMessage(payload: Uint8Array): Promise<void> | undefined {
    const round = this.round;
    if (!round?.peer) throw new ProtocolError(`key exchange message ${payload[0]} outside a key exchange`);
    if (round.ignoreNextKexPacket) {
      round.ignoreNextKexPacket = false;
      return;
    }
    if (round.output) throw new ProtocolError(`unexpected key exchange message ${payload[0]}`);
    if (round.server) {
      const { send, result } = round.server.handle(payload);
      for (const p of send) this.host.write(p);
      if (result) {
        round.output = result;
        this.sendNewKeys(round);
      }
      return;
    }
    const { send, result } = round.client!.handle(payload);
    for (const p of send) this.host.write(p);
    if (!result) return;
    const key = verifyHostSignature(round.negotiated!.hostKey, result.hostKeyBlob, result.signature, result.exchangeHash);
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
    return this.settleHostKey(key, finish);
  }

  private settleHostKey(key: PublicKey, finish: () => void): Promise<void> | undefined {
    const verify = this.host.opts.verifyHostKey;
    const verdict = verify ? verify(key) : false;
    const settle = (ok: boolean): void => {
      if (!ok) throw new HostKeyError('Host key verification failed.');
      finish();
    };
    if (verdict instanceof Promise) return verdict.then(settle);
    settle(verdict);
    return undefined;
  }

  private keysFor(round: KexRound, outgoing: boolean): DirectionKeys {
    const n = round.negotiated!;
    const c2s = outgoing === this.isClient;
    return directionKeys(round.output!, round.method!, this.sid!, c2s ? n.cipherC2S : n.cipherS2C, c2s ? n.macC2S : n.macS2C, c2s);
  }

  private sendNewKeys(round: KexRound): void {
    if (!this.sid) this.sid = round.output!.exchangeHash.slice();
    const n = round.negotiated!;
    this.host.write(Uint8Array.of(MSG.NEWKEYS));
    const keys = this.keysFor(round, true);
    this.host.useOutgoingKeys(keys, this.isClient ? n.compressionC2S : n.compressionS2C, this.strictKex);
    keys.key.fill(0);
    round.newKeysSent = true;
    if (round.first && this.peerWantsExtInfo) {
      const ext = new Map([['server-sig-algs', (this.host.opts.serverSigAlgs ?? []).join(',')]]);
      this.host.write(encodeExtInfo(ext));
    }
    this.host.newKeysSent();
    this.maybeFinish(round);
  }

  onNewKeys(payload: Uint8Array): void {
    const round = this.round;
    if (payload.length !== 1) throw new ProtocolError('NEWKEYS with trailing bytes');
    if (!round?.output) throw new ProtocolError('NEWKEYS before the key exchange finished');
    if (round.newKeysReceived) throw new ProtocolError('NEWKEYS received twice');
    const n = round.negotiated!;
    const keys = this.keysFor(round, false);
    this.host.useIncomingKeys(keys, this.isClient ? n.compressionS2C : n.compressionC2S, this.strictKex);
    keys.key.fill(0);
    round.newKeysReceived = true;
    this.maybeFinish(round);
  }

  private maybeFinish(round: KexRound): void {
    if (!round.done) return;
    this.round = undefined;
    if (round.first) {
      this.done = true;
      this.host.established();
    }
  }
}
