// tsshd, the listener daemon, as a real process on 127.0.0.1 with ports chosen at run time. The worker is a fake
// (test/fixtures/fake-sshd-session.mjs) set through SshdSessionPath: it reports how it was started and echoes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSSHD = join(ROOT, 'packages/sshd/bin/tsshd.js');
const FAKE_WORKER = join(ROOT, 'test/fixtures/fake-sshd-session.mjs');
const WAIT_MS = 10_000;

// Every process a test starts or learns of is killed at the end, whatever happened.
const pids = new Set<number>();
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

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tsshd-test-'));
  dirs.push(d);
  return d;
}

function writeConfig(dir: string, lines: string[], name = 'sshd_config'): string {
  const file = join(dir, name);
  // PidFile none: we may run as root, where the default /run/tsshd.pid would be written.
  const all = lines.some((l) => l.startsWith('PidFile ')) ? lines : [...lines, 'PidFile none'];
  writeFileSync(file, `${all.join('\n')}\n`);
  return file;
}

/** Resolves when `check` returns a value, polling; rejects with `what` after WAIT_MS. */
async function waitUntil<T>(what: string, check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A tsshd process with its stderr collected. */
class Tsshd {
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

interface WorkerReport {
  pid: number;
  session: number;
  fd0: boolean;
  fd1: boolean;
  args: string[];
}

/** A client connection to a fake worker. */
class Client {
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

function refused(port: number): Promise<boolean> {
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
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Running (a zombie left for an init that does not reap counts as gone). */
function alive(pid: number): boolean {
  try {
    return procStat(pid)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The fields of /proc/PID/stat after the command name: state, ppid, pgrp, session, ... */
function procStat(pid: number): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
}

test('workers get the socket as fd 0/1 in their own session; a killed worker or a stopped listener leaves the others serving', async (t) => {
  const dir = tempDir();
  const config = writeConfig(dir, ['ListenAddress 127.0.0.1', `SshdSessionPath ${FAKE_WORKER}`]);
  const tsshd = new Tsshd(['-D', '-e', '-f', config, '-p', '0', '-o', 'LogLevel=VERBOSE', '-o', 'MaxSessions=3']);
  t.after(() => tsshd.child.kill('SIGKILL'));
  const port = await tsshd.port();

  const a = await Client.open(port);
  const aPort = a.socket.localPort;
  const ra = await a.report();
  assert.deepEqual({ fd0: ra.fd0, fd1: ra.fd1, session: ra.session }, { fd0: true, fd1: true, session: ra.pid });
  assert.deepEqual(ra.args, ['-i', '-f', config, '-e', '-o', 'LogLevel=VERBOSE', '-o', 'MaxSessions=3']);
  await tsshd.waitLog(new RegExp(`Connection from 127\\.0\\.0\\.1 port ${aPort} on 127\\.0\\.0\\.1 port ${port}\n`));
  await a.echo('hello a\n');

  const b = await Client.open(port);
  const rb = await b.report();
  assert.notEqual(rb.pid, ra.pid);
  await b.echo('hello b\n');

  process.kill(ra.pid, 'SIGKILL');
  await a.waitClosed();
  await tsshd.waitLog(
    new RegExp(`Worker ${ra.pid} \\(127\\.0\\.0\\.1 port ${aPort}\\) ended: killed by signal SIGKILL`),
  );
  await b.echo('still here\n');
  const c = await Client.open(port);
  const rc = await c.report();
  await c.echo('third\n');

  tsshd.child.kill('SIGTERM');
  assert.deepEqual(await tsshd.exited, { code: 0, signal: null });
  assert.match(tsshd.output, /Received signal 15; terminating\./);
  assert.equal(await refused(port), true);
  await b.echo('after the listener stopped\n');
  await c.echo('me too\n');
  assert.equal(alive(rb.pid) && alive(rc.pid), true);

  b.socket.destroy();
  c.socket.destroy();
});

test('a bad configuration line is reported as FILE line N and exits 1; -t checks the configuration', async () => {
  const dir = tempDir();
  const bad = writeConfig(dir, ['ListenAddress 127.0.0.1', 'NoSuchKeyword yes'], 'bad_config');
  const good = writeConfig(dir, ['ListenAddress 127.0.0.1', `SshdSessionPath ${FAKE_WORKER}`], 'good_config');

  const start = new Tsshd(['-D', '-e', '-f', bad, '-p', '0']);
  assert.deepEqual(await start.exited, { code: 1, signal: null });
  assert.match(start.output, new RegExp(`^${bad} line 2: `));

  const testBad = new Tsshd(['-t', '-f', bad]);
  assert.equal((await testBad.exited).code, 1);
  assert.match(testBad.output, new RegExp(`^${bad} line 2: `));

  const testGood = new Tsshd(['-t', '-f', good, '-p', '0']);
  assert.deepEqual(await testGood.exited, { code: 0, signal: null });
  assert.equal(testGood.output, '');

  const usage = new Tsshd(['-D', '-x']);
  assert.equal((await usage.exited).code, 1);
  assert.match(usage.output, /usage: tsshd/);
});

test('SIGHUP with a broken configuration keeps serving; a valid one binds the new port and closes the old', async (t) => {
  const dir = tempDir();
  const lines = ['ListenAddress 127.0.0.1', `SshdSessionPath ${FAKE_WORKER}`];
  const config = writeConfig(dir, [...lines, `Port ${await freePort()}`]);
  const tsshd = new Tsshd(['-D', '-e', '-f', config, '-o', 'LogLevel=VERBOSE']);
  t.after(() => tsshd.child.kill('SIGKILL'));
  const oldPort = await tsshd.port();

  writeConfig(dir, [...lines, `Port ${oldPort}`, 'Port']);
  tsshd.child.kill('SIGHUP');
  await tsshd.waitLog(new RegExp(`${config} line 4: `));
  const a = await Client.open(oldPort);
  await a.report();
  await a.echo('still serving\n');

  const newPort = await freePort();
  writeConfig(dir, [...lines, `Port ${newPort}`]);
  tsshd.child.kill('SIGHUP');
  await tsshd.waitLog(new RegExp(`Server listening on 127\\.0\\.0\\.1 port ${newPort}\\.`));
  await tsshd.waitLog(new RegExp(`Closed listening socket on 127\\.0\\.0\\.1 port ${oldPort}\\.`));
  assert.equal(await refused(oldPort), true);
  const b = await Client.open(newPort);
  await b.report();
  await b.echo('new port\n');
  await a.echo('the old connection is untouched\n');
  assert.equal(tsshd.child.exitCode, null);
  a.socket.destroy();
  b.socket.destroy();
});

test('a failed bind is logged and the other ports serve; when every bind fails tsshd exits 1', async (t) => {
  const dir = tempDir();
  const config = writeConfig(dir, ['ListenAddress 127.0.0.1', `SshdSessionPath ${FAKE_WORKER}`]);
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  t.after(() => taken.close());
  const takenPort = (taken.address() as AddressInfo).port;

  const partial = new Tsshd(['-D', '-e', '-f', config, '-p', String(takenPort), '-p', '0']);
  t.after(() => partial.child.kill('SIGKILL'));
  await partial.waitLog(new RegExp(`Bind to port ${takenPort} on 127\\.0\\.0\\.1 failed: Address already in use\\.`));
  const c = await Client.open(await partial.port());
  await c.report();
  await c.echo('served\n');
  c.socket.destroy();

  const none = new Tsshd(['-D', '-e', '-f', config, '-p', String(takenPort)]);
  assert.deepEqual(await none.exited, { code: 1, signal: null });
  assert.match(none.output, /Cannot bind any address\./);
});

test('a worker that cannot start is logged and the listener carries on', async (t) => {
  const dir = tempDir();
  const missing = join(dir, 'no-such-worker');
  const config = writeConfig(dir, ['ListenAddress 127.0.0.1', `SshdSessionPath ${missing}`]);
  const tsshd = new Tsshd(['-D', '-e', '-f', config, '-p', '0']);
  t.after(() => tsshd.child.kill('SIGKILL'));
  const port = await tsshd.port();
  for (let i = 1; i <= 2; i++) {
    const c = await Client.open(port);
    await c.waitClosed();
    await waitUntil(`failure ${i} logged`, () =>
      tsshd.output.split(`Cannot start worker ${missing} for 127.0.0.1 port`).length > i ? true : undefined,
    );
  }
  assert.equal(tsshd.child.exitCode, null);
});

test('without -D tsshd detaches, writes its PidFile, and the command returns once it listens', async () => {
  const dir = tempDir();
  const pidFile = join(dir, 'tsshd.pid');
  const logFile = join(dir, 'tsshd.log');
  const config = writeConfig(dir, ['ListenAddress 127.0.0.1', `SshdSessionPath ${FAKE_WORKER}`, `PidFile ${pidFile}`]);
  const parent = new Tsshd(['-f', config, '-E', logFile, '-p', '0', '-o', 'LogLevel=VERBOSE']);
  assert.deepEqual(await parent.exited, { code: 0, signal: null });
  const daemonPid = Number(readFileSync(pidFile, 'utf8').trim());
  pids.add(daemonPid);
  assert.notEqual(daemonPid, parent.child.pid);
  assert.equal(Number(procStat(daemonPid)[3]), daemonPid, 'the daemon leads its own session');

  const log = readFileSync(logFile, 'utf8');
  const m = /tsshd\[(\d+)\]: Server listening on 127\.0\.0\.1 port (\d+)\./.exec(log);
  assert.ok(m, log);
  assert.equal(Number(m[1]), daemonPid);
  const c = await Client.open(Number(m[2]));
  const r = await c.report();
  assert.deepEqual(r.args, ['-i', '-f', config, '-E', logFile, '-o', 'LogLevel=VERBOSE']);
  await c.echo('daemonised\n');
  c.socket.destroy();

  process.kill(daemonPid, 'SIGTERM');
  await waitUntil('the pid file to go', () => (existsSync(pidFile) ? undefined : true));
  await waitUntil('the daemon to exit', () => (alive(daemonPid) ? undefined : true));
});

/** The pid of the listener that took over from `old`, from the log; registered for the final clean-up. */
async function pidOfSuccessor(tsshd: Tsshd, old: number): Promise<number> {
  const m = await tsshd.waitLog(new RegExp(`New listener (\\d+) serves; this one \\(${old}\\) exits\\.`));
  const pid = Number(m[1]);
  pids.add(pid);
  return pid;
}

test('SIGUSR2 hands the listening socket to a new listener: old connections stay, new ones are served, the PidFile follows', async (t) => {
  const dir = tempDir();
  const port = await freePort();
  const pidFile = join(dir, 'tsshd.pid');
  const config = writeConfig(dir, ['ListenAddress 127.0.0.1', `Port ${port}`, `SshdSessionPath ${FAKE_WORKER}`, `PidFile ${pidFile}`]);
  const tsshd = new Tsshd(['-D', '-e', '-f', config, '-o', 'LogLevel=VERBOSE']);
  t.after(() => tsshd.child.kill('SIGKILL'));
  await tsshd.port();
  const oldPid = tsshd.child.pid!;
  await waitUntil('the pid file', () => (existsSync(pidFile) ? true : undefined));

  const a = await Client.open(port);
  await a.report();
  process.kill(oldPid, 'SIGUSR2');
  const newPid = await pidOfSuccessor(tsshd, oldPid);
  t.after(() => process.kill(newPid, 'SIGKILL'));
  assert.deepEqual(await tsshd.exited, { code: 0, signal: null });
  assert.match(tsshd.output, new RegExp(`Taking over listening socket on 127\\.0\\.0\\.1 port ${port}\\.`));
  assert.equal(Number(procStat(newPid)[3]), newPid, 'the new listener leads its own session');
  await waitUntil('the new pid in the pid file', () => (readFileSync(pidFile, 'utf8').trim() === String(newPid) ? true : undefined));

  const b = await Client.open(port);
  const rb = await b.report();
  assert.equal(Number(procStat(rb.pid)[1]), newPid, 'the new listener started the worker');
  await b.echo('served by the new listener\n');
  await a.echo('the old connection is untouched\n');

  // The new listener restarts in turn, and stops on SIGTERM.
  process.kill(newPid, 'SIGUSR2');
  const third = await pidOfSuccessor(tsshd, newPid);
  const c = await Client.open(port);
  await c.report();
  process.kill(third, 'SIGTERM');
  await tsshd.waitLog(/Received signal 15; terminating\./);
  let closed = false;
  for (let i = 0; i < 200 && !closed; i++) {
    closed = await refused(port);
    if (!closed) await new Promise((r) => setTimeout(r, 25));
  }
  assert.equal(closed, true, 'the last listener closed the socket');
  await c.echo('a session outlives the listener\n');
  for (const x of [a, b, c]) x.socket.destroy();
});

test('a restart that cannot start the new listener, or finds the configuration invalid, keeps the old one serving', async (t) => {
  const dir = tempDir();
  const port = await freePort();
  const lines = ['ListenAddress 127.0.0.1', `SshdSessionPath ${FAKE_WORKER}`];
  const config = writeConfig(dir, [...lines, `Port ${port}`]);
  const tsshd = new Tsshd(['-D', '-e', '-f', config]);
  t.after(() => tsshd.child.kill('SIGKILL'));
  await tsshd.port();

  // The new configuration names only a port somebody else holds: the new listener cannot bind and exits.
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  t.after(() => taken.close());
  writeConfig(dir, [...lines, `Port ${(taken.address() as AddressInfo).port}`]);
  tsshd.child.kill('SIGUSR2');
  await tsshd.waitLog(/Restart failed: the new listener exited \(exit code 1\); still serving\./);
  const a = await Client.open(port);
  await a.report();
  await a.echo('still here\n');

  writeConfig(dir, [...lines, `Port ${port}`, 'Port']);
  tsshd.child.kill('SIGUSR2');
  await tsshd.waitLog(new RegExp(`${config} line 4: `));
  await tsshd.waitLog(/Restart failed: the configuration is invalid; still serving\./);
  const b = await Client.open(port);
  await b.report();
  assert.equal(tsshd.child.exitCode, null);
  a.socket.destroy();
  b.socket.destroy();
});

test('systemd socket activation: tsshd serves the socket it is given, and binds only the ports it was not given', { skip: existsSync('/usr/bin/systemd-socket-activate') ? false : 'systemd-socket-activate is not installed' }, async (t) => {
  const dir = tempDir();
  const given = await freePort();
  const own = await freePort();
  const config = writeConfig(dir, ['ListenAddress 127.0.0.1', `Port ${given}`, `Port ${own}`, `SshdSessionPath ${FAKE_WORKER}`]);
  const child = spawn('/usr/bin/systemd-socket-activate', ['-l', `127.0.0.1:${given}`, process.execPath, TSSHD, '-D', '-e', '-f', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) pids.add(child.pid);
  t.after(() => child.kill('SIGKILL'));
  let output = '';
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  await waitUntil('systemd-socket-activate to listen', () => (/Listening on/.test(output) ? true : undefined));

  // The first connection starts tsshd (as systemd would) and waits in the socket's queue until it accepts.
  const a = await Client.open(given);
  const ra = await a.report();
  assert.deepEqual([ra.fd0, ra.fd1], [true, true]);
  await waitUntil(`both ports in\n${output}`, () => (output.includes(`Server listening on 127.0.0.1 port ${own}.`) ? true : undefined));
  assert.equal(output.split(`Server listening on 127.0.0.1 port ${given}.`).length - 1, 1, output);
  assert.doesNotMatch(output, /Bind to port/);
  const b = await Client.open(own);
  await b.report();
  await a.echo('via the systemd socket\n');
  assert.equal(ra.session, ra.pid, 'the worker leads its own session');
  a.socket.destroy();
  b.socket.destroy();
});
