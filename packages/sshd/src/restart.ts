// A restart without refusing a connection: the running listener starts a new tsshd with every listening socket
// among its descriptors (the penalties collected so far go over an IPC channel) and waits until it says it serves.
// Only then does the old one stop accepting and exit; connections that arrive meanwhile queue on the shared sockets and are
// taken by whichever listener accepts first. If the new listener fails to come up, the old one keeps serving.
import { spawn } from 'node:child_process';
import type { Server } from 'node:net';
import type { Stream } from 'node:stream';
import type { HandoverMessage } from './inherited-listeners.js';
import type { ServerLogger } from './log.js';
import type { PenaltyRecord } from './penalty-box.js';

export interface RestartOptions {
  /** bin/tsshd.js */
  script: string;
  /** The new listener's arguments (foreground, same settings, `--handover`). */
  args: readonly string[];
  /** Its stderr: our log descriptor. */
  stderr: number | Stream;
  servers: readonly Server[];
  penalties: PenaltyRecord[];
  log: ServerLogger;
  timeoutMs?: number;
}

/** The descriptor of a listening server (libuv's, on Unix), or undefined. */
function descriptorOf(server: Server): number | undefined {
  const fd = (server as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

/** Resolves with the new listener's pid once it serves, or undefined (after logging why) if it did not. */
export function startSuccessor(o: RestartOptions): Promise<number | undefined> {
  const fds = o.servers.map(descriptorOf);
  if (fds.some((fd) => fd === undefined)) {
    o.log.error('Restart failed: a listening socket has no descriptor to pass on; still serving.');
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    // The listening sockets become the new listener's descriptors from HANDOVER_FDS_START on (after fd 3, the IPC
    // channel), in order.
    const child = spawn(process.execPath, [o.script, ...o.args], {
      stdio: ['ignore', 'ignore', o.stderr, 'ipc', ...(fds as number[])],
      detached: true,
      cwd: '/',
      serialization: 'json',
    });
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.log.error(`Restart failed: ${why}; still serving.`);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      resolve(undefined);
    };
    const timer = setTimeout(() => fail('the new listener did not report ready in time'), o.timeoutMs ?? 15_000);
    child.on('error', (err) => fail(`cannot start ${o.script}: ${err.message}`));
    child.on('exit', (code, signal) => fail(`the new listener exited (${signal ?? `exit code ${code}`})`));
    child.on('message', (m: unknown) => {
      if (settled || typeof m !== 'object' || m === null || (m as { type?: unknown }).type !== 'ready') return;
      settled = true;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.unref();
      child.channel?.unref();
      resolve(child.pid);
    });
    const end: HandoverMessage = { type: 'handover-end', sockets: fds.length, penalties: o.penalties };
    child.send(end);
  });
}
