const utf8 = new TextEncoder();

/** RFC 4251 §5 data types, appended to a growing buffer. */
export class SshWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
  }

  get length(): number {
    return this.pos;
  }

  private grow(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  byte(v: number): this {
    this.grow(1);
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  boolean(v: boolean): this {
    return this.byte(v ? 1 : 0);
  }

  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`uint32 out of range: ${v}`);
    this.grow(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 24;
    b[p + 1] = v >>> 16;
    b[p + 2] = v >>> 8;
    b[p + 3] = v;
    this.pos += 4;
    return this;
  }

  u64(v: bigint): this {
    return this.u32(Number((v >> 32n) & 0xffffffffn)).u32(Number(v & 0xffffffffn));
  }

  raw(data: Uint8Array): this {
    this.grow(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
    return this;
  }

  /** RFC 4251 `string` from bytes or UTF-8 text. */
  string(data: Uint8Array | string): this {
    const b = typeof data === 'string' ? utf8.encode(data) : data;
    return this.u32(b.length).raw(b);
  }

  nameList(names: readonly string[]): this {
    return this.string(names.join(','));
  }

  mpint(v: bigint): this {
    return this.string(encodeMpintBody(v));
  }

  /** RFC 4251 mpint from an unsigned big-endian magnitude (e.g. a shared secret), without a bigint round trip. */
  mpintFromUnsigned(magnitude: Uint8Array): this {
    let i = 0;
    while (i < magnitude.length && magnitude[i] === 0) i++;
    const m = magnitude.subarray(i);
    if (m.length === 0) return this.u32(0);
    if (m[0] & 0x80) return this.u32(m.length + 1).byte(0).raw(m);
    return this.u32(m.length).raw(m);
  }

  /** A copy of what was written. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

function encodeMpintBody(v: bigint): Uint8Array {
  if (v === 0n) return new Uint8Array(0);
  const bytes: number[] = [];
  let x = v;
  // Two's complement, minimal length: stop when the remaining value is only sign extension.
  for (;;) {
    bytes.unshift(Number(x & 0xffn));
    x >>= 8n;
    const top = bytes[0] & 0x80;
    if ((x === 0n && !top) || (x === -1n && top)) break;
  }
  return Uint8Array.from(bytes);
}

export function encodeMpint(v: bigint): Uint8Array {
  return new SshWriter().mpint(v).toBytes();
}
