// The connection a worker serves: fd 0/1. Under tsshd or a socket-activating inetd both are the same socket;
// under a pipe pair (ProxyCommand-style tests) they are two pipes.
import { fstatSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { socketWithReusedReads, type ReusedReadBuffer } from '@tssh/ssh-protocol/node';

export interface PeerStream {
  input: Readable;
  output: Writable;
  /** Where `input`'s reads go when it reads into one reused buffer (feedBorrowedFrom), else undefined. */
  reads: ReusedReadBuffer | undefined;
  /** The client's address and port, or sshd's placeholders when fd 0 is not a socket. */
  address: string;
  port: number;
  localAddress: string;
  localPort: number;
  destroy(): void;
}

function stripV4Mapped(a: string | undefined): string | undefined {
  return a?.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

export function openPeerStream(): PeerStream {
  let isSocket = false;
  try {
    isSocket = fstatSync(0).isSocket();
  } catch {
    isSocket = false;
  }
  if (isSocket) {
    const { socket, reads } = socketWithReusedReads({ fd: 0 });
    return peerStreamFromSocket(socket, reads);
  }
  return {
    input: process.stdin,
    output: process.stdout,
    reads: undefined,
    address: 'UNKNOWN',
    port: 65535,
    localAddress: 'UNKNOWN',
    localPort: 65535,
    destroy: () => {
      process.stdin.destroy();
      process.stdout.destroy();
    },
  };
}

/** A connection on a socket: fd 0, or one handed over by tsshd to a pre-started worker. */
export function peerStreamFromSocket(socket: Socket, reads: ReusedReadBuffer | undefined): PeerStream {
  socket.setNoDelay(true);
  socket.allowHalfOpen = true; // the client's EOF must not end our side before our last packets

  return {
    input: socket,
    output: socket,
    reads,
    address: stripV4Mapped(socket.remoteAddress) ?? 'UNKNOWN',
    port: socket.remotePort ?? 65535,
    localAddress: stripV4Mapped(socket.localAddress) ?? 'UNKNOWN',
    localPort: socket.localPort ?? 65535,
    destroy: () => socket.destroy(),
  };
}
