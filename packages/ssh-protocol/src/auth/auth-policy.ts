// What the server state machine asks the application. Every decision about users, keys and passwords is
// made here; the state machine only enforces the protocol (RFC 4252, RFC 4256) around it.
import type { PublicKey } from '../keys/index.js';
import type { KbdintPrompt } from './messages.js';

/** A policy or credential callback may answer at once or later. */
export type MaybePromise<T> = T | Promise<T>;

/** One step of a keyboard-interactive conversation (RFC 4256 §3.2-§3.4). */
export type KbdintStep =
  | { kind: 'prompts'; name: string; instruction: string; prompts: KbdintPrompt[] }
  | { kind: 'success' }
  | { kind: 'failure' };

/** A keyboard-interactive exchange: prompts -> responses -> success, failure or another round. */
export interface KbdintConversation {
  start(): MaybePromise<KbdintStep>;
  /** Answers to the prompts of the last step, in order and of the same number. */
  respond(responses: string[]): MaybePromise<KbdintStep>;
  /** The client sent a new request instead of answering (RFC 4256 §3.3); release whatever the exchange holds. */
  abandon?(): void;
}

/**
 * Implemented by the application. Each method is called for unknown users too, with the same arguments, so
 * that an invalid user goes through the same steps as a valid one; the state machine then ignores the answer.
 * A method the policy leaves out is not offered.
 */
export interface AuthPolicy {
  /** Does this user exist and may log in? Asked once, at the first request. */
  userValid(user: string): MaybePromise<boolean>;
  /**
   * AuthenticationMethods, OpenSSH semantics: the user is in once every method of one list has succeeded, in
   * order; only the next method of each list is offered. E.g. [['publickey', 'password'], ['publickey']].
   */
  methodsFor(user: string): MaybePromise<string[][]>;
  /** Signature algorithms allowed for publickey (PubkeyAcceptedAlgorithms). */
  readonly acceptedAlgorithms: readonly string[];
  /** Is this key authorized for the user? Asked for the query and again for the signed request. */
  checkPublicKey?(user: string, key: PublicKey, algorithm: string): MaybePromise<boolean>;
  /** `'change'` asks the client for a new password (RFC 4252 §8); only offered if changePassword exists. */
  checkPassword?(user: string, password: string): MaybePromise<boolean | 'change'>;
  changePassword?(user: string, oldPassword: string, newPassword: string): MaybePromise<boolean | 'change'>;
  /** Start a conversation; undefined refuses the method for this request. */
  keyboardInteractive?(user: string, submethods: string): MaybePromise<KbdintConversation | undefined>;
}

export interface PeerAddress {
  address: string;
  port: number;
}

export interface ServerAuthResult {
  user: string;
  /** The method that completed authentication. */
  method: string;
  /** Every method that succeeded, in order (more than one with AuthenticationMethods lists). */
  methodsUsed: string[];
  /** The last public key that succeeded, if any. */
  publicKey?: PublicKey;
}
