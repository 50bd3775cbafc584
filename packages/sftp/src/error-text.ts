// How failures read in tsftp and tscp: a server's status in the words of OpenSSH's fx2txt() (the client's own
// text, not the server's), a local error in strerror(3)'s, a lost session as "Connection closed".
import { FX, SftpSessionClosedError, SftpStatusError, SftpTransferError } from '@tssh/ssh-protocol/sftp';

const FX_TEXT: Readonly<Record<number, string>> = Object.freeze({
  [FX.OK]: 'No error',
  [FX.EOF]: 'End of file',
  [FX.NO_SUCH_FILE]: 'No such file or directory',
  [FX.PERMISSION_DENIED]: 'Permission denied',
  [FX.FAILURE]: 'Failure',
  [FX.BAD_MESSAGE]: 'Bad message',
  [FX.NO_CONNECTION]: 'No connection',
  [FX.CONNECTION_LOST]: 'Connection lost',
  [FX.OP_UNSUPPORTED]: 'Operation unsupported',
});

const STRERROR: Readonly<Record<string, string>> = Object.freeze({
  EACCES: 'Permission denied',
  EEXIST: 'File exists',
  EFBIG: 'File too large',
  EINVAL: 'Invalid argument',
  EIO: 'Input/output error',
  EISDIR: 'Is a directory',
  ELOOP: 'Too many levels of symbolic links',
  EMFILE: 'Too many open files',
  ENAMETOOLONG: 'File name too long',
  ENOENT: 'No such file or directory',
  ENOSPC: 'No space left on device',
  ENOTDIR: 'Not a directory',
  ENOTEMPTY: 'Directory not empty',
  EPERM: 'Operation not permitted',
  EROFS: 'Read-only file system',
  EXDEV: 'Invalid cross-device link',
});

/** fx2txt(): the client's text for a status code. */
export function statusWords(code: number): string {
  return FX_TEXT[code] ?? 'Unknown status';
}

/** The text after the colon of an error line, whatever failed. */
export function errorText(e: unknown): string {
  if (e instanceof SftpTransferError) return errorText(e.cause);
  if (e instanceof SftpStatusError) return statusWords(e.code);
  if (e instanceof SftpSessionClosedError) return 'Connection closed';
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && STRERROR[code] !== undefined) return STRERROR[code];
  return e instanceof Error ? e.message : String(e);
}

/** True when the failure is the server's "no such file". */
export function isNoSuchFile(e: unknown): boolean {
  return e instanceof SftpStatusError && e.code === FX.NO_SUCH_FILE;
}

/** The SFTP session is gone: nothing more can be done over it. */
export function isSessionLost(e: unknown): boolean {
  const cause = e instanceof SftpTransferError ? e.cause : e;
  return cause instanceof SftpSessionClosedError || (cause instanceof Error && cause.name === 'SftpReplyError');
}
