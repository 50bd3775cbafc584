import { NegotiationError } from '@tssh/ssh-protocol/transport';
import { ConnectionLostError, DisconnectReason, PeerDisconnectError, type SshError } from '@tssh/ssh-protocol/wire';
import type { ServerLogger } from './log.js';

/** The last log lines of a connection, worded like sshd's. */
export function logConnectionEnd(
  log: ServerLogger,
  error: SshError | undefined,
  who: { user?: string; address: string; port: number },
): void {
  const from = `${who.address} port ${who.port}`;
  const tag = who.user ? '' : ' [preauth]';
  if (error instanceof PeerDisconnectError) {
    log.info(`Received disconnect from ${from}:${error.reason}: ${error.description}${tag}`);
  } else if (error instanceof NegotiationError) {
    // sshd's line (which log watchers such as fail2ban know), with our own list added.
    const theirs = error.theirOffer('server').join(',');
    log.error(`Unable to negotiate with ${from}: no matching ${error.what} found. Their offer: ${theirs} (ours: ${error.server.join(',')})${tag}`, {
      reason: error.reason,
    });
  } else if (error instanceof ConnectionLostError) {
    log.info(`Connection closed by ${who.user ? `user ${who.user} ` : ''}${from}${tag}`);
  } else if (error && error.reason !== DisconnectReason.BY_APPLICATION) {
    log.error(`Disconnecting ${who.user ? `user ${who.user} ` : ''}${from}: ${error.message}${tag}`, {
      reason: error.reason,
    });
  }
  log.info(`Disconnected from ${who.user ? `user ${who.user} ` : ''}${from}${tag}`);
}
