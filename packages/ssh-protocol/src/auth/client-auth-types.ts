// What the client side of user authentication (client-auth.ts) is given and gives back: the keys and secrets it
// may use, its options, and its result.
import type { PublicKey } from '../keys/index.js';
import type { MaybePromise } from './auth-policy.js';
import type { Env } from '../wire/index.js';
import type { KbdintPrompt } from './messages.js';

/** A key the client can prove it holds; `sign` is async so that an agent can back it. */
export interface ClientIdentity {
  publicKey: PublicKey;
  /** An RFC 4253 §6.6 signature blob over `data` made with `algorithm`. */
  sign(data: Uint8Array, algorithm: string): Promise<Uint8Array>;
  comment?: string;
}

/**
 * A key whose public half is unknown until its private key is read (a PEM file without a `.pub` beside it, as
 * in ssh's "Trying private key"). `load` runs when its turn comes and may ask for a passphrase; the key is then
 * used for a signed request straight away. Undefined skips it.
 */
export interface DeferredClientIdentity {
  readonly comment: string;
  load(): Promise<ClientIdentity | undefined>;
}

/** Where credentials come from: all optional; a method without its source is skipped. */
export interface ClientCredentials {
  /** In the order to try them. */
  identities?(): MaybePromise<ReadonlyArray<ClientIdentity | DeferredClientIdentity>>;
  /** `attempt` counts from 0; above 0 the previous password was refused. Undefined gives up on passwords. */
  askPassword?(prompt: string, attempt: number): Promise<string | undefined>;
  /** RFC 4252 §8 password change; undefined declines. */
  askNewPassword?(prompt: string): Promise<string | undefined>;
  /** RFC 4256 §3.3: one answer per prompt; undefined gives up on keyboard-interactive. */
  askInteractive?(name: string, instruction: string, prompts: KbdintPrompt[]): Promise<string[] | undefined>;
  /**
   * RFC 4252 §5.4. The text is the server's: sanitize before showing it on a terminal. `raw` holds the bytes as
   * sent (servers do send Latin-1 banners: invalid UTF-8 is shown as U+FFFD in `text`, never a protocol error).
   */
  onBanner?(text: string, language: string, raw: Uint8Array): void;
}

export interface ClientAuthOptions {
  env: Env;
  send(payload: Uint8Array): void;
  /** Exchange hash H of the first key exchange (RFC 4253 §7.2). */
  sessionId: Uint8Array;
  username: string;
  service?: 'ssh-connection';
  credentials: ClientCredentials;
  /** For the password prompt `user@host's password: `. */
  host?: string;
  /** Default publickey, keyboard-interactive, password. */
  preferredAuthentications?: readonly string[];
  /** Default 3, for password and for keyboard-interactive. */
  numberOfPasswordPrompts?: number;
  /** PubkeyAcceptedAlgorithms: signature algorithms we are willing to use. */
  pubkeyAcceptedAlgorithms?: readonly string[];
  /** KbdInteractiveDevices, sent as submethods; default empty. */
  kbdInteractiveDevices?: string;
}

export interface ClientAuthResult {
  method: string;
  methodsUsed: string[];
  /** The key whose signature was accepted last, if any. */
  publicKey?: PublicKey;
}

export const DEFAULT_PREFERRED_AUTHENTICATIONS: readonly string[] = Object.freeze([
  'publickey',
  'keyboard-interactive',
  'password',
]);
