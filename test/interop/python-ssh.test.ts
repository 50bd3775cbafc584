// Two more implementations, in Python (Debian's python3-paramiko and python3-asyncssh, run by /usr/bin/python3):
// Paramiko, the SSH library under Ansible, as a client of tsshd; AsyncSSH as a client of tsshd with its algorithm
// lists forced one combination at a time, and as a server for tssh and tsftp; both logging in to a real system
// account by password. The peers' scripts are in test/fixtures; each checks the host key against a known_hosts
// file and moves data checked by SHA-256.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { re, waitForLog } from '../helpers/openssh-login.js';
import { BIN, REPO, peerBinary, run, tempDir, waitForOutput, type RunResult } from '../helpers/processes.js';
import { sha256 } from '../helpers/channel-traffic.js';
import { opensshKey, startTsshd, type RunningServer } from '../helpers/servers.js';
import { TestAccounts, accountsSkip } from '../helpers/test-accounts.js';
import { TSFTP } from '../helpers/tsftp-runs.js';

const PYTHON = '/usr/bin/python3';
const FIXTURES = join(REPO, 'test/fixtures');
const python = peerBinary(PYTHON);

/** Whether Debian's python3 imports `module`; in CI its absence is a failure (make test installs it). */
async function pythonModule(module: string): Promise<string | false> {
  if (python.skip) return python.skip;
  const r = await run(PYTHON, ['-W', 'ignore', '-c', `import ${module}`]);
  if (r.code === 0) return false;
  if (process.env.CI) throw new Error(`${PYTHON} cannot import ${module}: make test installs python3-${module}`);
  return `${PYTHON} cannot import ${module}`;
}

const paramiko = await pythonModule('paramiko');
const asyncssh = await pythonModule('asyncssh');
const tmp = tempDir('python-ssh-');
let server: RunningServer;

before(async () => {
  server = await startTsshd({ config: ['Subsystem sftp internal-sftp'] });
});
after(async () => {
  await server?.stop();
  tmp.cleanup();
});

const keyLine = (publicKeyFile: string): string => readFileSync(publicKeyFile, 'latin1').split(' ').slice(0, 2).join(' ');

