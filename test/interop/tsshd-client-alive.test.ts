// ClientAliveInterval / ClientAliveCountMax: an idle client that answers the server's keepalives stays; one that
// stops answering (an OpenSSH ssh stopped with SIGSTOP) is disconnected after CountMax unanswered requests.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { peerBinary } from '../helpers/processes.js';
import { sshArgs, startTsshd } from '../helpers/servers.js';
import type { RunningServer } from '../helpers/servers.js';

const ssh = peerBinary('/usr/bin/ssh');
const children: ChildProcess[] = [];
let server: RunningServer | undefined;
after(async () => {
  for (const c of children) {
    c.kill('SIGCONT');
    c.kill('SIGKILL');
  }
  await server?.stop();
});

async function until(check: () => boolean, what: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('ClientAliveInterval disconnects a client that stopped answering and keeps one that answers', { skip: ssh.skip, timeout: 60_000 }, async () => {
  server = await startTsshd({ config: ['ClientAliveInterval 1', 'ClientAliveCountMax 2', 'PidFile none'], args: ['-o', 'LogLevel=DEBUG1'] });
  const s = server;
  const open = (): { child: ChildProcess; port: () => number | undefined } => {
    const child = spawn('ssh', [...sshArgs(s, ['-o', 'KexAlgorithms=curve25519-sha256']), 'echo up; exec sleep 60'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    return { child, port: () => (out.startsWith('up') ? 1 : undefined) };
  };
  const answering = open();
  const silent = open();
  await until(() => answering.port() !== undefined && silent.port() !== undefined, () => 'both sessions', 20_000);
  const from = s.log().length;
  silent.child.kill('SIGSTOP');
  await until(
    () => /Timeout, client not responding from user \S+ 127\.0\.0\.1 port \d+/.test(s.log().slice(from)),
    () => `the timeout in\n${s.log().slice(from)}`,
    15_000,
  );
  const timeouts = s.log().slice(from).match(/Timeout, client not responding/g) ?? [];
  assert.equal(timeouts.length, 1, 'only the stopped client');
  assert.match(s.log().slice(from), /client_alive_check: sending keepalive@openssh\.com \(2 of 2\)/);
  assert.equal(answering.child.exitCode, null, 'the answering client is still connected');
  silent.child.kill('SIGCONT');
  const code = await new Promise((r) => silent.child.once('exit', r));
  assert.equal(code, 255);
});
