// SSH_FXP_WRITE (draft-ietf-secsh-filexfer-02 §6.4) encoded in one allocation: the bulk of an upload, so the
// data is copied once, straight into the packet (encodeRequest would copy it twice). Same bytes as encodeRequest.
import { FXP } from './constants.js';

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
