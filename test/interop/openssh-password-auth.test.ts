// OpenSSH's ssh against tsshd with real system accounts: password and keyboard-interactive checked against
// /etc/shadow (yescrypt from chpasswd), and every refusal looking the same from outside while the server log
// says precisely why. Needs root (useradd); skipped with the reason otherwise.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { askpassEnv, passwordOptions, re, sshLogin, waitForLog } from '../helpers/openssh-login.js';
import { peerBinary, run, tempDir } from '../helpers/processes.js';
import { opensshKey, startTsshd, type KeyPair, type RunningServer } from '../helpers/servers.js';
import { TestAccounts, accountsSkip, askpassScript, type TestAccount } from '../helpers/test-accounts.js';

const ssh = peerBinary('/usr/bin/ssh');
const skip = ssh.skip || accountsSkip;
const accounts = new TestAccounts();
const scratch = tempDir('tssh-askpass-');
let server: RunningServer;
let alice: TestAccount;
let locked: TestAccount;
let expired: TestAccount;
let aliceKey: KeyPair;
let otherKey: KeyPair;

before(async () => {
  if (skip) return;
  server = await startTsshd({
    config: ['PerSourcePenalties no', 'PasswordAuthentication yes', 'KbdInteractiveAuthentication yes', 'MaxAuthTries 3', `Banner ${join(scratch.path, 'banner')}`],
    args: ['-o', 'AuthorizedKeysFile=.ssh/authorized_keys', '-o', 'StrictModes=yes'],
  });
  writeFileSync(join(scratch.path, 'banner'), 'Authorized use only (tssh test banner)\n');
  alice = await accounts.create();
  locked = await accounts.create();
  expired = await accounts.create();
  aliceKey = await opensshKey(scratch.path, 'alice_ed25519');
  otherKey = await opensshKey(scratch.path, 'other_ed25519');
  accounts.authorizeKeys(alice, [readFileSync(aliceKey.publicKey, 'utf8')]);
  await run('usermod', ['-L', locked.name]);
  await run('chage', ['-E', '2001-01-01', expired.name]);
});

after(async () => {
  await server?.stop();
  await accounts.removeAll();
  scratch.cleanup();
});

async function withPassword(user: string, password: string, method: 'password' | 'keyboard-interactive' = 'password', prompts = 1) {
  const askpass = askpassScript(scratch.path, password, `askpass-${method}`);
  return run('ssh', [...sshLogin(server, user, passwordOptions(method, prompts)), 'id -un'], { env: askpassEnv(askpass) });
}

test('password: the account logs in with its yescrypt password from the shadow file', { skip }, async () => {
  const shadow = (await run('getent', ['shadow', alice.name])).stdout.toString();
  assert.match(shadow.split(':')[1], /^\$y\$/, 'chpasswd hashes with yescrypt here');
  const r = await withPassword(alice.name, alice.password);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), `${alice.name}\n`);
  await waitForLog(server, new RegExp(`Accepted password for ${re(alice.name)} from 127\\.0\\.0\\.1 port \\d+ ssh2`));
});

test('keyboard-interactive asks "Password: " and checks the same password', { skip }, async () => {
  const seen = join(scratch.path, 'prompt-seen');
  const askpass = join(scratch.path, 'askpass-recording');
  writeFileSync(askpass, `#!/bin/sh\nprintf '%s' "$1" > '${seen}'\nprintf '%s\\n' '${alice.password}'\n`, { mode: 0o700 });
  const r = await run('ssh', [...sshLogin(server, alice.name, passwordOptions('keyboard-interactive')), 'id -un'], { env: askpassEnv(askpass) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), `${alice.name}\n`);
  assert.match(readFileSync(seen, 'utf8'), /Password: $/);
  await waitForLog(server, new RegExp(`Accepted keyboard-interactive for ${re(alice.name)} from 127\\.0\\.0\\.1`));
});