/** A known_hosts file that holds tsshd's host key for its port, and a fresh working directory. */
function clientFiles(name: string): { knownHosts: string; work: string } {
  const work = join(tmp.path, name);
  mkdirSync(work);
  const knownHosts = join(work, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${server.port} ${keyLine(server.hostKey.publicKey)}\n`);
  return { knownHosts, work };
}

function report(r: RunResult): any {
  assert.equal(r.code, 0, `${r.stderr}\n${server.log().slice(-2000)}`);
  return JSON.parse(r.stdout.toString());
}

test('Paramiko against tsshd: a command with stdin, stderr and exit status; SFTP requests and files both ways', { skip: paramiko }, async () => {
  const { knownHosts, work } = clientFiles('paramiko');
  const r = await run(
    PYTHON,
    ['-W', 'ignore', join(FIXTURES, 'paramiko_client.py'), '127.0.0.1', String(server.port), server.user, server.userKey.privateKey, knownHosts, work],
    { timeoutMs: 60_000 },
  );
  const got = report(r);
  assert.equal(got.host_key, 'ssh-ed25519');
  assert.match(got.server_version, /^SSH-2\.0-tssh/);
  assert.equal(got.exec.sha256, got.exec.expected);
  assert.equal(got.exec.stderr, 'to-stderr\n');
  assert.equal(got.exec.status, 3);
  assert.equal(got.sftp.back, got.sftp.sent);
  assert.deepEqual(got.sftp.listing, [
    ['link', '0o777', join(work, 'paramiko-dir/renamed.bin').length],
    ['renamed.bin', '0o600', 3 * 1024 * 1024 + 5],
  ]);
  assert.equal(got.sftp.readlink, join(work, 'paramiko-dir/renamed.bin'));
  assert.equal(got.sftp.missing, 'FileNotFoundError');
  assert.equal(got.sftp.removed, true);
  assert.match(server.log(), /Accepted publickey for \S+ from 127\.0\.0\.1 port \d+ ssh2: ED25519 SHA256:/);
});

/** Combinations AsyncSSH is forced to, one connection each: every cipher and MAC family, and the KEX kinds. */
const ASYNCSSH_COMBOS = [
  { kex: 'curve25519-sha256', cipher: 'chacha20-poly1305@openssh.com' },
  { kex: 'ecdh-sha2-nistp256', cipher: 'aes128-gcm@openssh.com' },
  { kex: 'ecdh-sha2-nistp384', cipher: 'aes256-gcm@openssh.com' },
  { kex: 'diffie-hellman-group16-sha512', cipher: 'aes192-ctr', mac: 'hmac-sha2-512-etm@openssh.com' },
  { kex: 'diffie-hellman-group-exchange-sha256', cipher: 'aes256-ctr', mac: 'hmac-sha2-256-etm@openssh.com' },
  { kex: 'ecdh-sha2-nistp521', cipher: 'aes128-ctr', mac: 'hmac-sha2-256' },
];

test('AsyncSSH against tsshd: each KEX, cipher and MAC family forced in turn, then SFTP put and get', { skip: asyncssh }, async () => {
  const { knownHosts, work } = clientFiles('asyncssh');
  const r = await run(
    PYTHON,
    [
      '-W', 'ignore', join(FIXTURES, 'asyncssh_peer.py'), 'client',
      '127.0.0.1', String(server.port), server.user, server.userKey.privateKey, knownHosts, work, JSON.stringify(ASYNCSSH_COMBOS),
    ],
    { timeoutMs: 90_000 },
  );
  const got = report(r);
  assert.equal(got.runs.length, ASYNCSSH_COMBOS.length);
  for (const one of got.runs) {
    assert.equal(one.sha256, one.expected, JSON.stringify(one));
    assert.equal(one.status, 4, JSON.stringify(one));
  }
  assert.equal(got.sftp.back, got.sftp.sent);
  assert.deepEqual(got.sftp.names, ['asyncssh-back.bin', 'asyncssh-source.bin', 'asyncssh-up.bin']);
});

test('AsyncSSH through tsshd: a direct-tcpip channel, a remote forward (tcpip-forward on port 0) and its cancelling', { skip: asyncssh }, async () => {
  const { knownHosts } = clientFiles('asyncssh-forward');
  const r = await run(
    PYTHON,
    ['-W', 'ignore', join(FIXTURES, 'asyncssh_peer.py'), 'forward', '127.0.0.1', String(server.port), server.user, server.userKey.privateKey, knownHosts],
    { timeoutMs: 30_000 },
  );
  const got = report(r);
  assert.equal(got.direct, 'through direct-tcpip\n');
  assert.equal(got.remote, 'through tcpip-forward\n');
  assert.ok(got.remote_port > 0);
  assert.equal(got.after_cancel, 'refused');
  assert.match(server.log(), new RegExp(`remote forward: cancelled 127\\.0\\.0\\.1 port ${got.remote_port}`));
});

/** An AsyncSSH server on a free port of 127.0.0.1, with its own host key and our client key authorized. */
async function asyncsshServer(dir: string): Promise<{ port: number; hostKey: string; userKey: string; child: ChildProcess }> {
  const host = await opensshKey(dir, 'host_ed25519');
  const user = await opensshKey(dir, 'id_ed25519');
  copyFileSync(user.publicKey, join(dir, 'authorized_keys'));
  const child = spawn(PYTHON, ['-W', 'ignore', join(FIXTURES, 'asyncssh_peer.py'), 'server', host.privateKey, join(dir, 'authorized_keys')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const m = await waitForOutput(child, /listening (\d+)/, 20_000);
  return { port: Number(m[1]), hostKey: host.publicKey, userKey: user.privateKey, child };
}

test('tssh and tsftp against an AsyncSSH server: host key recorded, commands, exit statuses, SetEnv, files both ways', { skip: asyncssh }, async (t) => {
  const dir = join(tmp.path, 'asyncssh-server');
  mkdirSync(dir);
  const peer = await asyncsshServer(dir);
  t.after(() => peer.child.kill('SIGKILL'));
  const knownHosts = join(dir, 'tssh_known_hosts');
  const common = ['-F', 'none', '-o', `UserKnownHostsFile=${knownHosts}`, '-i', peer.userKey];
  const env = { ...process.env, HOME: dir };
  const tssh = (args: string[], input?: Buffer): Promise<RunResult> =>
    run(process.execPath, [BIN.tssh, ...common, '-p', String(peer.port), ...args], { env, input, timeoutMs: 30_000 });

  const first = await tssh(['-o', 'StrictHostKeyChecking=accept-new', 'root@127.0.0.1', 'echo hello from tssh']);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout.toString(), 'hello from tssh\n');
  assert.equal(readFileSync(knownHosts, 'latin1'), `[127.0.0.1]:${peer.port} ${keyLine(peer.hostKey)}\n`);

  const data = randomBytes(4 * 1024 * 1024 + 1);
  const piped = await tssh(['root@127.0.0.1', 'sha256sum'], data);
  assert.equal(piped.code, 5, piped.stderr);
  assert.equal(piped.stdout.toString(), `${sha256(data)}\n`);

  // Our client's side of each combination AsyncSSH was forced through above.
  const small = randomBytes(256 * 1024 + 3);
  for (const c of ASYNCSSH_COMBOS) {
    const forced = ['-o', `KexAlgorithms=${c.kex}`, '-c', c.cipher, ...(c.mac ? ['-m', c.mac] : [])];
    const r = await tssh([...forced, 'root@127.0.0.1', 'sha256sum'], small);
    assert.equal(r.code, 5, `${JSON.stringify(c)}: ${r.stderr}`);
    assert.equal(r.stdout.toString(), `${sha256(small)}\n`, JSON.stringify(c));
  }

  const unknown = await tssh(['root@127.0.0.1', 'no-such-command']);
  assert.equal(unknown.code, 127);
  assert.match(unknown.stderr, /^unknown command$/m);

  const withEnv = await tssh(['-o', 'SetEnv=TSSH_TEST_VALUE=from-tssh', 'root@127.0.0.1', 'env TSSH_TEST_VALUE']);
  assert.equal(withEnv.code, 0, withEnv.stderr);
  assert.equal(withEnv.stdout.toString(), 'from-tssh\n');

  const file = randomBytes(3 * 1024 * 1024 + 7);
  writeFileSync(join(dir, 'source.bin'), file);
  writeFileSync(join(dir, 'batch'), [`put ${dir}/source.bin ${dir}/up.bin`, `get ${dir}/up.bin ${dir}/back.bin`, `rename ${dir}/up.bin ${dir}/moved.bin`, ''].join('\n'));
  const sftp = await run(process.execPath, [TSFTP, ...common, '-P', String(peer.port), '-b', join(dir, 'batch'), 'root@127.0.0.1'], { env, timeoutMs: 60_000 });
  assert.equal(sftp.code, 0, sftp.stderr);
  assert.equal(sha256(readFileSync(join(dir, 'back.bin'))), sha256(file));
  assert.equal(sha256(readFileSync(join(dir, 'moved.bin'))), sha256(file));
});

test('Paramiko and AsyncSSH log in to a system account by password and keyboard-interactive; commands run as it', { skip: paramiko || asyncssh || accountsSkip }, async (t) => {
  const accounts = new TestAccounts();
  const passwords = await startTsshd({ config: ['PerSourcePenalties no', 'PasswordAuthentication yes', 'KbdInteractiveAuthentication yes'] });
  t.after(async () => {
    await passwords.stop();
    await accounts.removeAll();
  });
  const account = await accounts.create();
  const knownHosts = join(tmp.path, 'password_known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${passwords.port} ${keyLine(passwords.hostKey.publicKey)}\n`);
  const login = (library: string, method: string, password = account.password): Promise<RunResult> =>
    run(PYTHON, ['-W', 'ignore', join(FIXTURES, 'python_password_login.py'), library, '127.0.0.1', String(passwords.port), account.name, password, knownHosts, method], {
      timeoutMs: 30_000,
    });

  for (const library of ['paramiko', 'asyncssh']) {
    for (const method of ['password', 'keyboard-interactive']) {
      const r = await login(library, method);
      assert.equal(r.code, 0, `${library} ${method}: ${r.stderr}\n${passwords.log().slice(-1500)}`);
      assert.equal(r.stdout.toString(), `${account.name}\n`, `${library} ${method}`);
    }
  }
  await waitForLog(passwords, new RegExp(`Accepted password for ${re(account.name)} from 127\\.0\\.0\\.1`));
  await waitForLog(passwords, new RegExp(`Accepted keyboard-interactive for ${re(account.name)} from 127\\.0\\.0\\.1`));

  const wrong = await login('paramiko', 'password', 'not-the-password');
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /AuthenticationException|Authentication failed/);
  await waitForLog(passwords, new RegExp(`Failed password for ${re(account.name)} from 127\\.0\\.0\\.1`));
});
