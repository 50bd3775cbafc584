import type { AuthPolicy } from '@tssh/ssh-protocol/auth';
import type { Connection, ConnectionHandler } from '@tssh/ssh-protocol/connection';
import { ClientEndpoint, ServerEndpoint } from '@tssh/ssh-protocol/endpoint';
import { Ed25519PrivateKey, type PrivateKey } from '@tssh/ssh-protocol/keys';
import type { SshError } from '@tssh/ssh-protocol/wire';
import { testEnv } from './env.js';

export interface EndpointPair {
  client: ClientEndpoint;
  server: ServerEndpoint;
  userKey: PrivateKey;
  serverConnection: Promise<Connection>;
  clientClosed: Promise<SshError | undefined>;
  serverClosed: Promise<SshError | undefined>;
}

export interface EndpointPairOptions {
  cipher?: string;
  serverHandler?: (conn: Connection) => ConnectionHandler;
  clientToServer?: (chunk: Uint8Array) => Uint8Array[];
  authorized?: (key: PrivateKey) => boolean;
  /**
   * Each side receives through receiveBorrowed(), every chunk in one buffer that is scribbled over as soon as the
   * call returns: anything kept of a chunk instead of copied shows up as corruption.
   */
  borrowed?: boolean;
}

/**
 * Delivers `chunk` to `receive` in `buffer` (grown as needed), then overwrites what it delivered. The buffer is a
 * Node Buffer, as a socket's is: its slice() is a view, not a copy.
 */
function lendThrough(buffer: { bytes: Uint8Array }, chunk: Uint8Array, receive: (view: Uint8Array) => void): void {
  if (buffer.bytes.length < chunk.length) buffer.bytes = Buffer.allocUnsafe(chunk.length);
  const view = buffer.bytes.subarray(0, chunk.length);
  view.set(chunk);
  receive(view);
  view.fill(0xa5);
}

/** A client and a server endpoint, wired back to back, user `alice` with an ed25519 key. */
export function endpointPair(o: EndpointPairOptions = {}): EndpointPair {
  const env = testEnv();
  const hostKey = new Ed25519PrivateKey(env.random(32), 'host');
  const userKey = new Ed25519PrivateKey(env.random(32), 'alice@test');
  const policy: AuthPolicy = {
    userValid: (u) => u === 'alice',
    methodsFor: () => [['publickey']],
    acceptedAlgorithms: ['ssh-ed25519'],
    checkPublicKey: (_u, k) => (o.authorized ? o.authorized(userKey) : true) && Buffer.compare(k.blob, userKey.publicKey.blob) === 0,
  };
  let resolveConn!: (c: Connection) => void;
  const serverConnection = new Promise<Connection>((r) => (resolveConn = r));
  let clientClosedResolve!: (e: SshError | undefined) => void;
  let serverClosedResolve!: (e: SshError | undefined) => void;
  const clientClosed = new Promise<SshError | undefined>((r) => (clientClosedResolve = r));
  const serverClosed = new Promise<SshError | undefined>((r) => (serverClosedResolve = r));
  const c2s = o.clientToServer ?? ((c: Uint8Array) => [c]);
  const pair = {} as EndpointPair;
  const lent = { toServer: { bytes: Buffer.alloc(0) }, toClient: { bytes: Buffer.alloc(0) } };
  const toServer = (b: Uint8Array): void =>
    o.borrowed ? lendThrough(lent.toServer, b, (v) => pair.server.receiveBorrowed(v)) : pair.server.receive(b);
  const toClient = (b: Uint8Array): void =>
    o.borrowed ? lendThrough(lent.toClient, b, (v) => pair.client.receiveBorrowed(v)) : pair.client.receive(b);
  pair.server = new ServerEndpoint(
    {
      transport: { hostKeys: [hostKey], serverSigAlgs: ['ssh-ed25519'] },
      policy,
      peer: { address: '127.0.0.1', port: 1 },
      onAuthenticated: (_r, conn) => {
        resolveConn(conn);
        return o.serverHandler?.(conn);
      },
    },
    env,
    {
      output: (b) => setImmediate(() => toClient(b.slice())),
      closed: (e) => {
        serverClosedResolve(e);
        setImmediate(() => pair.client.end());
      },
    },
  );
  pair.client = new ClientEndpoint(
    {
      transport: {
        verifyHostKey: (k) => Buffer.compare(k.blob, hostKey.publicKey.blob) === 0,
        algorithms: o.cipher ? { ciphers: [o.cipher] } : undefined,
      },
      auth: {
        username: 'alice',
        credentials: {
          identities: () => [{ publicKey: userKey.publicKey, sign: async (d, a) => userKey.sign(d, a) }],
        },
      },
    },
    env,
    {
      output: (b) => {
        for (const piece of c2s(b.slice())) setImmediate(() => toServer(piece));
      },
      closed: (e) => {
        clientClosedResolve(e);
        setImmediate(() => pair.server.end());
      },
    },
  );
  pair.userKey = userKey;
  pair.serverConnection = serverConnection;
  pair.clientClosed = clientClosed;
  pair.serverClosed = serverClosed;
  pair.server.start();
  pair.client.start();
  return pair;
}
