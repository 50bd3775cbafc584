// tsshd, the listener daemon, as a real process on 127.0.0.1 with ports chosen at run time. The worker is a fake
// (test/fixtures/fake-sshd-session.mjs) set through SshdSessionPath: it reports how it was started and echoes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  Client,
  FAKE_WORKER,
  Tsshd,
  alive,
  freePort,
  pids,
  procStat,
  refused,
  tempDir,
  waitUntil,
  writeConfig,
} from '../helpers/listener-harness.js';

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
