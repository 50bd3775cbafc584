// Admission control with real OpenSSH clients. Linux routes all of 127/8 to lo, so binding the client side to
// 127.0.0.2, .3, .5 gives the listener distinct sources to count and penalise.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { peerBinary, run } from '../helpers/processes.js';
import { opensshKey, sshArgs, startTsshd } from '../helpers/servers.js';
import type { RunningServer } from '../helpers/servers.js';
import { pollFor } from '../helpers/poll.js';

const ssh = peerBinary('/usr/bin/ssh');
const FAST_KEX = ['-o', 'KexAlgorithms=curve25519-sha256'];
const NOTICE = 'Not allowed at this time\r\n';

const servers: RunningServer[] = [];
const children: ChildProcess[] = [];
const sockets: Socket[] = [];
after(async () => {
  for (const s of sockets) s.destroy();
  for (const c of children) c.kill('SIGKILL');
  for (const s of servers) await s.stop();
});

async function server(config: string[]): Promise<RunningServer> {
  const s = await startTsshd({ config });
  servers.push(s);
  return s;
}

/** A raw client from `source` that sends nothing and records what the server says and when it closes. */
interface Probe {
  socket: Socket;
  received: string;
  closed: boolean;
  closedAt: number;
  error?: string;
}

function probe(port: number, source: string): Promise<Probe> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: source });
    sockets.push(socket);
    const p: Probe = { socket, received: '', closed: false, closedAt: 0 };
    socket.on('data', (d: Buffer) => (p.received += d.toString('latin1')));
    socket.on('error', (err: NodeJS.ErrnoException) => (p.error = err.code ?? err.message));
    socket.on('close', () => {
      p.closed = true;
      p.closedAt = Date.now();
    });
    socket.once('connect', () => resolve(p));
    socket.once('error', () => resolve(p));
  });
}

function until<T>(what: string, check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  return pollFor(what, check, { timeoutMs, intervalMs: 25 });
}

