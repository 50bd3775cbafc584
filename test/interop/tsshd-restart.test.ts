// Restarting tsshd under load: 20 OpenSSH sessions stream data through `cat` while a loop keeps opening new
// connections, and the listener is restarted twice (SIGUSR2, each new listener taking over the listening socket).
// Every session must end with exactly the data it sent, and not one connection attempt may be refused, reset or
// left without the server's identification line.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { peerBinary, run } from '../helpers/processes.js';
import { sshArgs, startTsshd } from '../helpers/servers.js';
import type { RunningServer } from '../helpers/servers.js';

const ssh = peerBinary('/usr/bin/ssh');
const SESSIONS = 20;
const FAST_KEX = ['-o', 'KexAlgorithms=curve25519-sha256'];

const listeners = new Set<number>();
const clients: ChildProcess[] = [];
let server: RunningServer | undefined;
after(async () => {
  for (const c of clients) c.kill('SIGKILL');
  for (const pid of listeners) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
  await server?.stop();
});

/** Resolves once `re` matches the server log (after `from` characters), polling. */
async function logMatch(re: RegExp, from = 0, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = server!.log().slice(from).match(re);
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}; log:\n${server!.log().slice(from)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One streaming session: `cat` echoes what we send in paced chunks until told to finish. */
class StreamingSession {
  readonly child: ChildProcess;
  readonly sent = createHash('sha256');
  readonly got = createHash('sha256');
  sentBytes = 0;
  gotBytes = 0;
  readonly exited: Promise<number | null>;
  #timer: NodeJS.Timeout | undefined;

  constructor(s: RunningServer) {
    this.child = spawn('ssh', [...sshArgs(s, FAST_KEX), 'cat'], { stdio: ['pipe', 'pipe', 'pipe'] });
    clients.push(this.child);
    this.child.stdout!.on('data', (d: Buffer) => {
      this.got.update(d);
      this.gotBytes += d.length;
    });
    // 'close', not 'exit': the last output may still be on its way when the process has exited.
    this.exited = new Promise((r) => this.child.on('close', (code) => r(code)));
  }

  send(n: number): void {
    const chunk = randomBytes(n);
    this.sent.update(chunk);
    this.sentBytes += n;
    this.child.stdin!.write(chunk);
  }

  /** Sends a chunk every 100 ms until `finish`. */
  pace(): void {
    this.#timer = setInterval(() => this.send(8192), 100);
  }

  async echoedAll(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.gotBytes < this.sentBytes) {
      if (Date.now() > deadline) throw new Error(`session echoed ${this.gotBytes} of ${this.sentBytes} bytes`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async finish(): Promise<void> {
    clearInterval(this.#timer);
    this.send(65536);
    this.child.stdin!.end();
    assert.equal(await this.exited, 0);
    assert.equal(this.gotBytes, this.sentBytes);
    assert.equal(this.got.digest('hex'), this.sent.digest('hex'));
  }
}

/** Opens connections one after another until stopped; each must bring the server's identification line. */
class ConnectLoop {
  attempts = 0;
  failures: string[] = [];
  #running = true;
  readonly done: Promise<void>;

  constructor(port: number) {
    this.done = this.loop(port);
  }

  stop(): Promise<void> {
    this.#running = false;
    return this.done;
  }

  private async loop(port: number): Promise<void> {
    while (this.#running) {
      this.attempts++;
      const failure = await this.once(port);
      if (failure) this.failures.push(failure);
      await new Promise((r) => setTimeout(r, 30));
    }
  }

  private once(port: number): Promise<string | undefined> {
    return new Promise((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      let seen = '';
      const timer = setTimeout(() => finish('no identification line within 15 s'), 15_000);
      const finish = (failure?: string): void => {
        clearTimeout(timer);
        s.destroy();
        resolve(failure);
      };
      s.on('data', (d: Buffer) => {
        seen += d.toString('latin1');
        if (/^SSH-2\.0-.*\r?\n/.test(seen)) finish();
      });
      s.on('error', (err: NodeJS.ErrnoException) => finish(`${err.code ?? err.message}`));
      s.on('close', () => finish(`closed before the identification line (got ${JSON.stringify(seen)})`));
    });
  }
}

test('two restarts under load: every session keeps its data, no connection attempt fails', { skip: ssh.skip, timeout: 180_000 }, async (t) => {
  server = await startTsshd({
    config: ['MaxStartups 100:30:200', 'PerSourcePenalties no', 'PidFile none'],
  });
  const first = server.process.pid!;
  listeners.add(first);

  const sessions = Array.from({ length: SESSIONS }, () => new StreamingSession(server!));
  for (const s of sessions) s.send(4096);
  await Promise.all(sessions.map((s) => s.echoedAll())); // every session is established and echoing
  for (const s of sessions) s.pace();
  const loop = new ConnectLoop(server.port);

  let current = first;
  for (let round = 1; round <= 2; round++) {
    await new Promise((r) => setTimeout(r, 700));
    const from = server.log().length;
    process.kill(current, 'SIGUSR2');
    const m = await logMatch(new RegExp(`New listener (\\d+) serves; this one \\(${current}\\) exits\\.`), from);
    const next = Number(m[1]);
    listeners.add(next);
    await logMatch(/Closed listening socket on 127\.0\.0\.1 port \d+\./, from);
    const login = await run('ssh', [...sshArgs(server, FAST_KEX), `echo round ${round}`]);
    assert.equal(login.stdout.toString(), `round ${round}\n`, login.stderr);
    current = next;
  }
  await new Promise((r) => setTimeout(r, 500));
  await loop.stop();
  await Promise.all(sessions.map((s) => s.finish()));

  t.diagnostic(`${loop.attempts} connection attempts during the restarts`);
  assert.deepEqual(loop.failures, [], `${loop.failures.length} of ${loop.attempts} connection attempts failed`);
  assert.ok(loop.attempts >= 10, `only ${loop.attempts} connection attempts`);
  assert.ok(sessions.every((s) => s.sentBytes > 20 * 8192), 'the sessions streamed through both restarts');
  assert.equal(server.process.exitCode, 0, 'the first listener exited cleanly after handing over');

  // The last listener still serves; SIGTERM stops it without touching anything else.
  process.kill(current, 'SIGTERM');
  await logMatch(/Received signal 15; terminating\./);
});