test('wrong password, unknown user, locked and expired accounts: the same refusal, a precise log line', { skip }, async () => {
  const cases = [
    { user: alice.name, password: 'not-the-password', log: `Failed password for ${re(alice.name)} from 127\\.0\\.0\\.1 port \\d+ ssh2` },
    { user: 'tssh-no-such-user', password: 'whatever', log: 'Invalid user tssh-no-such-user from 127\\.0\\.0\\.1 port \\d+' },
    { user: locked.name, password: locked.password, log: `User ${re(locked.name)} not allowed because account is locked` },
    { user: expired.name, password: expired.password, log: `Account ${re(expired.name)} has expired` },
  ];
  const outward: string[] = [];
  for (const c of cases) {
    for (const method of ['password', 'keyboard-interactive'] as const) {
      const r = await withPassword(c.user, c.password, method);
      assert.equal(r.code, 255, `${c.user} via ${method} must be refused`);
      assert.equal(r.stdout.length, 0);
      outward.push(`${method}: ${r.stderr.split(c.user).join('USER')}`);
    }
    await waitForLog(server, new RegExp(c.log));
  }
  assert.match(outward[0], /Permission denied \(publickey,password,keyboard-interactive\)/);
  assert.deepEqual(new Set(outward.filter((o) => o.startsWith('password'))).size, 1, outward.join('\n'));
  assert.deepEqual(new Set(outward.filter((o) => o.startsWith('keyboard'))).size, 1, outward.join('\n'));
  assert.match(server.log(), new RegExp(`Failed password for invalid user tssh-no-such-user from 127\\.0\\.0\\.1`));
});

test('MaxAuthTries: the third wrong password ends the connection', { skip }, async () => {
  const r = await withPassword(alice.name, 'wrong-again', 'password', 5);
  assert.equal(r.code, 255);
  await waitForLog(server, new RegExp(`maximum authentication attempts exceeded for ${re(alice.name)} from 127\\.0\\.0\\.1 port \\d+ ssh2`));
});

test('publickey: a wrong key and a key past its expiry-time are refused like a wrong password', { skip }, async () => {
  const keyArgs = (key: KeyPair) => ['-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-i', key.privateKey, '-o', 'PreferredAuthentications=publickey'];
  const good = await run('ssh', [...sshLogin(server, alice.name, keyArgs(aliceKey)), 'id -un']);
  assert.equal(good.code, 0, good.stderr);
  const wrong = await run('ssh', [...sshLogin(server, alice.name, keyArgs(otherKey)), 'true']);
  accounts.authorizeKeys(alice, [`expiry-time="20200101" ${readFileSync(aliceKey.publicKey, 'utf8')}`]);
  const stale = await run('ssh', [...sshLogin(server, alice.name, keyArgs(aliceKey)), 'true']);
  accounts.authorizeKeys(alice, [readFileSync(aliceKey.publicKey, 'utf8')]);
  assert.equal(wrong.code, 255);
  assert.equal(stale.code, 255);
  assert.equal(stale.stderr, wrong.stderr);
  assert.match(wrong.stderr, /Permission denied \(publickey,password,keyboard-interactive\)/);
  await waitForLog(server, /authorized_keys:1: key has expired/);
});

test('StrictModes: a ~/.ssh that others may write to is not trusted', { skip }, async () => {
  const dir = join(alice.home, '.ssh');
  chmodSync(dir, 0o777);
  try {
    const r = await run('ssh', [...sshLogin(server, alice.name, ['-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-i', aliceKey.privateKey]), 'true']);
    assert.equal(r.code, 255);
    await waitForLog(server, new RegExp(`Authentication refused: bad ownership or modes for directory ${re(dir)}`));
  } finally {
    chmodSync(dir, 0o700);
  }
});

test('Banner: the text is shown before authentication', { skip }, async () => {
  const askpass = askpassScript(scratch.path, alice.password, 'askpass-banner');
  const args = sshLogin(server, alice.name, [...passwordOptions('password'), '-o', 'LogLevel=INFO']);
  const r = await run('ssh', [...args, 'true'], { env: askpassEnv(askpass) });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Authorized use only \(tssh test banner\)/);
});

test('PermitEmptyPasswords no: an account without a password cannot log in with an empty one', { skip }, async () => {
  const empty = await accounts.create();
  await run('passwd', ['-d', empty.name]);
  const r = await withPassword(empty.name, '');
  assert.equal(r.code, 255);
  await waitForLog(server, new RegExp(`Password check for ${re(empty.name)} from 127\\.0\\.0\\.1 port \\d+: empty password refused`));
});
