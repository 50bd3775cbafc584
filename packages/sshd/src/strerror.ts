// strerror(3) wording for the system errors the daemon reports, so that its lines read like sshd's
// (`Bind to port 22 on 0.0.0.0 failed: Address already in use.`). Unknown codes keep Node's message.
const STRERROR: Readonly<Record<string, string>> = Object.freeze({
  EACCES: 'Permission denied',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EINVAL: 'Invalid argument',
  EISDIR: 'Is a directory',
  EMFILE: 'Too many open files',
  ENFILE: 'Too many open files in system',
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EPERM: 'Operation not permitted',
  EROFS: 'Read-only file system',
  ENOTFOUND: 'Name or service not known',
  EAI_AGAIN: 'Temporary failure in name resolution',
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ETIMEDOUT: 'Connection timed out',
});

export function describeErrno(err: NodeJS.ErrnoException): string {
  return (err.code !== undefined && STRERROR[err.code]) || err.message;
}
