import type { Env } from '../wire/index.js';
import type { HashName } from '../crypto/index.js';

/** What both sides feed into the exchange hash besides the method's own values (RFC 4253 §8). */
export interface KexInputs {
  readonly clientVersion: string;
  readonly serverVersion: string;
  /** The payloads of the client's and the server's KEXINIT. */
  readonly clientKexInit: Uint8Array;
  readonly serverKexInit: Uint8Array;
  readonly env: Env;
}

export interface KexOutput {
  /** The shared secret K exactly as it is fed to the hash: an mpint or a string, with its length prefix. */
  readonly sharedSecret: Uint8Array;
  /** Exchange hash H. */
  readonly exchangeHash: Uint8Array;
}

export interface ClientKexResult extends KexOutput {
  readonly hostKeyBlob: Uint8Array;
  readonly signature: Uint8Array;
}

/** Client side of one key exchange: sends its first message(s), then handles the server's replies. */
export interface ClientKex {
  start(): Uint8Array[];
  handle(payload: Uint8Array): { send: Uint8Array[]; result?: ClientKexResult };
}

/** Server side; `sign(H)` returns the host key's signature blob over the exchange hash. */
export interface ServerKex {
  handle(payload: Uint8Array): { send: Uint8Array[]; result?: KexOutput };
}

export interface ServerHostKey {
  readonly blob: Uint8Array;
  sign(exchangeHash: Uint8Array): Uint8Array;
}

export interface KexMethod {
  readonly name: string;
  readonly hash: HashName;
  client(inputs: KexInputs): ClientKex;
  server(inputs: KexInputs, hostKey: ServerHostKey): ServerKex;
}
