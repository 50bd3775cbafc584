// No common cipher with OpenSSH, both ways: OpenSSH's ssh against a tsshd that offers only aes256-gcm, and tssh
// against an sshd that offers only aes256-gcm. The client says "Unable to negotiate ... Their offer: ...";
// the server's log names the client's offer (tsshd's also its own).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { waitForLog } from '../helpers/openssh-login.js';
import { BIN, peerBinary, run, tempDir } from '../helpers/processes.js';
import { sshArgs, startOpenSshd, startTsshd, type RunningServer } from '../helpers/servers.js';

const ssh = peerBinary('/usr/bin/ssh');
const sshd = peerBinary('/usr/sbin/sshd');
const ONLY = 'Ciphers aes256-gcm@openssh.com';
let tsshd: RunningServer | undefined;
let opensshd: RunningServer | undefined;
const home = tempDir('tssh-home-');

before(async () => {
  if (!ssh.skip) tsshd = await startTsshd({ config: [ONLY] });
  if (!sshd.skip) opensshd = await startOpenSshd({ config: [ONLY] });
});
after(async () => {
  await tsshd?.stop();
  await opensshd?.stop();
  home.cleanup();
});

test('OpenSSH ssh -c aes128-ctr against tsshd: both sides name the lists', { skip: ssh.skip }, async () => {
  const args = sshArgs(tsshd!, ['-c', 'aes128-ctr,aes192-ctr']).map((a) => (a === 'LogLevel=ERROR' ? 'LogLevel=INFO' : a));
  const r = await run('ssh', [...args, 'true']);
  assert.equal(r.code, 255);
  assert.match(
    r.stderr,
    new RegExp(`^Unable to negotiate with 127\\.0\\.0\\.1 port ${tsshd!.port}: no matching cipher found\\. Their offer: aes256-gcm@openssh\\.com\\r?$`, 'm'),
  );
  await waitForLog(
    tsshd!,
    /Unable to negotiate with 127\.0\.0\.1 port \d+: no matching cipher found\. Their offer: aes128-ctr,aes192-ctr \(ours: aes256-gcm@openssh\.com\) \[preauth\]/,
  );
});

test('tssh -c aes128-ctr against OpenSSH sshd: tssh says what sshd offered; sshd logs our offer', { skip: sshd.skip }, async () => {
  const args = [
    BIN.tssh,
    '-F', 'none',
    '-o', `UserKnownHostsFile=${join(home.path, 'known_hosts')}`,
    '-i', opensshd!.userKey.privateKey,
    '-p', String(opensshd!.port),
    '-c', 'aes128-ctr',
    `${opensshd!.user}@127.0.0.1`,
    'true',
  ];
  const r = await run(process.execPath, args, { env: { ...process.env, HOME: home.path } });
  assert.equal(r.code, 255);
  assert.equal(r.stderr, `Unable to negotiate with 127.0.0.1 port ${opensshd!.port}: no matching cipher found. Their offer: aes256-gcm@openssh.com\n`);
  await waitForLog(opensshd!, /Unable to negotiate with 127\.0\.0\.1 port \d+: no matching cipher found\. Their offer: aes128-ctr \[preauth\]/);
});
