// Real pipes for what a command writes. Node gives a child's stdio as socketpairs, and reading a socketpair costs
// the kernel far more than reading a pipe: an skb per write (memory-cgroup charges, frees) and the socket lock
// fought over with the writer. A 1 GiB `head -c` through the worker spent 0.50 s of its main thread in read()
// from a socketpair, 0.12 s from a pipe (`perf`), and the download was 11-18 % faster with a pipe. OpenSSH's sshd
// gives commands pipes too.
//
// Node has no pipe(2), so a pipe is made as a FIFO: `mkfifo` in a fresh private directory, both ends opened, and
// the name removed at once, which leaves an anonymous pipe. Running `mkfifo` takes ~2 ms, so a pre-started worker
// makes one during its warm-up; each one taken is replaced in the background. When none is ready the command's
// output goes through Node's socketpair as before: a pipe is a speed-up, never a condition. A worker that exits
// while making one removes the directory on the way out; one killed by a signal leaves it, for the next worker's
// warm-up to sweep.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, lstatSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The two ends of a pipe, as file descriptors: `read` non-blocking (ours), `write` blocking (the child's). */
export interface PipeEnds {
  readonly read: number;
  readonly write: number;
}

/** Where `mkfifo` is looked for: the system's directories, not the user's PATH. */
const MKFIFO_ENV = { PATH: '/usr/bin:/bin', LC_ALL: 'C' };

/** Directories of FIFOs being made are named `tsshd-pipe-PID-XXXXXX`, PID the maker's. */
const PLACE_PREFIX = 'tsshd-pipe-';
const PLACE_NAME = /^tsshd-pipe-(\d+)-/;

/** This process's directories not removed yet: they go when it exits, even half-way through making a pipe. */
const unfinished = new Set<string>();
process.on('exit', () => {
  for (const dir of unfinished) rmSync(dir, { recursive: true, force: true });
});

/** A private directory (mode 0700) for one FIFO's name. */
function fifoPlace(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), `${PLACE_PREFIX}${process.pid}-`));
  unfinished.add(dir);
  return { dir, path: join(dir, 'p') };
}

function removePlace(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  unfinished.delete(dir);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what a process killed by a signal while making a pipe left in `dir`: the directories of ours (same
 * owner) whose maker is gone. A pre-started worker stopped by tsshd during its warm-up is one.
 */
export function sweepLeftovers(dir: string = tmpdir()): void {
  const uid = process.geteuid?.();
  for (const name of readdirSync(dir)) {
    const maker = PLACE_NAME.exec(name);
    if (!maker || processExists(Number(maker[1]))) continue;
    const path = join(dir, name);
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st?.isDirectory() && st.uid === uid) rmSync(path, { recursive: true, force: true });
  }
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

/**
 * The pipe `mkfifo` made at `place`, or the error `failure` says it could not; the directory goes either way, and
 * with it the FIFO's name.
 */
function settle(place: { dir: string; path: string }, failure: string | undefined): PipeEnds {
  try {
    if (failure !== undefined) throw new Error(`mkfifo failed: ${failure}`);
    return openEnds(place.path);
  } finally {
    removePlace(place.dir);
  }
}

const mkfifoArgs = (path: string): string[] => ['-m', '600', path];

/** A pipe made now; throws when it cannot be (no `mkfifo`, no writable temporary directory). */
export function makePipe(): PipeEnds {
  const place = fifoPlace();
  const r = spawnSync('mkfifo', mkfifoArgs(place.path), { env: MKFIFO_ENV, stdio: 'ignore' });
  return settle(place, r.status === 0 ? undefined : (r.error?.message ?? `exit code ${r.status}`));
}

/** The same, without blocking the event loop while `mkfifo` runs. */
export function makePipeLater(): Promise<PipeEnds> {
  return new Promise((resolve, reject) => {
    const place = fifoPlace(); // a throw here rejects
    let settled = false;
    const done = (failure: string | undefined): void => {
      if (settled) return; // a failed spawn may report both 'error' and 'exit'
      settled = true;
      try {
        resolve(settle(place, failure));
      } catch (err) {
        reject(err as Error);
      }
    };
    const child = spawn('mkfifo', mkfifoArgs(place.path), { env: MKFIFO_ENV, stdio: 'ignore' });
    child.on('error', (err) => done(err.message));
    child.on('exit', (code) => done(code === 0 ? undefined : `exit code ${code}`));
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
    private readonly sweep: () => void = sweepLeftovers,
  ) {}

  /**
   * Makes one now if there is none (the warm-up of a worker that waits for its connection), after clearing what
   * killed makers left behind.
   */
  prepare(): void {
    if (this.#ready.length > 0) return;
    try {
      this.sweep();
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
