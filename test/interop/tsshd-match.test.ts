// sshd_config Match blocks are applied once the user is known, as sshd does.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { peerBinary, run } from '../helpers/processes.js';
import { sshArgs, startTsshd, type RunningServer } from '../helpers/servers.js';

const ssh = peerBinary('/usr/bin/ssh');
let server: RunningServer;
before(async () => {
  if (ssh.skip) return;
  server = await startTsshd({
    config: [
      'PerSourcePenalties no',
      `Match User ${userInfo().username} Address 127.0.0.1`,
      '  ForceCommand echo "matched $SSH_ORIGINAL_COMMAND"',
      'Match User nobody-else',
      '  ForceCommand echo wrong block',
    ],
  });
});
after(async () => server?.stop());

test('a Match User/Address block applies to the session of the matching user', { skip: ssh.skip }, async () => {
  const r = await run('ssh', [...sshArgs(server), 'hello']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), 'matched hello\n');
});
