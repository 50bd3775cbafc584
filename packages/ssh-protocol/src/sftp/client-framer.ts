// The client's side of draft-ietf-secsh-filexfer-02 §3 (`uint32 length, byte type, byte[length - 1] data`): the
// server's byte stream split into replies. SSH_FXP_DATA (§7), the bulk of a download, is returned as the pieces it
// arrived in — subarrays of the received chunks, which the channel hands over for keeps — so that a download
// writes them out (writev) without first copying each 255 KiB reply into one fresh buffer. Every other reply
// comes out whole, for decodeResponse().
import { concatBytes } from '../wire/index.js';
import { FXP } from './constants.js';
import { QueuedFramer, packetLength } from './packet-framer.js';

/** SSH_FXP_DATA: `uint32 length, byte 103, uint32 id, string data` — 13 bytes before the data. */
const DATA_HEADER = 13;

export type FramedReply =
  /** A DATA reply: `length` bytes in `chunks`, in order (never empty pieces). */
  | { kind: 'data'; id: number; chunks: Uint8Array[]; length: number }
  /** Any other packet's payload (the type byte and what follows it), contiguous. */
  | { kind: 'packet'; payload: Uint8Array };

export class SftpReplyFramer extends QueuedFramer {
  /** The next whole reply, or undefined until more bytes arrive. */
  next(): FramedReply | undefined {
    const q = this.queue;
    if (q.length < 4) return undefined;
    const length = packetLength(q, this.maxLength);
    if (q.length < 4 + length) return undefined;
    // A DATA whose string fills the packet exactly; anything else (even a malformed DATA) goes the general way.
    if (length >= DATA_HEADER - 4 && q.byteAt(4) === FXP.DATA && q.u32At(9) === length - (DATA_HEADER - 4)) {
      const id = q.u32At(5);
      q.skip(DATA_HEADER);
      const n = length - (DATA_HEADER - 4);
      return { kind: 'data', id, chunks: q.takeParts(n), length: n };
    }
    q.skip(4);
    return { kind: 'packet', payload: q.take(length) };
  }
}

/** The pieces of a reply in one buffer: the piece itself when there is only one. */
export function joinChunks(chunks: readonly Uint8Array[]): Uint8Array {
  return chunks.length === 1 ? chunks[0] : concatBytes(...chunks);
}
