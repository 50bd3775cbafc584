import { ByteQueue, ProtocolError } from '../wire/index.js';
import { MAX_PACKET_LENGTH, type CipherSpec, type PacketMac, type PacketOpener, type PacketSealer } from './ciphers/index.js';
import { noneCipher } from './ciphers/none.js';

const EMPTY = new Uint8Array(0);

/**
 * Random padding bytes (RFC 4253 §6: the padding SHOULD be random), drawn from a 4 KiB buffer refilled from the
 * CSPRNG when spent, so that a packet costs no system call of its own.
 */
class PaddingSource {
  private pool: Uint8Array = new Uint8Array(0);
  private used = 0;

  constructor(private readonly random: (n: number) => Uint8Array) {}

  take(n: number): Uint8Array {
    if (this.used + n > this.pool.length) {
      this.pool = this.random(4096);
      this.used = 0;
    }
    const out = this.pool.subarray(this.used, this.used + n);
    this.used += n;
    return out;
  }
}

/** AEAD ciphers say themselves; otherwise an ETM MAC leaves packet_length out of the encrypted, aligned part. */
function lengthExcluded(spec: CipherSpec, mac: PacketMac | undefined): boolean {
  return spec.aead ? spec.lengthExcludedFromAlignment : (mac?.spec.etm ?? false);
}

/** RFC 4253 §6: one direction's packet protection, sequence number and byte count. */
interface DirectionState {
  seq: number;
  blockSize: number;
  lengthExcluded: boolean;
  /** Bytes and packets since the keys were last changed (for rekey limits). */
  bytes: number;
  packets: number;
}

export class PacketWriter {
  private sealer: PacketSealer;
  private readonly state: DirectionState = { seq: 0, blockSize: 8, lengthExcluded: false, bytes: 0, packets: 0 };

  private readonly padding: PaddingSource;
  private scratch = new Uint8Array(0);

  constructor(random: (n: number) => Uint8Array) {
    this.padding = new PaddingSource(random);
    this.sealer = noneCipher.createSealer(new Uint8Array(0), new Uint8Array(0));
  }

  get seq(): number {
    return this.state.seq;
  }
  get bytesSinceKeys(): number {
    return this.state.bytes;
  }

  setCipher(spec: CipherSpec, key: Uint8Array, iv: Uint8Array, mac?: PacketMac): void {
    this.sealer = spec.createSealer(key, iv, mac);
    this.state.blockSize = Math.max(8, spec.blockSize);
    this.state.lengthExcluded = lengthExcluded(spec, mac);
    this.state.bytes = 0;
    this.state.packets = 0;
  }

  resetSeq(): void {
    this.state.seq = 0;
  }

  /**
   * Frame, pad and protect one payload, given as `head` followed by `tail` (so that a channel's data is copied once,
   * straight into the packet); returns the wire bytes as pieces to send in order.
   */
  write(head: Uint8Array, tail: Uint8Array = EMPTY): readonly Uint8Array[] {
    const { blockSize, lengthExcluded } = this.state;
    const payloadLength = head.length + tail.length;
    const aligned = 1 + payloadLength + (lengthExcluded ? 0 : 4);
    let padding = blockSize - (aligned % blockSize);
    if (padding < 4) padding += blockSize;
    const packetLength = 1 + payloadLength + padding;
    const packet = this.packetBuffer(4 + packetLength);
    packet[0] = packetLength >>> 24;
    packet[1] = (packetLength >>> 16) & 0xff;
    packet[2] = (packetLength >>> 8) & 0xff;
    packet[3] = packetLength & 0xff;
    packet[4] = padding;
    packet.set(head, 5);
    if (tail.length > 0) packet.set(tail, 5 + head.length);
    packet.set(this.padding.take(padding), 5 + payloadLength);
    const wire = this.sealer.seal(this.state.seq, packet);
    // Small packets carry the secrets (passwords, keys being signed): do not leave them in the reused buffer.
    if (this.sealer.freshOutput && packet.length <= 4096) packet.fill(0);
    this.state.seq = (this.state.seq + 1) >>> 0;
    for (const piece of wire) this.state.bytes += piece.length;
    this.state.packets++;
    return wire;
  }

