// How large and how many READs and WRITEs a transfer keeps in flight, from what the server says about itself
// (limits@openssh.com, PROTOCOL §4.8) and what the user asked for — the choices OpenSSH's sftp makes.
import { SFTP_MAX_PACKET_LENGTH } from './constants.js';
import type { SftpLimitsReply } from './extended-replies.js';

export interface TransferTuning {
  /** Bytes asked for by one READ. */
  readLength: number;
  /** Bytes carried by one WRITE. */
  writeLength: number;
  /** READs or WRITEs outstanding at once. */
  requests: number;
}

export interface TuningWishes {
  /** -B: bytes per request. */
  bufferSize?: number;
  /** -R: requests outstanding. */
  requests?: number;
}

/** OpenSSH's DEFAULT_COPY_BUFLEN and DEFAULT_NUM_REQUESTS. */
export const DEFAULT_TRANSFER_LENGTH = 32768;
export const DEFAULT_TRANSFER_REQUESTS = 64;
/** Room for a request's header inside the largest packet the other side takes. */
const HEADER_ROOM = 1024;

/**
 * Without limits@openssh.com (or with -B) every request carries `bufferSize` or 32 KiB. With it, requests are as
 * large as the server allows up to 255 KiB, and no more are outstanding than the server keeps handles for.
 * Memory a transfer holds is at most `requests` × the larger length.
 */
export function transferTuning(limits: SftpLimitsReply | undefined, wishes: TuningWishes = {}): TransferTuning {
  const ceiling = SFTP_MAX_PACKET_LENGTH - HEADER_ROOM;
  let requests = wishes.requests ?? DEFAULT_TRANSFER_REQUESTS;
  let readLength = wishes.bufferSize ?? DEFAULT_TRANSFER_LENGTH;
  let writeLength = readLength;
  if (limits) {
    // A limit of 0 means "no specific limit" (PROTOCOL §4.8).
    const fit = (limit: number): number => Math.min(limit === 0 ? ceiling : limit, ceiling);
    const packetRoom = limits.maxPacketLength === 0 ? ceiling : limits.maxPacketLength - HEADER_ROOM;
    if (wishes.bufferSize === undefined) {
      readLength = fit(limits.maxReadLength);
      writeLength = Math.min(fit(limits.maxWriteLength), packetRoom);
    } else {
      readLength = Math.min(readLength, fit(limits.maxReadLength));
      writeLength = Math.min(writeLength, fit(limits.maxWriteLength), packetRoom);
    }
    if (wishes.requests === undefined && limits.maxOpenHandles > 0) {
      requests = Math.min(requests, limits.maxOpenHandles);
    }
  }
  return {
    readLength: Math.max(1, Math.floor(readLength)),
    writeLength: Math.max(1, Math.floor(writeLength)),
    requests: Math.max(1, Math.floor(requests)),
  };
}
