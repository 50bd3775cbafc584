import { Ed25519PrivateKey, type PublicKey } from '@tssh/ssh-protocol/keys';
import { Transport, type TransportOptions } from '@tssh/ssh-protocol/transport';
import type { SshError } from '@tssh/ssh-protocol/wire';
import { testEnv } from './env.js';

export interface Side {
  transport: Transport;
  payloads: Uint8Array[];
  closed?: SshError | 'clean';
  ready: Promise<void>;
  done: Promise<SshError | 'clean'>;
}

export interface PairOptions {
  client?: Partial<TransportOptions>;
  server?: Partial<TransportOptions>;
  /** Rewrites each chunk in flight (split, flip bits...); returns the chunks to deliver. */
  clientToServer?: (chunk: Uint8Array) => Uint8Array[];
  serverToClient?: (chunk: Uint8Array) => Uint8Array[];
}

export function newHostKey(): Ed25519PrivateKey {
  return new Ed25519PrivateKey(testEnv().random(32), 'test host key');
}

/** Two transports wired back to back with asynchronous delivery (one macrotask per chunk batch). */
export function transportPair(opts: PairOptions = {}): { client: Side; server: Side; hostKey: Ed25519PrivateKey } {
  const hostKey = newHostKey();
  const env = testEnv();
  const sides: Side[] = [];
  const make = (role: 'client' | 'server', topts: Partial<TransportOptions>, deliver: (b: Uint8Array) => void): Side => {
    let readyResolve!: () => void;
    let doneResolve!: (v: SshError | 'clean') => void;
    const side = {
      payloads: [] as Uint8Array[],
      ready: new Promise<void>((r) => (readyResolve = r)),
      done: new Promise<SshError | 'clean'>((r) => (doneResolve = r)),
    } as Side;
    side.transport = new Transport(
      {
        role,
        hostKeys: role === 'server' ? [hostKey] : undefined,
        verifyHostKey: (k: PublicKey) => k.type === 'ssh-ed25519',
        serverSigAlgs: ['ssh-ed25519'],
        ...topts,
      },
      env,
      {
        output: deliver,
        payload: (p) => {
          side.payloads.push(p.slice());
        },
        ready: () => readyResolve(),
        closed: (e) => {
          side.closed = e ?? 'clean';
          doneResolve(side.closed);
        },
      },
    );
    return side;
  };
  const c2s = opts.clientToServer ?? ((c) => [c]);
  const s2c = opts.serverToClient ?? ((c) => [c]);
  const client = make('client', opts.client ?? {}, (b) => {
    for (const piece of c2s(b.slice())) setImmediate(() => sides[1].transport.receive(piece));
  });
  const server = make('server', opts.server ?? {}, (b) => {
    for (const piece of s2c(b.slice())) setImmediate(() => sides[0].transport.receive(piece));
  });
  sides.push(client, server);
  return { client, server, hostKey };
}

/** Split every chunk into 1-byte pieces. */
export const oneByteChunks = (c: Uint8Array): Uint8Array[] => Array.from(c, (b) => Uint8Array.of(b));
