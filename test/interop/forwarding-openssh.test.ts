// OpenSSH's ssh -L and -R through tsshd: data both ways to a service on 127.0.0.1 that answers only after the
// client's EOF (so half-closes must pass through), and the permissions sshd applies — AllowTcpForwarding,
// PermitOpen, and the key's no-port-forwarding, permitopen= and permitlisten= — refusing what they should, with
// sshd's log lines. tsshd-session reads authorized_keys afresh for every connection, so the key's options change
// between connections to one server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { pollFor } from '../helpers/poll.js';
import { freePort, peerBinary, waitForOutput } from '../helpers/processes.js';
import { sshArgs, startTsshd, type RunningServer } from '../helpers/servers.js';
import { sha256 } from '../helpers/channel-traffic.js';

const ssh = peerBinary('/usr/bin/ssh');
const servers: RunningServer[] = [];
const services: Server[] = [];
let server: RunningServer;
let digest: number;
let other: number;


/** A service on 127.0.0.1 that reads until EOF, then answers `name:sha256` of what it read and closes. */
async function digestService(name: string): Promise<number> {
  const service = createServer({ allowHalfOpen: true }, (socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => socket.end(`${name}:${sha256(Buffer.concat(chunks))}`));
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
  services.push(service);
  return (service.address() as AddressInfo).port;
}

async function tsshd(config: string[] = []): Promise<RunningServer> {
  const s = await startTsshd({ config: ['PerSourcePenalties no', ...config] });
  servers.push(s);
  return s;
}

before(async () => {
  if (ssh.skip) return;
  digest = await digestService('digest');
  other = await digestService('other');
  server = await tsshd();
});
after(async () => {
  for (const s of servers) await s.stop();
  for (const s of services) s.close();
});

/**
 * Sends `data`, half-closes, and returns what came back before the other side closed, or `error CODE`. When the
 * server refuses the channel, ssh drops the connection it took: '' or, as our bytes were unread, a reset.
 */
function exchange(port: number, data: Uint8Array): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => socket.end(data));
    const got: Buffer[] = [];
    let failure = '';
    socket.on('data', (d: Buffer) => got.push(d));
    socket.on('error', (e: NodeJS.ErrnoException) => (failure = `error ${e.code}`));
    socket.on('close', () => resolve(failure || Buffer.concat(got).toString()));
  });
}

const DROPPED = /^(|error ECONNRESET)$/;

interface Forwarding {
  child: ChildProcess;
  stderr(): string;
  exit: Promise<number | null>;
}

