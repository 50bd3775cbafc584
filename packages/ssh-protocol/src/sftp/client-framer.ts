// The client's side of draft-ietf-secsh-filexfer-02 §3 (`uint32 length, byte type, byte[length - 1] data`): the
// server's byte stream split into replies. SSH_FXP_DATA (§7), the bulk of a download, is returned as the pieces it
// arrived in — subarrays of the received chunks, which the channel hands over for keeps — so that a download
// writes them out (writev) without first copying each 255 KiB reply into one fresh buffer. Every other reply
// comes out whole, for decodeResponse().
import { FXP, SFTP_MAX_PACKET_LENGTH } from './constants.js';
import { SftpFramingError } from './packet-framer.js';

/** SSH_FXP_DATA: `uint32 length, byte 103, uint32 id, string data` — 13 bytes before the data. */
const DATA_HEADER = 13;

export type FramedReply =
  /** A DATA reply: `length` bytes in `chunks`, in order (never empty pieces). */
  | { kind: 'data'; id: number; chunks: Uint8Array[]; length: number }
  /** Any other packet's payload (the type byte and what follows it), contiguous. */
  | { kind: 'packet'; payload: Uint8Array };

export class SftpReplyFramer {
  private chunks: Uint8Array[] = [];
  /** Offset into chunks[0] of the first byte not yet taken. */
  private head = 0;
  private total = 0;

  constructor(private readonly maxLength = SFTP_MAX_PACKET_LENGTH) {}

  /** Bytes received but not yet returned. */
  get buffered(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** The next whole reply, or undefined until more bytes arrive. */
  next(): FramedReply | undefined {
    if (this.total < 4) return undefined;
    const length = this.u32At(0);
    // Like OpenSSH's SFTP_MAX_MSG_LENGTH check: refuse before buffering an oversized packet.
    if (length > this.maxLength) {
      throw new SftpFramingError(`sftp: packet of ${length} bytes exceeds the maximum of ${this.maxLength}`);
    }
    if (length === 0) throw new SftpFramingError('sftp: packet of length 0 has no type byte');
    if (this.total < 4 + length) return undefined;
    // A DATA whose string fills the packet exactly; anything else (even a malformed DATA) goes the general way.
    if (length >= DATA_HEADER - 4 && this.byteAt(4) === FXP.DATA && this.u32At(9) === length - (DATA_HEADER - 4)) {
      const id = this.u32At(5);
      this.skip(DATA_HEADER);
      const n = length - (DATA_HEADER - 4);
      return { kind: 'data', id, chunks: this.takeChunks(n), length: n };
    }
    this.skip(4);
    const pieces = this.takeChunks(length);
    return { kind: 'packet', payload: pieces.length === 1 ? pieces[0] : joinChunks(pieces, length) };
  }

  private byteAt(i: number): number {
    let at = this.head + i;
    for (const c of this.chunks) {
      if (at < c.length) return c[at];
      at -= c.length;
    }
    throw new RangeError('SftpReplyFramer: past the end');
  }

  private u32At(i: number): number {
    return ((this.byteAt(i) << 24) | (this.byteAt(i + 1) << 16) | (this.byteAt(i + 2) << 8) | this.byteAt(i + 3)) >>> 0;
  }

  private skip(n: number): void {
    this.total -= n;
    while (n > 0) {
      const left = this.chunks[0].length - this.head;
      if (n < left) {
        this.head += n;
        return;
      }
      n -= left;
      this.chunks.shift();
      this.head = 0;
    }
  }

  private takeChunks(n: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    this.total -= n;
    while (n > 0) {
      const c = this.chunks[0];
      const left = c.length - this.head;
      if (n < left) {
        out.push(c.subarray(this.head, this.head + n));
        this.head += n;
        return out;
      }
      out.push(this.head === 0 ? c : c.subarray(this.head));
      n -= left;
      this.chunks.shift();
      this.head = 0;
    }
    return out;
  }
}

/** The pieces of a reply in one buffer (`length` is their total). */
export function joinChunks(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
