// Failures turned into §7 SSH_FXP_STATUS codes and texts, the way OpenSSH's errno_to_portable() sorts them.
import { DecodeError } from '../wire/index.js';
import { FX, statusText } from './constants.js';
import type { FxStatus } from './constants.js';

/** A failure that already knows its status code, e.g. thrown by a file system to refuse a path. */
export class SftpStatusError extends Error {
  override name = 'SftpStatusError';
  constructor(
    readonly code: FxStatus,
    message: string = statusText(code),
  ) {
    super(message);
  }
}

const BY_ERRNO: Readonly<Record<string, FxStatus>> = Object.freeze({
  ENOENT: FX.NO_SUCH_FILE,
  ENOTDIR: FX.NO_SUCH_FILE,
  EBADF: FX.NO_SUCH_FILE,
  ELOOP: FX.NO_SUCH_FILE,
  EACCES: FX.PERMISSION_DENIED,
  EPERM: FX.PERMISSION_DENIED,
  EFAULT: FX.PERMISSION_DENIED,
  ENAMETOOLONG: FX.BAD_MESSAGE,
  EINVAL: FX.BAD_MESSAGE,
  ENOSYS: FX.OP_UNSUPPORTED,
  ENOTSUP: FX.OP_UNSUPPORTED,
  EOPNOTSUPP: FX.OP_UNSUPPORTED,
});

export interface StatusOutcome {
  code: FxStatus;
  message: string;
  /** True when the failure is not an ordinary file system answer (worth a log line above debug). */
  unexpected: boolean;
}

/** The status for anything a handler or the file system threw. Everything else (EEXIST, ENOTEMPTY, ...) is FAILURE. */
export function statusFor(error: unknown): StatusOutcome {
  if (error instanceof SftpStatusError) return { code: error.code, message: error.message, unexpected: false };
  if (error instanceof DecodeError) return { code: FX.BAD_MESSAGE, message: statusText(FX.BAD_MESSAGE), unexpected: false };
  const errno = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof errno === 'string') {
    const code = BY_ERRNO[errno] ?? FX.FAILURE;
    return { code, message: statusText(code), unexpected: false };
  }
  return { code: FX.FAILURE, message: statusText(FX.FAILURE), unexpected: true };
}
