// Listening sockets a new listener did not bind itself: from systemd socket activation (LISTEN_FDS, as
// sd_listen_fds(3) reads them), or from the listener it replaces in a restart (over the IPC channel it was started
// with). Either way connections keep queueing on the same sockets while listeners change, so none is refused.
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { PenaltyRecord } from './penalty-box.js';

/** sd_listen_fds(3): passed descriptors start at 3. */
export const SD_LISTEN_FDS_START = 3;

/**
 * The descriptors systemd passed to this process, and the variables removed so that no child sees them
 * (the same as sd_listen_fds(1)). Empty when they are absent or meant for another process.
 */
export function takeSystemdListenFds(env: NodeJS.ProcessEnv = process.env, pid: number = process.pid): number[] {
  const listenPid = env.LISTEN_PID;
  const count = env.LISTEN_FDS;
  delete env.LISTEN_PID;
  delete env.LISTEN_FDS;
  delete env.LISTEN_FDNAMES;
  if (listenPid === undefined || count === undefined || !/^[0-9]+$/.test(listenPid) || Number(listenPid) !== pid) return [];
  if (!/^[0-9]{1,4}$/.test(count)) return [];
  return Array.from({ length: Number(count) }, (_, i) => SD_LISTEN_FDS_START + i);
}

/**
 * Connections an inherited server accepted before anyone served it: it listens (and so accepts, since the socket is
 * shared with the listener it replaces) from the moment it gets its descriptor, while the configuration that says
 * what to do with it is still being read. They wait here, paused, for takeEarlyConnections().
 */
const early = new WeakMap<Server, { held: Socket[]; hold: (s: Socket) => void }>();

/** The connections `server` accepted before it was served (see `early`); from now on 'connection' is the caller's. */
export function takeEarlyConnections(server: Server): Socket[] {
  const e = early.get(server);
  if (!e) return [];
  early.delete(server);
  server.off('connection', e.hold);
  return e.held;
}

/** A paused-on-connect server listening on an existing descriptor. */
function listenOn(target: { fd: number }): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer({ pauseOnConnect: true });
    const held: Socket[] = [];
    const hold = (s: Socket): void => void held.push(s);
    server.on('connection', hold);
    early.set(server, { held, hold });
    server.once('error', reject);
    const ready = (): void => {
      server.off('error', reject);
      resolve(server);
    };
    server.listen({ fd: target.fd }, ready);
  });
}

/** Servers on systemd's descriptors; a descriptor that is not a listening stream socket is an error. */
export async function serversFromFds(fds: readonly number[]): Promise<Server[]> {
  const out: Server[] = [];
  for (const fd of fds) {
    try {
      out.push(await listenOn({ fd }));
    } catch (err) {
      throw new Error(`Cannot listen on inherited descriptor ${fd}: ${(err as Error).message}`);
    }
  }
  return out;
}

/**
 * The descriptor at which a listener started for a restart finds the first listening socket of the one it
 * replaces (0-2 are stdio, 3 the IPC channel); the others follow it.
 */
export const HANDOVER_FDS_START = 4;

/**
 * Old listener -> new, once its listening sockets are the new one's descriptors from HANDOVER_FDS_START on (stdio
 * of the spawn, not handles sent over IPC: Node would accept on a socket received that way, with nobody listening,
 * before handing it over, and such connections were lost), with the state to carry over.
 */
export type HandoverMessage = { type: 'handover-end'; sockets: number; penalties: PenaltyRecord[] };

export interface Handover {
  servers: Server[];
  penalties: PenaltyRecord[];
}

function isHandoverMessage(m: unknown): m is HandoverMessage {
  if (typeof m !== 'object' || m === null) return false;
  const { type, sockets, penalties } = m as { type?: unknown; sockets?: unknown; penalties?: unknown };
  return type === 'handover-end' && Number.isInteger(sockets) && Array.isArray(penalties);
}

/** In a listener started for a restart: the sockets and state of the one it replaces. */
export function receiveHandover(timeoutMs = 10_000): Promise<Handover> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error('timed out waiting for the listening sockets')), timeoutMs);
    const onMessage = (m: unknown): void => {
      if (!isHandoverMessage(m)) return;
      const fds = Array.from({ length: m.sockets }, (_, i) => HANDOVER_FDS_START + i);
      serversFromFds(fds).then(
        (servers) => finish(undefined, { servers, penalties: m.penalties }),
        (err: unknown) => finish(err as Error),
      );
    };
    const onDisconnect = (): void => finish(new Error('the old listener went away during the hand-over'));
    const finish = (err: Error | undefined, handover?: Handover): void => {
      clearTimeout(timer);
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
      if (err) reject(err);
      else resolve(handover!);
    };
    if (!process.send) return finish(new Error('no channel to the old listener'));
    process.on('message', onMessage);
    process.on('disconnect', onDisconnect);
  });
}

/** New listener -> old: serving now; the channel is dropped, the two are independent from here on. */
export function reportHandoverReady(): void {
  if (!process.send || !process.connected) return;
  process.send({ type: 'ready', pid: process.pid }, undefined, undefined, () => {
    if (process.connected) process.disconnect();
  });
}