  /**
   * Where the clear packet is built: one buffer used again and again when the sealer's output never points into
   * it (every encrypting one), a new one otherwise (`none` sends the packet itself).
   */
  private packetBuffer(n: number): Uint8Array {
    if (!this.sealer.freshOutput) return new Uint8Array(n);
    if (this.scratch.length < n) this.scratch = new Uint8Array(Math.max(n, 2 * this.scratch.length));
    return this.scratch.subarray(0, n);
  }
}

export interface ReadPacket {
  payload: Uint8Array;
  seq: number;
}

export class PacketReader {
  private readonly queue = new ByteQueue();
  private opener: PacketOpener;
  private readonly state: DirectionState = { seq: 0, blockSize: 8, lengthExcluded: false, bytes: 0, packets: 0 };
  private pendingLength = -1;
  private scratch = new Uint8Array(0);

  constructor() {
    this.opener = noneCipher.createOpener(new Uint8Array(0), new Uint8Array(0));
  }

  get seq(): number {
    return this.state.seq;
  }
  get bytesSinceKeys(): number {
    return this.state.bytes;
  }
  get buffered(): number {
    return this.queue.length;
  }

  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
  }

  /** Whether what next() returns never points into the pushed chunks (the opener decrypts into fresh memory). */
  get opensIntoFreshMemory(): boolean {
    return this.opener.freshOutput;
  }

  /** Copies the unread bytes, so that the chunks pushed so far may be reused by their owner (ByteQueue.detach). */
  detach(): void {
    this.queue.detach();
  }

  setCipher(spec: CipherSpec, key: Uint8Array, iv: Uint8Array, mac?: PacketMac): void {
    if (this.pendingLength >= 0) throw new Error('cipher change in the middle of a packet');
    this.opener = spec.createOpener(key, iv, mac);
    this.state.blockSize = Math.max(8, spec.blockSize);
    this.state.lengthExcluded = lengthExcluded(spec, mac);
    this.state.bytes = 0;
    this.state.packets = 0;
  }

  resetSeq(): void {
    this.state.seq = 0;
  }

  /** The next whole packet, or undefined until more bytes arrive. */
  next(): ReadPacket | undefined {
    const o = this.opener;
    if (this.pendingLength < 0) {
      if (this.queue.length < o.headerLength) return undefined;
      const len = o.packetLength(this.state.seq, this.queue.peek(o.headerLength));
      // RFC 4253 §6.1: a length we cannot handle is fatal; 5 is the smallest packet that holds padding_length + 4.
      if (len < 5 || len > MAX_PACKET_LENGTH) throw new ProtocolError(`Bad packet length ${len}`);
      this.pendingLength = len;
    }
    const total = 4 + this.pendingLength + o.trailerLength;
    if (this.queue.length < total) return undefined;
    // A packet split across socket reads is joined in a buffer kept for the purpose, when the opener copies out.
    if (o.freshOutput && this.scratch.length < total) this.scratch = new Uint8Array(Math.max(total, 2 * this.scratch.length));
    const wire = this.queue.take(total, o.freshOutput ? this.scratch : undefined);
    const seq = this.state.seq;
    const body = o.open(seq, wire);
    this.pendingLength = -1;
    this.state.seq = (seq + 1) >>> 0;
    this.state.bytes += total;
    this.state.packets++;
    const padding = body[0];
    if (padding < 4 || padding + 1 >= body.length) {
      throw new ProtocolError(`Bad padding length ${padding} in packet of ${body.length} bytes`);
    }
    return { payload: body.subarray(1, body.length - padding), seq };
  }
}
