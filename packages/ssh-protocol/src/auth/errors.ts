// Authentication outcomes that end the connection, carrying their RFC 4253 §11.1 disconnect reason.
import { DisconnectReason, SshError } from '../wire/index.js';

/** Server side: sshd's disconnect once MaxAuthTries failures are reached. */
export class TooManyAuthFailuresError extends SshError {
  override name = 'TooManyAuthFailuresError';
  constructor() {
    super(DisconnectReason.NO_MORE_AUTH_METHODS_AVAILABLE, 'Too many authentication failures');
  }
}

/** Client side: every method the server allows was tried and refused; the text is OpenSSH's. */
export class AuthFailedError extends SshError {
  override name = 'AuthFailedError';
  constructor(readonly methods: readonly string[]) {
    super(DisconnectReason.NO_MORE_AUTH_METHODS_AVAILABLE, `Permission denied (${methods.join(',')}).`);
  }
}
