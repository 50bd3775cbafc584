// Opening the TCP connection as ssh_connect_direct does: resolve the name, try each address in turn, give up
// after ConnectTimeout per address, and report failures in ssh's words.
import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { connect, isIP, type NetConnectOpts, type Socket } from 'node:net';
import { ReusedReadBuffer } from '@tssh/ssh-protocol/node';
import type { ClientLogger } from './client-log.js';
import { FatalError } from './fatal-error.js';

export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  /** Seconds; undefined waits as long as the system does. */
  readonly timeout: number | undefined;
  readonly family: 'any' | 'inet' | 'inet6';
  readonly log: ClientLogger;
}

/** strerror(3) and gai_strerror(3) wording for the errors a connection attempt meets. */
const STRERROR: Readonly<Record<string, string>> = Object.freeze({
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ETIMEDOUT: 'Connection timed out',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOTFOUND: 'Name or service not known',
  EAI_NONAME: 'Name or service not known',
  EAI_NODATA: 'No address associated with hostname',
  EAI_AGAIN: 'Temporary failure in name resolution',
  EAI_FAIL: 'Non-recoverable failure in name resolution',
});

export function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return (e.code !== undefined && STRERROR[e.code]) || e.message || String(err);
}

async function resolve(opts: ConnectOptions): Promise<LookupAddress[]> {
  if (isIP(opts.host)) return [{ address: opts.host, family: isIP(opts.host) }];
  const family = opts.family === 'inet' ? 4 : opts.family === 'inet6' ? 6 : 0;
  try {
    return await lookup(opts.host, { all: true, family });
  } catch (e) {
    throw new FatalError(`ssh: Could not resolve hostname ${opts.host.toLowerCase()}: ${describeError(e)}`);
  }
}

/** A connected socket, read into one reused buffer (ssh-protocol's socket-reads.ts). */
export interface TcpConnection {
  socket: Socket;
  reads: ReusedReadBuffer;
}

function attempt(address: string, port: number, timeoutMs: number | undefined): Promise<TcpConnection> {
  return new Promise((resolveSocket, reject) => {
    const reads = new ReusedReadBuffer();
    const socket = connect(<NetConnectOpts>{ host: address, port, onread: reads.onread });
    let timer: NodeJS.Timeout | undefined;
    const fail = (e: Error): void => {
      if (timer) clearTimeout(timer);
      socket.destroy();
      reject(e);
    };
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => fail(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), timeoutMs);
    }
    socket.once('error', fail);
    socket.once('connect', () => {
      if (timer) clearTimeout(timer);
      socket.off('error', fail);
      resolveSocket({ socket, reads });
    });
  });
}

/** Connects, or throws a FatalError with ssh's message. */
export async function connectTcp(opts: ConnectOptions): Promise<TcpConnection> {
  const addresses = await resolve(opts);
  const timeoutMs = opts.timeout === undefined || opts.timeout === 0 ? undefined : opts.timeout * 1000;
  let last: unknown;
  for (const a of addresses) {
    opts.log.debug(`Connecting to ${opts.host} [${a.address}] port ${opts.port}.`);
    try {
      const tcp = await attempt(a.address, opts.port, timeoutMs);
      tcp.socket.setNoDelay(true);
      opts.log.debug('Connection established.');
      return tcp;
    } catch (e) {
      last = e;
      opts.log.debug(`connect to address ${a.address} port ${opts.port}: ${describeError(e)}`);
    }
  }
  throw new FatalError(`ssh: connect to host ${opts.host} port ${opts.port}: ${describeError(last)}`);
}
