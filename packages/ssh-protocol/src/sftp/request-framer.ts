// The server's side of draft-ietf-secsh-filexfer-02 §3: the client's byte stream split into packets. Like
// SftpFramer, but the data of a well-formed SSH_FXP_WRITE (§6.4) is never gathered into one buffer: it is handed
// on as the pieces of the chunks it arrived in, for one gathering write (pwritev) straight from them. A WRITE of
// 255 KiB arrives in eight or so channel chunks; copying it together would cost a copy of every uploaded byte.
import { FXP, SFTP_MAX_HANDLE_LENGTH } from './constants.js';
import { QueuedFramer, packetLength } from './packet-framer.js';

/** A WRITE request whose data is `parts`, in order, `length` bytes in all. */
export interface FramedWrite {
  kind: 'write';
  id: number;
  handle: Uint8Array;
  offset: number;
  parts: Uint8Array[];
  length: number;
}

/** The fixed fields of WRITE around its handle: type, id, handle length; offset, data length. */
const WRITE_FIXED = 1 + 4 + 4 + 8 + 4;
const WRITE_HEADER_MAX = WRITE_FIXED + SFTP_MAX_HANDLE_LENGTH;

export class SftpRequestFramer extends QueuedFramer {
  /** Bytes that must be buffered before next() looks again: a length field, or the packet under way. */
  private needed = 4;

  /**
   * The next whole packet: a FramedWrite for a WRITE that parses, else the payload (the type byte and what
   * follows it) for decodeRequest; undefined until more bytes arrive.
   */
  next(): Uint8Array | FramedWrite | undefined {
    const q = this.queue;
    if (q.length < this.needed) return undefined;
    const length = packetLength(q, this.maxLength);
    if (q.length < 4 + length) {
      // Nothing to look at again until the whole packet is here (chunks may come a byte at a time).
      this.needed = 4 + length;
      return undefined;
    }
    this.needed = 4;
    if (q.byteAt(4) === FXP.WRITE) {
      const w = this.write(q.peek(Math.min(4 + length, 4 + WRITE_HEADER_MAX)), length);
      if (w) return w;
    }
    q.skip(4);
    return q.take(length);
  }

  /** A WRITE whose fields add up to its length, taken from the queue; undefined (nothing taken) otherwise. */
  private write(h: Uint8Array, length: number): FramedWrite | undefined {
    if (length < WRITE_FIXED || h.length < 4 + WRITE_FIXED) return undefined;
    const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
    const handleLength = v.getUint32(9);
    if (handleLength > SFTP_MAX_HANDLE_LENGTH || h.length < 4 + WRITE_FIXED + handleLength) return undefined;
    const at = 13 + handleLength;
    const high = v.getUint32(at);
    // Past 2^53 the offset is not a safe number: decodeRequest refuses it with its own message.
    if (high > 0x1fffff) return undefined;
    const offset = high * 0x100000000 + v.getUint32(at + 4);
    const dataLength = v.getUint32(at + 8);
    if (WRITE_FIXED + handleLength + dataLength !== length) return undefined;
    const id = v.getUint32(5);
    const handle = h.slice(13, at);
    this.queue.skip(4 + WRITE_FIXED + handleLength);
    return { kind: 'write', id, handle, offset, parts: this.queue.takeParts(dataLength), length: dataLength };
  }
}
