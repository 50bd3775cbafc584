import {
  ClientAuth,
  ServerAuth,
  type AuthPolicy,
  type ClientAuthOptions,
  type ClientCredentials,
  type ClientIdentity,
  type ServerAuthOptions,
} from '@tssh/ssh-protocol/auth';
import { Ed25519PrivateKey, type PrivateKey, type PublicKey } from '@tssh/ssh-protocol/keys';
import { bytesEqual, type Env, type Logger } from '@tssh/ssh-protocol/wire';
import { testEnv } from './env.js';

export interface LogLine {
  level: keyof Logger;
  message: string;
  fields: Record<string, unknown> | undefined;
}

/** A test Env whose logger keeps every line. */
export function capturingEnv(): { env: Env; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: keyof Logger) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  const log: Logger = { error: at('error'), warn: at('warn'), info: at('info'), verbose: at('verbose'), debug: at('debug') };
  return { env: testEnv(log), lines };
}

export function newUserKey(env: Env, comment = 'user key'): Ed25519PrivateKey {
  return new Ed25519PrivateKey(env.random(32), comment);
}

/** An identity backed by an in-memory key, counting its signatures. */
export function identityOf(key: PrivateKey): ClientIdentity & { signed: number } {
  const id = {
    publicKey: key.publicKey,
    comment: key.comment,
    signed: 0,
    async sign(data: Uint8Array, algorithm: string) {
      id.signed++;
      return key.sign(data, algorithm);
    },
  };
  return id;
}

export interface UserRecord {
  keys?: PublicKey[];
  password?: string;
}

export interface PolicyCalls {
  userValid: string[];
  checkPublicKey: Array<{ user: string; blob: Uint8Array; algorithm: string }>;
  checkPassword: string[];
}

/** A policy over a fixed table of users; records what it was asked (never the passwords). */
export function tablePolicy(
  users: Record<string, UserRecord>,
  methods: string[][] = [['publickey'], ['password']],
  extra: Partial<AuthPolicy> = {},
): AuthPolicy & { calls: PolicyCalls } {
  const calls: PolicyCalls = { userValid: [], checkPublicKey: [], checkPassword: [] };
  return {
    calls,
    acceptedAlgorithms: ['ssh-ed25519'],
    async userValid(user) {
      calls.userValid.push(user);
      return Object.hasOwn(users, user);
    },
    methodsFor: () => methods.map((l) => [...l]),
    async checkPublicKey(user, key, algorithm) {
      calls.checkPublicKey.push({ user, blob: key.blob, algorithm });
      return (users[user]?.keys ?? []).some((k) => bytesEqual(k.blob, key.blob));
    },
    async checkPassword(user, password) {
      calls.checkPassword.push(user);
      const want = Object.hasOwn(users, user) ? users[user].password : undefined;
      return want !== undefined && password === want;
    },
    ...extra,
  };
}

export interface AuthPair {
  server: ServerAuth;
  client: ClientAuth;
  /** Payloads each side sent, in order. */
  serverSent: Uint8Array[];
  clientSent: Uint8Array[];
  serverError: Promise<unknown>;
  lines: LogLine[];
}

export const PEER = Object.freeze({ address: '192.0.2.7', port: 50022 });

/**
 * Client and server state machines back to back: each payload is delivered in a later macrotask, in order.
 * A fatal server error stops delivery, as the endpoint's DISCONNECT would.
 */
export function authPair(
  policy: AuthPolicy,
  username: string,
  credentials: ClientCredentials,
  opts: { server?: Partial<ServerAuthOptions>; client?: Partial<ClientAuthOptions> } = {},
): AuthPair {
  const { env, lines } = capturingEnv();
  const sessionId = env.random(32);
  const serverSent: Uint8Array[] = [];
  const clientSent: Uint8Array[] = [];
  let failed = false;
  let serverErrorResolve!: (e: unknown) => void;
  const serverError = new Promise<unknown>((r) => (serverErrorResolve = r));
  const client: ClientAuth = new ClientAuth({
    env,
    sessionId,
    username,
    credentials,
    send: (p) => {
      clientSent.push(p);
      setImmediate(() => {
        if (failed) return;
        server.handle(p).catch((e) => {
          failed = true;
          serverErrorResolve(e);
        });
      });
    },
    ...opts.client,
  });
  const server: ServerAuth = new ServerAuth({
    env,
    sessionId,
    policy,
    peer: PEER,
    send: (p) => {
      serverSent.push(p);
      setImmediate(() => {
        if (!failed) client.handle(p).catch(() => {});
      });
    },
    ...opts.server,
  });
  return { server, client, serverSent, clientSent, serverError, lines };
}

/** Message numbers of a list of payloads. */
export function numbers(payloads: readonly Uint8Array[]): number[] {
  return payloads.map((p) => p[0]);
}
