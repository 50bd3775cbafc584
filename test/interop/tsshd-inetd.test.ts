// tsshd-session without tsshd: under a real xinetd (the service entry from etc/xinetd.d/tsshd, on a loopback
// port) and under systemd's per-connection socket activation (Accept=yes, as tsshd.socket runs it), OpenSSH's ssh
// runs a command. There fd 2 is the connection too, so the worker must log to syslog only: a receiver on a socket
// of our own (TSSH_SYSLOG_SOCKET) checks the lines and their priority.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { BIN, REPO, freePort, peerBinary, run, tempDir } from '../helpers/processes.js';
import { opensshKey, sshArgs } from '../helpers/servers.js';
import type { RunningServer } from '../helpers/servers.js';
import { pollFor } from '../helpers/poll.js';

const ssh = peerBinary('/usr/bin/ssh');
const xinetd = peerBinary('/usr/sbin/xinetd');
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : undefined;
const activate = existsSync('/usr/bin/systemd-socket-activate') ? '/usr/bin/systemd-socket-activate' : undefined;

const children: ChildProcess[] = [];
const cleanups: (() => void)[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const c of cleanups) c();
});

/** A server directory as startTsshd makes it (keys, config), without a listener. */
async function serverFiles(port: number): Promise<RunningServer & { config: string }> {
  const tmp = tempDir('tsshd-inetd-');
  cleanups.push(tmp.cleanup);
  const dir = tmp.path;
  const hostKey = await opensshKey(dir, 'host_ed25519');
  const userKey = await opensshKey(dir, 'id_ed25519');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(userKey.publicKey));
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [`HostKey ${hostKey.privateKey}`, `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'StrictModes no', 'LogLevel VERBOSE', ''].join('\n'),
  );
  const none = (): Promise<void> => Promise.resolve();
  return { port, dir, hostKey, userKey, user: 'root', process: undefined as unknown as ChildProcess, log: () => '', stop: none, config };
}

/** Collects datagrams on a Unix socket (Node has no Unix datagram sockets; Python does). */
async function syslogReceiver(path: string): Promise<() => string> {
  const script = [
    'import socket, sys',
    's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
    `s.bind(${JSON.stringify(path)})`,
    'print("ready", flush=True)',
    'while True:',
    '    d = s.recv(65536)',
    '    sys.stdout.write(d.decode("utf-8", "replace").rstrip("\\n") + "\\n")',
    '    sys.stdout.flush()',
  ].join('\n');
  const child = spawn(python!, ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  await waitFor(() => text.startsWith('ready'), 'the syslog receiver');
  return () => text;
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  await pollFor(what, check, { timeoutMs, intervalMs: 25 });
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/** The shipped xinetd entry, enabled, on our port, running this checkout's tsshd-session with our config. */
function xinetdConfig(port: number, config: string, syslogSocket: string | undefined): string {
  const entry = readFileSync(join(REPO, 'etc/xinetd.d/tsshd'), 'utf8');
  return entry
    .replace(/^(\s*disable\s*=\s*)yes$/m, '$1no')
    .replace(/^(\s*port\s*=\s*)22$/m, `$1${port}\n\tbind\t\t= 127.0.0.1`)
    .replace(/^(\s*server\s*=\s*).*$/m, `$1${process.execPath}`)
    .replace(/^(\s*server_args\s*=\s*).*$/m, `$1${BIN.tsshdSession} -i -f ${config}`)
    .replace(/^}$/m, syslogSocket ? `\tenv\t\t= TSSH_SYSLOG_SOCKET=${syslogSocket}\n}` : '}');
}

test('under xinetd, ssh runs a command through tsshd-session -i, which logs to syslog only', { skip: ssh.skip || xinetd.skip, timeout: 60_000 }, async () => {
  const port = await freePort();
  const s = await serverFiles(port);
  const socketPath = python ? join(s.dir, 'syslog.sock') : undefined;
  const received = socketPath ? await syslogReceiver(socketPath) : undefined;
  const conf = join(s.dir, 'xinetd.conf');
  const text = xinetdConfig(port, s.config, socketPath);
  assert.notEqual(text, readFileSync(join(REPO, 'etc/xinetd.d/tsshd'), 'utf8'));
  writeFileSync(conf, text);
  const daemon = spawn('/usr/sbin/xinetd', ['-dontfork', '-f', conf, '-pidfile', join(s.dir, 'xinetd.pid'), '-filelog', join(s.dir, 'xinetd.log')], {
    stdio: 'ignore',
  });
  children.push(daemon);
  await waitFor(() => daemon.exitCode === null && existsSync(join(s.dir, 'xinetd.pid')), 'xinetd to start');
  let up = false;
  for (let i = 0; i < 200 && !up; i++) {
    up = await accepting(port);
    if (!up) await new Promise((r) => setTimeout(r, 25));
  }
  assert.ok(up, `xinetd listens on ${port}: ${existsSync(join(s.dir, 'xinetd.log')) ? readFileSync(join(s.dir, 'xinetd.log'), 'utf8') : ''}`);

  const r = await run('ssh', [...sshArgs(s), 'echo via xinetd; echo "$SSH_CONNECTION"']);
  assert.equal(r.code, 0, r.stderr);
  const [first, connection] = r.stdout.toString().split('\n');
  assert.equal(first, 'via xinetd');
  assert.match(connection, new RegExp(`^127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 ${port}$`));
  if (received) {
    // AUTH.INFO is <38>; the tag is the worker's own.
    await waitFor(() => /<38>.*tsshd-session\[\d+\]: Accepted publickey for root from 127\.0\.0\.1 port \d+ ssh2/.test(received()), `the syslog line in\n${received()}`);
    assert.match(received(), /<38>.*tsshd-session\[\d+\]: Connection from 127\.0\.0\.1 port \d+ on 127\.0\.0\.1 port \d+/);
  }
});

test('systemd per-connection activation (Accept=yes, as tsshd.socket): each connection gets its own tsshd-session -i', { skip: ssh.skip || (activate ? false : 'systemd-socket-activate is not installed'), timeout: 60_000 }, async () => {
  const port = await freePort();
  const s = await serverFiles(port);
  const sock = spawn(activate!, ['-l', `127.0.0.1:${port}`, '--accept', '--inetd', process.execPath, BIN.tsshdSession, '-i', '-f', s.config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(sock);
  let log = '';
  sock.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  await waitFor(() => /Listening on/.test(log), 'systemd-socket-activate to listen');
  const results = await Promise.all([1, 2].map((n) => run('ssh', [...sshArgs(s), `echo session ${n} $PPID`])));
  const workers = results.map((r, i) => {
    assert.equal(r.code, 0, r.stderr);
    const m = new RegExp(`^session ${i + 1} (\\d+)\\n$`).exec(r.stdout.toString());
    assert.ok(m, r.stdout.toString());
    return Number(m[1]);
  });
  assert.notEqual(workers[0], workers[1], 'one worker per connection');
});
