// tsshd restarting in place (SIGUSR2): the listening socket handed to a new listener while old connections stay,
// a restart that cannot happen leaving the old listener serving, and systemd socket activation. The worker is the
// fake one (test/fixtures/fake-sshd-session.mjs), set through SshdSessionPath.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  Client,
  FAKE_WORKER,
  TSSHD,
  Tsshd,
  freePort,
  pids,
  procStat,
  refused,
  tempDir,
  waitUntil,
  writeConfig,
} from '../helpers/listener-harness.js';

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
