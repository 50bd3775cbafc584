// The worker's side of its link to tsshd. Started by tsshd from its pool, a worker has an IPC channel: it waits
// there for its one connection, and reports there when its user has authenticated, so that the listener stops
// counting it against MaxStartups and LoginGraceTime. Started by inetd, xinetd or systemd, it has no channel and
// the connection is its fd 0/1. Losing the listener (a restart) never ends a connection in progress.
import { Socket } from 'node:net';
import { socketWithReusedReads, type ReusedReadBuffer } from '@tssh/ssh-protocol/node';
import { isListenerMessage } from './worker-messages.js';
import type { WorkerMessage } from './worker-messages.js';

export interface ListenerLink {
  /** The user is in: tell the listener, then drop the channel for good. */
  authenticated(user: string): void;
}

function send(message: WorkerMessage, done?: () => void): void {
  if (!process.send || !process.connected) return done?.();
  try {
    process.send(message, undefined, undefined, () => done?.());
  } catch {
    done?.(); // the listener went away meanwhile
  }
}

/** True when tsshd started us with a channel (the pool), false for `-i` under inetd and friends. */
export function hasListenerChannel(): boolean {
  return process.send !== undefined && process.connected;
}

/** The connection as the worker serves it, and the buffer its reads go into when it has one of its own. */
export interface HandedConnection {
  socket: Socket;
  reads: ReusedReadBuffer | undefined;
}

/**
 * The socket for what tsshd sent: its bare TCP handle, wrapped here so that it reads into one reused buffer from
 * the first byte (ssh-protocol's socket-reads.ts), or a socket Node has wrapped already (a listener that sends
 * sockets: one from before an upgrade, during a restart).
 */
export function wrapHandle(handle: unknown): HandedConnection {
  if (handle instanceof Socket) return { socket: handle, reads: undefined };
  return socketWithReusedReads({ handle });
}

/**
 * In a pre-started worker: resolves with the one connection tsshd hands over. An idle worker whose listener
 * goes away has nothing to serve and exits.
 */
export function receiveConnection(warmUp?: () => void): Promise<HandedConnection> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown, handle: unknown): void => {
      if (!isListenerMessage(message) || handle === undefined) return;
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
      // The listener may be on its way out (a restart): it waits for this before it exits.
      send({ type: 'accepted' });
      resolve(wrapHandle(handle));
    };
    const onDisconnect = (): void => process.exit(0);
    process.on('message', onMessage);
    process.on('disconnect', onDisconnect);
    // A connection that arrives meanwhile waits in the channel until the warm-up is over.
    warmUp?.();
    send({ type: 'ready' });
  });
}

export function listenerLink(): ListenerLink {
  if (!hasListenerChannel()) return { authenticated() {} };
  // Nothing more is expected from the listener; the channel must never keep the worker alive by itself.
  process.channel?.unref();
  process.on('disconnect', () => {}); // the listener restarted or stopped: carry on
  return {
    authenticated(user) {
      send({ type: 'authenticated', user }, () => {
        if (process.connected) process.disconnect();
      });
    },
  };
}
