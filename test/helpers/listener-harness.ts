// tsshd, the listener daemon, run as a real process for the listener tests: temporary configurations, the process
// with its output collected, clients of the fake worker (test/fixtures/fake-sshd-session.mjs), and what /proc says
// of a pid. Every process a test starts or learns of is killed when its file's tests end.
import { after } from 'node:test';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pollFor } from './poll.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const TSSHD = join(ROOT, 'packages/sshd/bin/tsshd.js');
export const FAKE_WORKER = join(ROOT, 'test/fixtures/fake-sshd-session.mjs');
export const WAIT_MS = 10_000;

// Every process a test starts or learns of is killed at the end, whatever happened.
export const pids = new Set<number>();
const dirs: string[] = [];
after(() => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tsshd-test-'));
  dirs.push(d);
  return d;
}

export function writeConfig(dir: string, lines: string[], name = 'sshd_config'): string {
  const file = join(dir, name);
  // PidFile none: we may run as root, where the default /run/tsshd.pid would be written.
  const all = lines.some((l) => l.startsWith('PidFile ')) ? lines : [...lines, 'PidFile none'];
  writeFileSync(file, `${all.join('\n')}\n`);
  return file;
}

/** Resolves when `check` returns a value, polling; rejects with `what` after WAIT_MS. */
export function waitUntil<T>(what: string, check: () => T | undefined): Promise<T> {
  return pollFor(what, check, { timeoutMs: WAIT_MS });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A tsshd process with its stderr collected. */
export class Tsshd {
  readonly child: ChildProcess;
  output = '';
  readonly exited: Promise<Exit>;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [TSSHD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    if (this.child.pid !== undefined) pids.add(this.child.pid);
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    // 'exit', not 'close': live workers keep the stderr pipe open after the listener is gone.
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  waitLog(re: RegExp): Promise<RegExpMatchArray> {
    return waitUntil(`${re} in tsshd output:\n${this.output}`, () => this.output.match(re) ?? undefined);
  }

  async port(): Promise<number> {
    return Number((await this.waitLog(/Server listening on 127\.0\.0\.1 port (\d+)\./))[1]);
  }
}

export interface WorkerReport {
  pid: number;
  session: number;
  fd0: boolean;
  fd1: boolean;
  args: string[];
}

/** A client connection to a fake worker. */
export class Client {
  received = '';
  closed = false;
  constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => (this.received += d.toString()));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }

  static async open(port: number): Promise<Client> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new Client(socket);
  }

  /** The fake worker's version line and report; registers its pid for the final clean-up. */
  async report(): Promise<WorkerReport> {
    const text = await waitUntil('the worker report', () =>
      /^SSH-2\.0-fake\r\n.*\n/.test(this.received) ? this.received : undefined,
    );
    const report = JSON.parse(text.split('\r\n')[1].split('\n')[0]) as WorkerReport;
    pids.add(report.pid);
    return report;
  }

  async echo(text: string): Promise<void> {
    const before = this.received.length;
    this.socket.write(text);
    await waitUntil(`echo of ${JSON.stringify(text)}`, () =>
      this.received.slice(before).includes(text) ? true : undefined,
    );
  }

  waitClosed(): Promise<true> {
    return waitUntil('the connection to close', () => (this.closed ? true : undefined));
  }
}

export function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

/** A port that was free a moment ago (the test binds it itself where it must stay taken). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Running (a zombie left for an init that does not reap counts as gone). */
export function alive(pid: number): boolean {
  try {
    return procStat(pid)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The fields of /proc/PID/stat after the command name: state, ppid, pgrp, session, ... */
export function procStat(pid: number): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
}