/** An established session echoing through `cat`. */
async function echoSession(s: RunningServer) {
  const child = spawn('ssh', [...sshArgs(s, FAST_KEX), 'cat'], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let got = Buffer.alloc(0);
  child.stdout!.on('data', (d: Buffer) => (got = Buffer.concat([got, d])));
  const echo = async (n: number): Promise<void> => {
    const data = randomBytes(n);
    const before = got.length;
    child.stdin!.write(data);
    await until('the echo', () => (got.length >= before + n ? true : undefined));
    assert.equal(createHash('sha256').update(got.subarray(before, before + n)).digest('hex'), createHash('sha256').update(data).digest('hex'));
  };
  await echo(1000);
  return { child, echo };
}

test('a flood of 300 silent connections: MaxStartups drops as configured, sessions go on, a login works after the grace time', { skip: ssh.skip, timeout: 120_000 }, async (t) => {
  const s = await server(['MaxStartups 5:30:10', 'LoginGraceTime 4', 'PidFile none']);
  const established = await echoSession(s);

  const start = Date.now();
  const flood = await Promise.all(Array.from({ length: 300 }, () => probe(s.port, '127.0.0.5')));
  assert.deepEqual(flood.filter((p) => p.error !== undefined).map((p) => p.error), [], 'every flood connection was accepted by the kernel');
  // Every connection is either refused with sshd's notice or served (the server speaks first).
  await until('an answer on every flood connection', () => (flood.every((p) => p.received.length > 0) ? true : undefined));
  const dropped = flood.filter((p) => p.received === NOTICE);
  const admitted = flood.filter((p) => p.received.startsWith('SSH-2.0-'));
  t.diagnostic(`${admitted.length} admitted, ${dropped.length} dropped`);
  assert.equal(dropped.length + admitted.length, 300);
  assert.ok(admitted.length >= 5 && admitted.length <= 10, `${admitted.length} admitted: MaxStartups 5:30:10 admits 5 to 10`);
  await until('the dropped connections to be closed', () => (dropped.every((p) => p.closed) ? true : undefined));
  assert.match(s.log(), new RegExp(`drop connection #\\d+ from \\[127\\.0\\.0\\.5\\]:\\d+ on \\[127\\.0\\.0\\.1\\]:${s.port} Maxstartups`));

  // The established session is untouched.
  await established.echo(64 * 1024);

  // A legitimate login from another address: refused while the flood holds every slot, served once
  // LoginGraceTime has closed the silent connections.
  let attempts = 0;
  let login = await run('ssh', [...sshArgs(s, [...FAST_KEX, '-b', '127.0.0.1']), 'echo in']);
  while (login.code !== 0) {
    attempts++;
    assert.ok(Date.now() - start < 20_000, `no login within 20 s: ${login.stderr}`);
    await new Promise((r) => setTimeout(r, 250));
    login = await run('ssh', [...sshArgs(s, [...FAST_KEX, '-b', '127.0.0.1']), 'echo in']);
  }
  assert.equal(login.stdout.toString(), 'in\n');
  t.diagnostic(`login after ${Date.now() - start} ms and ${attempts} refused attempts`);
  await until('the admitted silent connections to be closed', () => (admitted.every((p) => p.closed) ? true : undefined), 15_000);
  for (const p of admitted) assert.ok(p.closedAt - start < 4000 + 4000, `closed ${p.closedAt - start} ms after the flood began`);
  assert.match(s.log(), /Timeout before authentication for 127\.0\.0\.5 port \d+/);
  assert.match(s.log(), /Worker \d+ \(127\.0\.0\.5 port \d+\) ended: .*\(timeout before authentication\)/);

  // The flooding source collected penalties for exceeding the grace time, and is refused now.
  await until('the penalty', () => (/127\.0\.0\.5\/32: activating ipv4 penalty|new 127\.0\.0\.5\/32 active penalty/.test(s.log()) ? true : undefined));
  const late = await probe(s.port, '127.0.0.5');
  await until('the refusal', () => (late.closed ? true : undefined));
  assert.equal(late.received, NOTICE);
  assert.match(s.log(), /drop connection #\d+ from \[127\.0\.0\.5\]:\d+ on \[127\.0\.0\.1\]:\d+ penalty: exceeded LoginGraceTime/);
  await established.echo(1000);
  established.child.stdin!.end();
});

test('a source that fails authentication is penalised and refused; an exempt one is not', { skip: ssh.skip, timeout: 60_000 }, async () => {
  const s = await server(['PerSourcePenalties authfail:30s', 'PerSourcePenaltyExemptList 127.0.0.3', 'PidFile none']);
  const wrong = await opensshKey(s.dir, 'wrong_key');
  const failing = (source: string) =>
    run('ssh', [
      ...sshArgs(s, [...FAST_KEX, '-b', source, '-o', 'IdentitiesOnly=yes']).map((a) => (a === s.userKey.privateKey ? wrong.privateKey : a)),
      'true',
    ]);
  for (const source of ['127.0.0.2', '127.0.0.3']) {
    const r = await failing(source);
    assert.equal(r.code, 255);
    assert.match(r.stderr, /Permission denied/);
  }
  await until('both workers to end', () =>
    ['127.0.0.2', '127.0.0.3'].every((a) => new RegExp(`Worker \\d+ \\(${a.replace(/\./g, '\\.')} port \\d+\\) ended: exit code 5 \\(failed authentication\\)`).test(s.log()))
      ? true
      : undefined,
  );
  assert.match(s.log(), /ipv4: new 127\.0\.0\.2\/32 active penalty of 30\.000 seconds for penalty: failed authentication/);
  assert.doesNotMatch(s.log(), /127\.0\.0\.3\/32/);

  const penalised = await probe(s.port, '127.0.0.2');
  await until('the refusal', () => (penalised.closed ? true : undefined));
  assert.equal(penalised.received, NOTICE);
  const exempt = await probe(s.port, '127.0.0.3');
  await until('the identification line', () => (exempt.received.startsWith('SSH-2.0-') ? true : undefined));
  exempt.socket.destroy();

  // Other sources are not affected by 127.0.0.2's penalty.
  const ok = await run('ssh', [...sshArgs(s, FAST_KEX), 'echo fine']);
  assert.equal(ok.stdout.toString(), 'fine\n', ok.stderr);
});
