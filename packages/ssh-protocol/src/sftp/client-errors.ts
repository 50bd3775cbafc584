// What an SFTP client's requests fail with, besides the server's own answer (SftpStatusError, status-errors.ts).
import { ProtocolError } from '../wire/index.js';

/** The session ended (the channel closed, the transport died, or close() was called) before the reply came. */
export class SftpSessionClosedError extends Error {
  override name = 'SftpSessionClosedError';
  constructor(
    message = 'Connection closed',
    override readonly cause?: Error,
  ) {
    super(message);
  }
}

/** The server answered with something §7 does not allow here (wrong packet type, unknown id, second VERSION). */
export class SftpReplyError extends ProtocolError {
  override name = 'SftpReplyError';
}

/** An extension the server did not advertise in VERSION (OpenSSH PROTOCOL §4.2). */
export class SftpExtensionMissingError extends Error {
  override name = 'SftpExtensionMissingError';
  constructor(readonly extension: string) {
    super(`Server does not support the ${extension} extension`);
  }
}
