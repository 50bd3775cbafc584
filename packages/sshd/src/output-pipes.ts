// Real pipes for what a command writes. Node gives a child's stdio as socketpairs, and reading a socketpair costs
// the kernel far more than reading a pipe: an skb per write (memory-cgroup charges, frees) and the socket lock
// fought over with the writer. A 1 GiB `head -c` through the worker spent 0.50 s of its main thread in read()
// from a socketpair, 0.12 s from a pipe (`perf`), and the download was 11-18 % faster with a pipe. OpenSSH's sshd
// gives commands pipes too.
//
// Node has no pipe(2), so a pipe is made as a FIFO: `mkfifo` in a fresh private directory, both ends opened, and
// the name removed at once, which leaves an anonymous pipe. Running `mkfifo` takes ~2 ms, so a pre-started worker
// makes one during its warm-up; each one taken is replaced in the background. When none is ready the command's
// output goes through Node's socketpair as before: a pipe is a speed-up, never a condition.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The two ends of a pipe, as file descriptors: `read` non-blocking (ours), `write` blocking (the child's). */
export interface PipeEnds {
  readonly read: number;
  readonly write: number;
}

/** Where `mkfifo` is looked for: the system's directories, not the user's PATH. */
const MKFIFO_ENV = { PATH: '/usr/bin:/bin', LC_ALL: 'C' };

/** A private directory (mode 0700) for one FIFO's name. */
function fifoPlace(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tsshd-pipe-'));
  return { dir, path: join(dir, 'p') };
}

/** Opens both ends of the FIFO at `path` (the reader first, so that opening the writer does not block). */
function openEnds(path: string): PipeEnds {
  const read = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    return { read, write: openSync(path, constants.O_WRONLY) };
  } catch (err) {
    closeSync(read);
    throw err;
  }
}

/** A pipe made now; throws when it cannot be (no `mkfifo`, no writable temporary directory). */
export function makePipe(): PipeEnds {
  const { dir, path } = fifoPlace();
  try {
    const r = spawnSync('mkfifo', ['-m', '600', path], { env: MKFIFO_ENV, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`mkfifo failed: ${r.error?.message ?? `exit code ${r.status}`}`);
    return openEnds(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same, without blocking the event loop while `mkfifo` runs. */
export function makePipeLater(): Promise<PipeEnds> {
  return new Promise((resolve, reject) => {
    let place: { dir: string; path: string };
    try {
      place = fifoPlace();
    } catch (err) {
      reject(err as Error);
      return;
    }
    const done = (err?: Error): void => {
      try {
        if (!err) resolve(openEnds(place.path));
      } catch (e) {
        err = e as Error;
      }
      rmSync(place.dir, { recursive: true, force: true });
      if (err) reject(err);
    };
    const child = spawn('mkfifo', ['-m', '600', place.path], { env: MKFIFO_ENV, stdio: 'ignore' });
    child.on('error', done);
    child.on('exit', (code) => done(code === 0 ? undefined : new Error(`mkfifo failed: exit code ${code}`)));
  });
}

/** Closes both ends (a pipe that was never used, or that the child did not get). */
export function closePipe(pipe: PipeEnds): void {
  for (const fd of [pipe.read, pipe.write]) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
}

/** Pipes made ahead of need, one at a time: one is kept ready. */
export class PipeStock {
  #ready: PipeEnds[] = [];
  #making = false;

  constructor(
    private readonly make: () => PipeEnds = makePipe,
    private readonly makeLater: () => Promise<PipeEnds> = makePipeLater,
  ) {}

  /** Makes one now if there is none (the warm-up of a worker that waits for its connection). */
  prepare(): void {
    if (this.#ready.length > 0) return;
    try {
      this.#ready.push(this.make());
    } catch {
      // no pipe: output goes through socketpairs
    }
  }

  /** A pipe if one is ready; another is made in the background for the next taker. */
  take(): PipeEnds | undefined {
    const pipe = this.#ready.shift();
    this.prepareLater();
    return pipe;
  }

  get ready(): number {
    return this.#ready.length;
  }

  /** Makes one in the background if there is none and none on the way (a worker started by inetd). */
  prepareLater(): void {
    if (this.#making || this.#ready.length > 0) return;
    this.#making = true;
    this.makeLater().then(
      (pipe) => {
        this.#making = false;
        this.#ready.push(pipe);
      },
      () => {
        this.#making = false; // none this time; the next take() tries again
      },
    );
  }
}

/** The worker's stock: filled by the warm-up, drawn on by each command started without a terminal. */
export const outputPipes = new PipeStock();
