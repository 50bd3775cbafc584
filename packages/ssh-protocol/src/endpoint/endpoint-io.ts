import type { SshError } from '../wire/index.js';

/** How an endpoint talks to whatever carries its bytes (a socket, a pipe, an in-memory pair). */
export interface EndpointIO {
  /** Bytes for the peer, in order. */
  output(bytes: Uint8Array): void;
  /** The connection is over: flush what was output, then close. `error` is undefined after a clean close. */
  closed(error?: SshError): void;
}
