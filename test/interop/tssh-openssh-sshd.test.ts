// Our tssh against OpenSSH's sshd on 127.0.0.1: host key checking, commands, exit codes, streams, refusals.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, peerBinary, run, tempDir } from '../helpers/processes.js';
import { startOpenSshd, type RunningServer } from '../helpers/servers.js';

const sshd = peerBinary('/usr/sbin/sshd');
let server: RunningServer;
const home = tempDir('tssh-home-');

before(async () => {
  if (!sshd.skip) server = await startOpenSshd();
});
after(async () => {
  await server?.stop();
  home.cleanup();
});

function tsshArgs(extra: string[] = []): string[] {
  return [
    BIN.tssh,
    '-F', 'none',
    '-o', `UserKnownHostsFile=${join(server.dir, 'tssh_known_hosts')}`,
    '-i', server.userKey.privateKey,
    '-p', String(server.port),
    ...extra,
    `${server.user}@127.0.0.1`,
  ];
}

const env = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: home.path });
const hostLine = (): string => `[127.0.0.1]:${server.port} ${readFileSync(server.hostKey.publicKey, 'latin1').split(' ').slice(0, 2).join(' ')}`;

test('unknown host with StrictHostKeyChecking yes: refused before authentication', { skip: sshd.skip }, async () => {
  const r = await run(process.execPath, [...tsshArgs(['-o', 'StrictHostKeyChecking=yes']), 'true'], { env: env() });
  assert.equal(r.code, 255);
  assert.equal(r.stderr, 'No ED25519 host key is known for 127.0.0.1 and you have requested strict checking.\nHost key verification failed.\n');
});

test('accept-new records the host key as OpenSSH writes it; the command runs', { skip: sshd.skip }, async () => {
  const r = await run(process.execPath, [...tsshArgs(['-o', 'StrictHostKeyChecking=accept-new']), 'echo out; echo err >&2; exit 7'], { env: env() });
  assert.equal(r.code, 7, r.stderr);
  assert.equal(r.stdout.toString(), 'out\n');
  assert.match(r.stderr, /^err$/m);
  assert.equal(readFileSync(join(server.dir, 'tssh_known_hosts'), 'latin1'), `${hostLine()}\n`);
});

test('exit statuses come back every time (EOF before exit-status is handled)', { skip: sshd.skip }, async () => {
  for (const status of [0, 1, 42]) {
    const r = await run(process.execPath, [...tsshArgs(), `exit ${status}`], { env: env() });
    assert.equal(r.code, status, r.stderr);
  }
  const killed = await run(process.execPath, [...tsshArgs(), 'kill -KILL $$'], { env: env() });
  assert.equal(killed.code, 255);
});

test('16 MiB through stdin and back, SHA-256 equal', { skip: sshd.skip }, async () => {
  const data = randomBytes(16 << 20);
  const r = await run(process.execPath, [...tsshArgs(), 'cat'], { env: env(), input: data, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(createHash('sha256').update(r.stdout).digest('hex'), createHash('sha256').update(data).digest('hex'));
});

test('a changed host key: the warning, the offending line, no connection', { skip: sshd.skip }, async () => {
  const file = join(server.dir, 'tssh_known_hosts_changed');
  const other = readFileSync(server.userKey.publicKey, 'latin1').split(' ').slice(0, 2).join(' ');
  writeFileSync(file, `[127.0.0.1]:${server.port} ${other}\n`);
  const args = tsshArgs().map((a) => (a.startsWith('UserKnownHostsFile=') ? `UserKnownHostsFile=${file}` : a));
  const r = await run(process.execPath, [...args, 'true'], { env: env() });
  assert.equal(r.code, 255);
  assert.ok(r.stderr.includes('WARNING: HOST IDENTIFICATION HAS CHANGED!'));
  assert.ok(r.stderr.includes(`Offending ED25519 key in ${file}:1`));
  assert.ok(r.stderr.endsWith('Host key verification failed.\n'));
});

test('a key that is not authorized: USER@HOST: Permission denied (publickey).', { skip: sshd.skip }, async () => {
  const args = tsshArgs().map((a) => (a === server.userKey.privateKey ? server.hostKey.privateKey : a));
  const r = await run(process.execPath, [...args, 'true'], { env: env(), detached: true });
  assert.equal(r.code, 255);
  assert.match(r.stderr, new RegExp(`^${server.user}@127\\.0\\.0\\.1: Permission denied \\(publickey[^)]*\\)\\.\\n$`));
});
