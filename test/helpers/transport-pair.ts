import { Ed25519PrivateKey, type PublicKey } from '@tssh/ssh-protocol/keys';
import { Transport, type TransportOptions } from '@tssh/ssh-protocol/transport';
import { concatBytes, type SshError } from '@tssh/ssh-protocol/wire';
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
  // What a side outputs in one turn travels as one chunk, as one socket write would carry it.
  const link = (to: number, rewrite: (chunk: Uint8Array) => Uint8Array[]) => {
    let pending: Uint8Array[] = [];
    return (b: Uint8Array): void => {
      if (pending.length === 0) {
        setImmediate(() => {
          const chunk = concatBytes(...pending);
          pending = [];
          for (const piece of rewrite(chunk)) setImmediate(() => sides[to].transport.receive(piece));
        });
      }
      pending.push(b.slice());
    };
  };
  const client = make('client', opts.client ?? {}, link(1, opts.clientToServer ?? ((c) => [c])));
  const server = make('server', opts.server ?? {}, link(0, opts.serverToClient ?? ((c) => [c])));
  sides.push(client, server);
  return { client, server, hostKey };
}

/** Split every chunk into 1-byte pieces. */
export const oneByteChunks = (c: Uint8Array): Uint8Array[] => Array.from(c, (b) => Uint8Array.of(b));