/** ssh -N with `specs` (-L / -R arguments), verbose, to `target`; resolves once `ready` shows on its stderr. */
async function forward(target: RunningServer, specs: string[], ready: RegExp | undefined): Promise<Forwarding> {
  // -v comes after sshArgs' LogLevel=ERROR, and wins: the debug lines are what the readiness check waits for.
  const child = spawn('ssh', sshArgs(target, ['-N', '-v', '-o', 'ExitOnForwardFailure=yes', ...specs]), {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let text = '';
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  if (ready) await waitForOutput(child, ready, 15_000);
  return { child, stderr: () => text, exit };
}

/** Waits for `pattern` in what ssh has written to stderr so far. */
function saidSo(f: Forwarding, pattern: RegExp): Promise<true> {
  return pollFor(() => `${pattern} in ssh's stderr:\n${f.stderr()}`, () => pattern.test(f.stderr()));
}

async function stop(f: Forwarding): Promise<void> {
  f.child.kill();
  await f.exit;
}

const localSpec = async (port: number): Promise<{ local: number; spec: string[] }> => {
  const local = await freePort();
  return { local, spec: ['-L', `${local}:127.0.0.1:${port}`] };
};
// ssh says "Local forwarding listening on" before it binds; its local listeners are all up once it enters the
// session (-N included).
const LOCAL_READY = /Entering interactive session/;
const REMOTE_READY = /remote forward success for: listen/;

function setKeyOptions(target: RunningServer, options: string): void {
  const key = readFileSync(target.userKey.publicKey, 'utf8').trim();
  writeFileSync(join(target.dir, 'authorized_keys'), `${options ? `${options} ` : ''}${key}\n`);
}

test('ssh -L and -R through tsshd: 4 MiB each way, answered after the half-close', { skip: ssh.skip }, async () => {
  const data = randomBytes(4 * 1024 * 1024 + 5);
  const { local, spec } = await localSpec(digest);
  const remote = await freePort();
  const f = await forward(server, [...spec, '-R', `${remote}:127.0.0.1:${digest}`], REMOTE_READY);
  try {
    await saidSo(f, LOCAL_READY);
    assert.equal(await exchange(local, data), `digest:${sha256(data)}`, f.stderr());
    assert.equal(await exchange(remote, data), `digest:${sha256(data)}`, f.stderr());
    // Several at once, each on its own channel.
    const many = await Promise.all([1, 2, 3, 4].map((n) => exchange(n % 2 ? local : remote, data.subarray(0, n * 1000))));
    assert.deepEqual(many, [1, 2, 3, 4].map((n) => `digest:${sha256(data.subarray(0, n * 1000))}`));
  } finally {
    await stop(f);
  }
  assert.match(server.log(), new RegExp(`direct-tcpip: connect to 127\\.0\\.0\\.1 port ${digest}, originator 127\\.0\\.0\\.1 port \\d+`));
  assert.match(server.log(), new RegExp(`remote forward: listening on localhost port ${remote}`));
});

test('a -L to a port nothing listens on: the client is told the connection failed', { skip: ssh.skip }, async () => {
  const closed = await freePort();
  const { local, spec } = await localSpec(closed);
  assert.notEqual(local, closed);
  const f = await forward(server, spec, LOCAL_READY);
  try {
    assert.match(await exchange(local, Buffer.from('x')), DROPPED);
    await saidSo(f, /open failed: connect failed: Connection refused/);
  } finally {
    await stop(f);
  }
});

for (const allow of ['no', 'local', 'remote'] as const) {
  test(`AllowTcpForwarding ${allow}: each direction allowed or refused, with sshd's log line`, { skip: ssh.skip }, async () => {
    const s = await tsshd([`AllowTcpForwarding ${allow}`]);
    const data = randomBytes(1000);
    const { local, spec } = await localSpec(digest);
    const f = await forward(s, spec, LOCAL_READY);
    try {
      const got = await exchange(local, data);
      if (allow === 'local') {
        assert.equal(got, `digest:${sha256(data)}`);
      } else {
        assert.match(got, DROPPED);
        await saidSo(f, /open failed: administratively prohibited: open failed/);
        assert.match(s.log(), new RegExp(`refused local port forward: originator 127\\.0\\.0\\.1 port \\d+, target 127\\.0\\.0\\.1 port ${digest}`));
      }
    } finally {
      await stop(f);
    }
    const remote = await freePort();
    const r = await forward(s, ['-R', `${remote}:127.0.0.1:${digest}`], allow === 'remote' ? REMOTE_READY : undefined);
    if (allow === 'remote') {
      assert.equal(await exchange(remote, data), `digest:${sha256(data)}`);
      await stop(r);
    } else {
      assert.equal(await r.exit, 255);
      assert.match(r.stderr(), new RegExp(`remote port forwarding failed for listen port ${remote}`));
      assert.match(s.log(), new RegExp(`refused remote port forward: listen localhost port ${remote}`));
    }
  });
}

/** -L to the digest service goes through, -L to the other one is denied with sshd's log line. */
async function onlyDigestOpens(target: RunningServer): Promise<void> {
  const data = randomBytes(100);
  const allowed = await localSpec(digest);
  const denied = await localSpec(other);
  const f = await forward(target, [...allowed.spec, ...denied.spec], LOCAL_READY);
  try {
    assert.equal(await exchange(allowed.local, data), `digest:${sha256(data)}`);
    assert.match(await exchange(denied.local, data), DROPPED);
    assert.match(target.log(), new RegExp(`Received request to connect to host 127\\.0\\.0\\.1 port ${other}, but the request was denied\\.`));
  } finally {
    await stop(f);
  }
}

test('PermitOpen lets -L reach only the destinations it names', { skip: ssh.skip }, async () => {
  await onlyDigestOpens(await tsshd([`PermitOpen 127.0.0.1:${digest}`]));
});

test("the key's options: permitopen= and permitlisten= limit it, no-port-forwarding and restrict forbid it", { skip: ssh.skip }, async (t) => {
  t.after(() => setKeyOptions(server, ''));
  const data = randomBytes(100);

  setKeyOptions(server, `permitopen="127.0.0.1:${digest}"`);
  await onlyDigestOpens(server);

  const listen = await freePort();
  const elsewhere = await freePort();
  setKeyOptions(server, `permitlisten="${listen}"`);
  const ok = await forward(server, ['-R', `${listen}:127.0.0.1:${digest}`], REMOTE_READY);
  assert.equal(await exchange(listen, data), `digest:${sha256(data)}`);
  await stop(ok);
  const refused = await forward(server, ['-R', `${elsewhere}:127.0.0.1:${digest}`], undefined);
  assert.equal(await refused.exit, 255);
  assert.match(server.log(), new RegExp(`refused remote port forward: listen localhost port ${elsewhere}`));

  for (const options of ['no-port-forwarding', 'restrict']) {
    setKeyOptions(server, options);
    const local = await localSpec(digest);
    const g = await forward(server, local.spec, LOCAL_READY);
    try {
      assert.match(await exchange(local.local, data), DROPPED, options);
    } finally {
      await stop(g);
    }
    const remote = await freePort();
    const h = await forward(server, ['-R', `${remote}:127.0.0.1:${digest}`], undefined);
    assert.equal(await h.exit, 255, options);
  }
});
