// draft-ietf-secsh-filexfer-02 §3: `uint32 length, byte type, byte[length - 1] data` over any byte stream.
import { ByteQueue, ProtocolError, SshWriter } from '../wire/index.js';
import { SFTP_MAX_PACKET_LENGTH } from './constants.js';

/** The byte stream cannot be parsed any further: the SFTP session must end. */
export class SftpFramingError extends ProtocolError {
  override name = 'SftpFramingError';
}

/**
 * The length field of the packet at the front of `queue` (which holds at least its 4 bytes), checked: like OpenSSH's
 * SFTP_MAX_MSG_LENGTH check, an oversized packet is refused before it is buffered, and an empty one has no type.
 */
export function packetLength(queue: ByteQueue, maxLength: number): number {
  const length = queue.u32At(0);
  if (length > maxLength) throw new SftpFramingError(`sftp: packet of ${length} bytes exceeds the maximum of ${maxLength}`);
  if (length === 0) throw new SftpFramingError('sftp: packet of length 0 has no type byte');
  return length;
}

/** What every SFTP framer shares: the bytes received and not yet returned, and the largest packet it takes. */
export abstract class QueuedFramer {
  protected readonly queue = new ByteQueue();

  constructor(protected readonly maxLength = SFTP_MAX_PACKET_LENGTH) {}

  /** Bytes received but not yet returned as a packet. */
  get buffered(): number {
    return this.queue.length;
  }

  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
  }
}

/** Splits a byte stream into packet payloads (the type byte and what follows it). */
export class SftpFramer extends QueuedFramer {
  /** The next whole payload, or undefined until more bytes arrive. */
  next(): Uint8Array | undefined {
    if (this.queue.length < 4) return undefined;
    const length = packetLength(this.queue, this.maxLength);
    if (this.queue.length < 4 + length) return undefined;
    this.queue.take(4);
    return this.queue.take(length);
  }
}

/** A writer with room for the length field; finishPacket() fills it in. */
export function packetWriter(type: number, initial = 64): SshWriter {
  return new SshWriter(initial).u32(0).byte(type);
}

export function finishPacket(w: SshWriter): Uint8Array {
  const b = w.toBytes();
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(0, b.length - 4);
  return b;
}
