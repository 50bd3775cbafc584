// Channel-level failures. They are not connection-fatal, so they are not SshErrors.
import { ChannelOpenFailure } from '../wire/index.js';

/** RFC 4254 §5.1: the peer answered CHANNEL_OPEN with CHANNEL_OPEN_FAILURE. */
export class ChannelOpenError extends Error {
  override name = 'ChannelOpenError';
  constructor(
    readonly reason: number,
    readonly description: string,
  ) {
    super(`open failed: ${channelOpenReasonText(reason)}${description ? `: ${description}` : ''}`);
  }
}

/** A request or write on a channel that has closed (RFC 4254 §5.3). */
export class ChannelClosedError extends Error {
  override name = 'ChannelClosedError';
  constructor(localId: number, what = 'channel closed') {
    super(`channel ${localId}: ${what}`);
  }
}

/** RFC 4254 §5.1 reason codes as OpenSSH words them. */
export function channelOpenReasonText(reason: number): string {
  switch (reason) {
    case ChannelOpenFailure.ADMINISTRATIVELY_PROHIBITED:
      return 'administratively prohibited';
    case ChannelOpenFailure.CONNECT_FAILED:
      return 'connect failed';
    case ChannelOpenFailure.UNKNOWN_CHANNEL_TYPE:
      return 'unknown channel type';
    case ChannelOpenFailure.RESOURCE_SHORTAGE:
      return 'resource shortage';
    default:
      return `unknown reason ${reason}`;
  }
}
