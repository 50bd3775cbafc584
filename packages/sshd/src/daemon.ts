// Running as a daemon, the way sshd does without -D: the command-line process starts a detached copy of the
// listener in its own session and exits once that copy is listening, with its status if it failed first, so that
// `tsshd` on a terminal or in an init script still reports a bad start. Also the PidFile.
import { spawn } from 'node:child_process';
import { closeSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import type { Readable, Stream } from 'node:stream';
import type { ServerLogger } from './log.js';
import { describeErrno } from './strerror.js';

const NOTIFY_FD = 3;

/**
 * Starts `script args...` detached, stdin/stdout on /dev/null, stderr on `stderrFd` (the log), in `/`, with a pipe
 * on fd 3 for the readiness report. Resolves with the exit status this process should end with.
 */
export function detach(script: string, args: (notifyFd: number) => string[], stderrFd: number | Stream): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, ...args(NOTIFY_FD)], {
      detached: true,
      cwd: '/',
      stdio: ['ignore', 'ignore', stderrFd, 'pipe'],
    });
    let ready = false;
    const notify = child.stdio[NOTIFY_FD] as Readable;
    notify.on('data', () => {
      if (ready) return;
      ready = true;
      notify.destroy();
      child.unref();
      done(0);
    });
    notify.on('error', () => {});
    child.on('error', (err) => {
      process.stderr.write(`tsshd: cannot start the daemon: ${err.message}\n`);
      done(1);
    });
    child.on('exit', (code, signal) => {
      if (!ready) done(code ?? (signal ? 1 : 0));
    });
  });
}

/** In the detached copy: tells the waiting parent that the listener is up, and lets go of the pipe. */
export function notifyReady(fd: number): void {
  try {
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
  } catch {
    // The parent is gone already: nobody is waiting.
  }
}

/** Writes the pid file; a failure is logged (as sshd words it) and the daemon carries on. */
export function writePidFile(path: string, log: ServerLogger): boolean {
  try {
    writeFileSync(path, `${process.pid}\n`, { mode: 0o644 });
    return true;
  } catch (err) {
    log.error(`Couldn't create pid file "${path}": ${describeErrno(err as NodeJS.ErrnoException)}`, { path });
    return false;
  }
}

/** Removes the pid file if it is still ours (a newer listener may have written its own). */
export function removePidFile(path: string): void {
  try {
    if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
  } catch {
    // Already gone or unreadable: nothing of ours to remove.
  }
}
