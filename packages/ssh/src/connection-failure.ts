// What ssh prints when a connection ends before or outside the session, given the error that ended it.
import { AuthFailedError } from '@tssh/ssh-protocol/auth';
import { NegotiationError } from '@tssh/ssh-protocol/transport';
import { ConnectionLostError, HostKeyError, PeerDisconnectError, SshError } from '@tssh/ssh-protocol/wire';

export interface FailureContext {
  /** The peer's address and port, as ssh names it in these lines. */
  readonly address: string;
  readonly port: number;
  readonly user: string;
  /** HostName, for `user@host: Permission denied`. */
  readonly host: string;
  /** The socket error that ended the stream, if any (ECONNRESET reads differently). */
  readonly socketError?: NodeJS.ErrnoException;
}

export function describeFailure(err: unknown, ctx: FailureContext): string[] {
  const peer = `${ctx.address} port ${ctx.port}`;
  if (err instanceof AuthFailedError) return [`${ctx.user}@${ctx.host}: ${err.message}`];
  if (err instanceof HostKeyError) return [err.message];
  if (err instanceof PeerDisconnectError) {
    return [`Received disconnect from ${peer}:${err.reason}: ${err.description}`, `Disconnected from ${peer}`];
  }
  if (err instanceof ConnectionLostError) {
    const code = ctx.socketError?.code;
    if (code === 'ECONNRESET') return [`Connection reset by ${peer}`];
    if (code === 'ETIMEDOUT') return [`Connection to ${peer} timed out`];
    return [`Connection closed by ${peer}`];
  }
  if (err instanceof NegotiationError) {
    return [`Unable to negotiate with ${peer}: no matching ${err.what} found. Their offer: ${err.theirOffer('client').join(',')}`];
  }
  if (err instanceof SshError) return [`ssh_dispatch_run_fatal: Connection to ${peer}: ${err.message}`];
  return [`Connection to ${peer}: ${err instanceof Error ? err.message : String(err)}`];
}
