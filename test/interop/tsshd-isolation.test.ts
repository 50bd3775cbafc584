// One worker per connection: killing one (SIGKILL) harms neither the listener nor another session.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { peerBinary, run, waitForOutput } from '../helpers/processes.js';
import { sshArgs, startTsshd, type RunningServer } from '../helpers/servers.js';

const ssh = peerBinary('/usr/bin/ssh');
let server: RunningServer;
before(async () => {
  // A worker killed by a signal counts as a crash against its source (PerSourcePenalties): this test is about
  // isolation, not penalties, so they are off here.
  if (!ssh.skip) server = await startTsshd({ config: ['PerSourcePenalties no'] });
});
after(async () => server?.stop());

test('a worker killed with SIGKILL leaves the listener and another streaming session untouched', { skip: ssh.skip }, async (t) => {
  // Session A streams data through `cat` for the whole test.
  const a = spawn('ssh', [...sshArgs(server), 'cat'], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => a.kill('SIGKILL'));
  const sent = createHash('sha256');
  const got = createHash('sha256');
  let received = 0;
  a.stdout.on('data', (d: Buffer) => {
    got.update(d);
    received += d.length;
  });
  let total = 0;
  const pump = (n: number): void => {
    const chunk = randomBytes(n);
    sent.update(chunk);
    total += n;
    a.stdin.write(chunk);
  };
  pump(1 << 20);

  // Session B's shell reports its parent: the tsshd-session worker serving B.
  const b = spawn('ssh', [...sshArgs(server), 'echo worker=$PPID; exec sleep 60'], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => b.kill('SIGKILL'));
  const m = await waitForOutput(b, /worker=(\d+)/, 30_000);
  const workerPid = Number(m[1]);
  const bExit = new Promise<number | null>((r) => b.on('exit', (code) => r(code)));
  process.kill(workerPid, 'SIGKILL');
  assert.equal(await bExit, 255, 'B loses its connection');

  // A keeps streaming, and the listener accepts a new connection.
  pump(2 << 20);
  const c = await run('ssh', [...sshArgs(server), 'echo still accepting']);
  assert.equal(c.stdout.toString(), 'still accepting\n');
  pump(1 << 20);
  a.stdin.end();
  await new Promise((r) => a.on('exit', r));
  assert.equal(received, total);
  assert.equal(got.digest('hex'), sent.digest('hex'));
  assert.match(server.log(), new RegExp(`Worker ${workerPid} .*killed by signal SIGKILL`));
  assert.equal(server.process.exitCode, null, 'the listener is still running');
});
