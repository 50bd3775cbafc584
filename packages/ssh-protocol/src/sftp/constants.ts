// Numbers of draft-ietf-secsh-filexfer-02 (SFTP version 3) and the limits OpenSSH's sftp-server applies.

/** §4: the protocol version this implementation speaks. */
export const SFTP_VERSION = 3;

/** §3 packet types. */
export const FXP = Object.freeze({
  INIT: 1,
  VERSION: 2,
  OPEN: 3,
  CLOSE: 4,
  READ: 5,
  WRITE: 6,
  LSTAT: 7,
  FSTAT: 8,
  SETSTAT: 9,
  FSETSTAT: 10,
  OPENDIR: 11,
  READDIR: 12,
  REMOVE: 13,
  MKDIR: 14,
  RMDIR: 15,
  REALPATH: 16,
  STAT: 17,
  RENAME: 18,
  READLINK: 19,
  SYMLINK: 20,
  STATUS: 101,
  HANDLE: 102,
  DATA: 103,
  NAME: 104,
  ATTRS: 105,
  EXTENDED: 200,
  EXTENDED_REPLY: 201,
} as const);
export type FxpType = (typeof FXP)[keyof typeof FXP];

/** §7 status codes. */
export const FX = Object.freeze({
  OK: 0,
  EOF: 1,
  NO_SUCH_FILE: 2,
  PERMISSION_DENIED: 3,
  FAILURE: 4,
  BAD_MESSAGE: 5,
  NO_CONNECTION: 6,
  CONNECTION_LOST: 7,
  OP_UNSUPPORTED: 8,
} as const);
export type FxStatus = (typeof FX)[keyof typeof FX];

/** The status texts OpenSSH's sftp-server sends (status_to_message), so that clients print what users know. */
export function statusText(code: number): string {
  switch (code) {
    case FX.OK:
      return 'Success';
    case FX.EOF:
      return 'End of file';
    case FX.NO_SUCH_FILE:
      return 'No such file';
    case FX.PERMISSION_DENIED:
      return 'Permission denied';
    case FX.FAILURE:
      return 'Failure';
    case FX.BAD_MESSAGE:
      return 'Bad message';
    case FX.NO_CONNECTION:
      return 'No connection';
    case FX.CONNECTION_LOST:
      return 'Connection lost';
    case FX.OP_UNSUPPORTED:
      return 'Operation unsupported';
    default:
      return 'Unknown error';
  }
}

/** §6.3 pflags of SSH_FXP_OPEN. */
export const FXF = Object.freeze({
  READ: 0x01,
  WRITE: 0x02,
  APPEND: 0x04,
  CREAT: 0x08,
  TRUNC: 0x10,
  EXCL: 0x20,
} as const);

/** §5 ATTRS flags. */
export const ATTR = Object.freeze({
  SIZE: 0x00000001,
  UIDGID: 0x00000002,
  PERMISSIONS: 0x00000004,
  ACMODTIME: 0x00000008,
  EXTENDED: 0x80000000,
} as const);

/** OpenSSH PROTOCOL §4.4: f_flag bits of a statvfs reply. */
export const STATVFS_FLAG = Object.freeze({ RDONLY: 0x1, NOSUID: 0x2 } as const);

/** OpenSSH's SFTP_MAX_MSG_LENGTH: the largest packet (the length field's value) either side accepts. */
export const SFTP_MAX_PACKET_LENGTH = 256 * 1024;
/** §3: servers SHOULD accept packets of at least 34000 bytes; a `limits@openssh.com` answer must say at least this. */
export const SFTP_MIN_PACKET_LENGTH = 34000;
/** §6 and §7: handle strings are at most 256 bytes. */
export const SFTP_MAX_HANDLE_LENGTH = 256;

/** POSIX file type bits of `permissions` (st_mode). */
export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
