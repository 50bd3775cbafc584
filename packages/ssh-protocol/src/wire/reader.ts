import { DecodeError } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * RFC 4251 §5 data types, read from a byte array. Every read is bounds-checked; `end()` asserts that nothing
 * is left, so a decoder that ends with it rejects trailing bytes.
 */
export class SshReader {
  private pos = 0;
  /** A plain Uint8Array view: what it hands out must copy with slice(), which on a Node Buffer makes a view. */
  private readonly buf: Uint8Array;
  constructor(
    buf: Uint8Array,
    private readonly what = 'message',
  ) {
    this.buf = Object.getPrototypeOf(buf) === Uint8Array.prototype ? buf : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  get offset(): number {
    return this.pos;
  }

  private need(n: number, field: string): void {
    if (n > this.buf.length - this.pos) {
      throw new DecodeError(`${this.what}: truncated ${field} (need ${n} bytes, have ${this.remaining})`);
    }
  }

  byte(): number {
    this.need(1, 'byte');
    return this.buf[this.pos++];
  }

  boolean(): boolean {
    return this.byte() !== 0;
  }

  u32(): number {
    this.need(4, 'uint32');
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  }

  u64(): bigint {
    const hi = this.u32();
    const lo = this.u32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Fixed-size raw bytes (a subarray: copy it if it must outlive the buffer). */
  raw(n: number): Uint8Array {
    this.need(n, `${n} raw bytes`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** RFC 4251 `string` as bytes. */
  bytes(): Uint8Array {
    const len = this.u32();
    this.need(len, 'string');
    return this.raw(len);
  }

  /** RFC 4251 `string` holding UTF-8 text; invalid UTF-8 is a decode error. */
  string(): string {
    const b = this.bytes();
    try {
      return utf8.decode(b);
    } catch {
      throw new DecodeError(`${this.what}: string is not valid UTF-8`);
    }
  }

  /** RFC 4251 `name-list`: comma-separated US-ASCII names, none empty. */
  nameList(): string[] {
    const b = this.bytes();
    if (b.length === 0) return [];
    for (const c of b) {
      if (c < 0x21 || c > 0x7e) throw new DecodeError(`${this.what}: name-list holds a non-printable byte`);
    }
    const names = String.fromCharCode(...b).split(',');
    if (names.some((n) => n.length === 0)) throw new DecodeError(`${this.what}: name-list holds an empty name`);
    return names;
  }

  /** RFC 4251 `mpint`, two's complement; non-minimal encodings are rejected. */
  mpint(): bigint {
    const b = this.bytes();
    if (b.length === 0) return 0n;
    if (b.length > 1 && ((b[0] === 0 && (b[1] & 0x80) === 0) || (b[0] === 0xff && (b[1] & 0x80) !== 0))) {
      throw new DecodeError(`${this.what}: mpint has an unnecessary leading byte`);
    }
    let v = 0n;
    for (const x of b) v = (v << 8n) | BigInt(x);
    if (b[0] & 0x80) v -= 1n << BigInt(b.length * 8);
    return v;
  }

  /** The rest of the buffer. */
  rest(): Uint8Array {
    const out = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return out;
  }

  end(): void {
    if (this.pos !== this.buf.length) {
      throw new DecodeError(`${this.what}: ${this.remaining} trailing bytes`);
    }
  }
}
