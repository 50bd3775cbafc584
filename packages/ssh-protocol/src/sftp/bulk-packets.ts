// The two packets that carry file contents, SSH_FXP_WRITE (draft-ietf-secsh-filexfer-02 §6.4) and SSH_FXP_DATA
// (§7), encoded in one allocation: the data is copied once, straight into the packet (encodeRequest and
// encodeResponse copy it twice), or read into it in the first place. The bytes are the same as theirs.
import { FXP } from './constants.js';

/** SSH_FXP_DATA: `uint32 length, byte 103, uint32 id, string data`. */
export function encodeDataPacket(id: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(13 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, 9 + data.length);
  out[4] = FXP.DATA;
  v.setUint32(5, id);
  v.setUint32(9, data.length);
  out.set(data, 13);
  return out;
}

/** Bytes before the data in SSH_FXP_DATA: length, type, id, data length. */
export const DATA_HEADER_LENGTH = 13;

/**
 * SSH_FXP_DATA in `packet`, whose data (`n` bytes from DATA_HEADER_LENGTH on) is already in place: the header is
 * filled in, and the packet is the first 13 + `n` bytes. Data read straight into a packet is never copied again.
 */
export function finishDataPacket(packet: Uint8Array, id: number, n: number): Uint8Array {
  const v = new DataView(packet.buffer, packet.byteOffset, DATA_HEADER_LENGTH);
  v.setUint32(0, 9 + n);
  packet[4] = FXP.DATA;
  v.setUint32(5, id);
  v.setUint32(9, n);
  return packet.subarray(0, DATA_HEADER_LENGTH + n);
}

export function encodeWritePacket(id: number, handle: Uint8Array, offset: number, data: Uint8Array): Uint8Array {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`uint64 out of range: ${offset}`);
  const length = 1 + 4 + 4 + handle.length + 8 + 4 + data.length;
  const out = new Uint8Array(4 + length);
  const v = new DataView(out.buffer);
  let p = 0;
  v.setUint32(p, length);
  out[(p += 4)] = FXP.WRITE;
  v.setUint32((p += 1), id);
  v.setUint32((p += 4), handle.length);
  out.set(handle, (p += 4));
  p += handle.length;
  v.setUint32(p, Math.floor(offset / 0x100000000));
  v.setUint32((p += 4), offset >>> 0);
  v.setUint32((p += 4), data.length);
  out.set(data, p + 4);
  return out;
}
