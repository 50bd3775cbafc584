// What the request handlers of an SftpServer share: the file system, the handles, the limits, the clock.
import type { Logger } from '../wire/index.js';
import { SFTP_MAX_PACKET_LENGTH } from './constants.js';
import type { SftpFileSystem } from './file-system.js';
import type { HandleTable } from './handle-table.js';

export interface SftpServerLimits {
  /** Largest packet accepted (the length field); OpenSSH's SFTP_MAX_MSG_LENGTH. */
  maxPacketLength: number;
  /** Largest READ served; longer requests get shorter DATA (§6.4 allows it). */
  maxReadLength: number;
  /** Open file and directory handles at once (OpenSSH's sftp-server allows 512 on most systems). */
  maxOpenHandles: number;
  /** Requests being served at once; input stops being read beyond it. */
  maxInFlight: number;
  /** Bytes held by requests being served (write data, read lengths); input stops being read beyond it. */
  maxInFlightBytes: number;
  /** Names per READDIR answer (OpenSSH sends up to 100). */
  readdirBatch: number;
  /** Bytes per read/write step of copy-data. */
  copyChunk: number;
}

export const DEFAULT_SFTP_LIMITS: Readonly<SftpServerLimits> = Object.freeze({
  maxPacketLength: SFTP_MAX_PACKET_LENGTH,
  maxReadLength: SFTP_MAX_PACKET_LENGTH - 1024,
  maxOpenHandles: 512,
  maxInFlight: 64,
  maxInFlightBytes: 8 * 1024 * 1024,
  readdirBatch: 100,
  copyChunk: 64 * 1024,
});

export interface ServeContext {
  readonly fs: SftpFileSystem;
  readonly handles: HandleTable;
  /** Absolute; relative paths are resolved against it (§6.2). */
  readonly home: string;
  readonly limits: SftpServerLimits;
  readonly log: Logger;
  /** Milliseconds since the epoch. */
  now(): number;
  /** A buffer of `size` bytes whose contents will all be overwritten (reply packets). */
  allocate(size: number): Uint8Array;
}
