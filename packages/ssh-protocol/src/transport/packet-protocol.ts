import { ProtocolError } from '../wire/index.js';
import { ByteQueue } from './byte-queue.js';
import { MAX_PACKET_LENGTH, type CipherSpec, type PacketMac, type PacketOpener, type PacketSealer } from './ciphers/index.js';
import { noneCipher } from './ciphers/none.js';

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

  /** Frame, pad and protect one payload; returns the wire bytes. */
  write(payload: Uint8Array): Uint8Array {
    const { blockSize, lengthExcluded } = this.state;
    const aligned = 1 + payload.length + (lengthExcluded ? 0 : 4);
    let padding = blockSize - (aligned % blockSize);
    if (padding < 4) padding += blockSize;
    const packetLength = 1 + payload.length + padding;
    const packet = new Uint8Array(4 + packetLength);
    new DataView(packet.buffer).setUint32(0, packetLength, false);
    packet[4] = padding;
    packet.set(payload, 5);
    packet.set(this.padding.take(padding), 5 + payload.length);
    const wire = this.sealer.seal(this.state.seq, packet);
    this.state.seq = (this.state.seq + 1) >>> 0;
    this.state.bytes += wire.length;
    this.state.packets++;
    return wire;
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
    const wire = this.queue.take(total);
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
