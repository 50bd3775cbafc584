// Errors carry the RFC 4253 §11.1 disconnect reason, so that one catch point can turn any of them
// into SSH_MSG_DISCONNECT plus a log line.

export const DisconnectReason = Object.freeze({
  HOST_NOT_ALLOWED_TO_CONNECT: 1,
  PROTOCOL_ERROR: 2,
  KEY_EXCHANGE_FAILED: 3,
  RESERVED: 4,
  MAC_ERROR: 5,
  COMPRESSION_ERROR: 6,
  SERVICE_NOT_AVAILABLE: 7,
  PROTOCOL_VERSION_NOT_SUPPORTED: 8,
  HOST_KEY_NOT_VERIFIABLE: 9,
  CONNECTION_LOST: 10,
  BY_APPLICATION: 11,
  TOO_MANY_CONNECTIONS: 12,
  AUTH_CANCELLED_BY_USER: 13,
  NO_MORE_AUTH_METHODS_AVAILABLE: 14,
  ILLEGAL_USER_NAME: 15,
} as const);
export type DisconnectReasonCode = (typeof DisconnectReason)[keyof typeof DisconnectReason];

export class SshError extends Error {
  override name = 'SshError';
  constructor(
    readonly reason: DisconnectReasonCode,
    message: string,
  ) {
    super(message);
  }
}

/** Malformed or out-of-phase input: RFC 4253 §11.1 SSH_DISCONNECT_PROTOCOL_ERROR. */
export class ProtocolError extends SshError {
  override name = 'ProtocolError';
  constructor(message: string) {
    super(DisconnectReason.PROTOCOL_ERROR, message);
  }
}

/** A decoder ran past the end of its input or found bytes after the last field. */
export class DecodeError extends ProtocolError {
  override name = 'DecodeError';
}

export class MacError extends SshError {
  override name = 'MacError';
  constructor(seq: number) {
    super(DisconnectReason.MAC_ERROR, `Corrupted MAC on input (packet ${seq})`);
  }
}

export class KexError extends SshError {
  override name = 'KexError';
  constructor(message: string) {
    super(DisconnectReason.KEY_EXCHANGE_FAILED, message);
  }
}

export class HostKeyError extends SshError {
  override name = 'HostKeyError';
  constructor(message: string) {
    super(DisconnectReason.HOST_KEY_NOT_VERIFIABLE, message);
  }
}

/** The peer sent SSH_MSG_DISCONNECT; carries its reason and description. */
export class PeerDisconnectError extends SshError {
  override name = 'PeerDisconnectError';
  constructor(reason: DisconnectReasonCode, readonly description: string) {
    super(reason, `Received disconnect: ${reason}: ${description}`);
  }
}

/** The byte stream ended without a DISCONNECT. */
export class ConnectionLostError extends SshError {
  override name = 'ConnectionLostError';
  constructor(message = 'Connection closed by remote host') {
    super(DisconnectReason.CONNECTION_LOST, message);
  }
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
