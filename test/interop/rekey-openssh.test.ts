// Key re-exchange in the middle of bulk transfers, started by each side, against OpenSSH's client.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { peerBinary, run } from '../helpers/processes.js';
import { sshArgs, startTsshd, type RunningServer } from '../helpers/servers.js';

const ssh = peerBinary('/usr/bin/ssh');
let server: RunningServer;
before(async () => {
  if (!ssh.skip) server = await startTsshd({ config: ['RekeyLimit 16M'] });
});
after(async () => server?.stop());

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

test('server-started rekeys (RekeyLimit 16M) during 256 MiB each way; data intact; logged', { skip: ssh.skip }, async () => {
  const data = randomBytes(256 << 20);
  const r = await run('ssh', [...sshArgs(server), 'cat'], { input: data, timeoutMs: 180_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.length, data.length);
  assert.equal(sha(r.stdout), sha(data));
  const rekeys = server.log().match(/rekey: data limit reached/g)?.length ?? 0;
  assert.ok(rekeys >= 16, `expected dozens of server-started rekeys, saw ${rekeys}`);
});

test('client-started rekeys (ssh -o RekeyLimit=1M) while the server sends 32 MiB', { skip: ssh.skip }, async () => {
  const r = await run('ssh', [...sshArgs(server, ['-o', 'RekeyLimit=1M', '-v']), 'head -c 33554432 /dev/zero'], {
    timeoutMs: 120_000,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.length, 32 << 20);
  assert.ok(r.stdout.every((b) => b === 0));
  assert.match(r.stderr, /SSH2_MSG_KEXINIT sent/);
});
