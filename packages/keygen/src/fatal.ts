// A failure that ends the program: its message is the one line printed on stderr before exiting with status 1.
export class FatalError extends Error {
  override name = 'FatalError';
}

// strerror(3) wording for the errors file operations meet, so messages read like ssh-keygen's.
const STRERROR: Readonly<Record<string, string>> = Object.freeze({
  EACCES: 'Permission denied',
  EEXIST: 'File exists',
  EISDIR: 'Is a directory',
  ENOENT: 'No such file or directory',
  ENOSPC: 'No space left on device',
  ENOTDIR: 'Not a directory',
  EPERM: 'Operation not permitted',
  EROFS: 'Read-only file system',
});

/** The strerror text of a Node file error, or its message for anything else. */
export function strerror(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return (e?.code !== undefined && STRERROR[e.code]) || (e instanceof Error ? e.message : String(err));
}
