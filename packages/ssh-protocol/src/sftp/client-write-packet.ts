// SSH_FXP_WRITE (draft-ietf-secsh-filexfer-02 §6.4) built around its data: `uint32 length, byte 6, uint32 id,
// string handle, uint64 offset, string data`. An upload reads the local file straight into the packet's data
// room, and the header is filled in once the byte count and the request id are known — no copy of the data
// between the file and the channel. The bytes are those encodeWritePacket() makes.
import { FXP } from './constants.js';

export class PreparedWrite {
  /** Where the file's bytes go: up to `length` of them. */
  readonly data: Uint8Array;
  private readonly packet: Uint8Array;
  private readonly header: number;

  /**
   * `allocate` makes the packet's memory; it need not be zeroed, as only the header and the `n` bytes given to
   * finish() are sent.
   */
  constructor(
    private readonly handle: Uint8Array,
    length: number,
    allocate: (bytes: number) => Uint8Array = (bytes) => new Uint8Array(bytes),
  ) {
    this.header = 4 + 1 + 4 + 4 + handle.length + 8 + 4;
    this.packet = allocate(this.header + length);
    this.data = this.packet.subarray(this.header);
  }

  /** The packet for request `id`, writing the first `n` bytes of `data` at `offset`. */
  finish(id: number, offset: number, n: number): Uint8Array {
    if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`uint64 out of range: ${offset}`);
    if (!Number.isInteger(n) || n < 0 || n > this.data.length) throw new RangeError(`write of ${n} bytes does not fit`);
    const out = this.packet.subarray(0, this.header + n);
    const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
    const h = this.handle.length;
    v.setUint32(0, out.length - 4);
    out[4] = FXP.WRITE;
    v.setUint32(5, id);
    v.setUint32(9, h);
    out.set(this.handle, 13);
    v.setUint32(13 + h, Math.floor(offset / 0x100000000));
    v.setUint32(17 + h, offset >>> 0);
    v.setUint32(21 + h, n);
    return out;
  }
}
