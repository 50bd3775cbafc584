import type { Connection } from '../connection/index.js';
import type { Transport } from '../transport/index.js';
import { MSG, ProtocolError, messageLayer } from '../wire/index.js';

/** The endpoint's state that decides where a payload above the transport goes. */
export interface RouteTargets {
  transport: Transport;
  /** The auth state machine, once the ssh-userauth service started; `done` once the user is in. */
  auth?: { handle(p: Uint8Array): Promise<void>; done: boolean };
  afterAuthStep(): void | Promise<void>;
  connection?: Connection;
}

/**
 * RFC 4253 §12 / RFC 4252 §6 / RFC 4254 routing by message number, gated by phase: userauth messages only once the
 * service started (ignored after success, RFC 4252 §5.1), connection messages only once authenticated, anything
 * else (or a number RFC 4254 leaves unassigned) answered with UNIMPLEMENTED (RFC 4253 §11.4).
 */
export function routePayload(t: RouteTargets, p: Uint8Array, seq: number): void | Promise<void> {
  const n = p[0];
  switch (messageLayer(n)) {
    case 'userauth':
      if (!t.auth) throw new ProtocolError(`userauth message ${n} before the ssh-userauth service started`);
      if (t.auth.done) return;
      return t.auth.handle(p).then(() => t.afterAuthStep());
    case 'connection':
      if (!t.connection) throw new ProtocolError(`connection message ${n} before authentication`);
      if (n > MSG.CHANNEL_FAILURE) return t.transport.sendUnimplemented(seq);
      return t.connection.handle(p);
    default:
      t.transport.sendUnimplemented(seq);
  }
}
