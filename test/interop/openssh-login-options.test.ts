// OpenSSH's ssh against tsshd: AuthenticationMethods with two methods in a row (RFC 4252 partial success), the
// *Authentication switches, PermitRootLogin, AllowUsers / DenyUsers / AllowGroups / DenyGroups. Needs root.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { askpassEnv, re, sshLogin, waitForLog } from '../helpers/openssh-login.js';
import { peerBinary, run, tempDir } from '../helpers/processes.js';
import { opensshKey, startTsshd, type KeyPair, type RunningServer } from '../helpers/servers.js';
import { TestAccounts, accountsSkip, askpassScript, type TestAccount } from '../helpers/test-accounts.js';

const ssh = peerBinary('/usr/bin/ssh');
const skip = ssh.skip || accountsSkip;
const accounts = new TestAccounts();
const scratch = tempDir('tssh-opts-');
const servers: RunningServer[] = [];
let carol: TestAccount;
let dave: TestAccount;
let key: KeyPair;

before(async () => {
  if (skip) return;
  carol = await accounts.create();
  dave = await accounts.create();
  key = await opensshKey(scratch.path, 'shared_ed25519');
  const line = readFileSync(key.publicKey, 'utf8');
  accounts.authorizeKeys(carol, [line]);
  accounts.authorizeKeys(dave, [line]);
  // root (who runs the tests) gets the same key through a per-user file outside any home.
  writeFileSync(join(scratch.path, 'root_keys'), line, { mode: 0o600 });
});

after(async () => {
  for (const s of servers) await s.stop();
  await accounts.removeAll();
  scratch.cleanup();
});

async function server(config: string[]): Promise<RunningServer> {
  const s = await startTsshd({
    config: ['PerSourcePenalties no', ...config],
    args: ['-o', `AuthorizedKeysFile=.ssh/authorized_keys ${scratch.path}/%u_keys`],
  });
  servers.push(s);
  return s;
}

/** ssh with the key, then (with a password) a password from askpass if the server asks for one. */
function login(s: RunningServer, account: { name: string; password?: string }, command = 'id -un') {
  const keyOpts = ['-o', 'IdentitiesOnly=yes', '-i', key.privateKey];
  if (account.password === undefined) return run('ssh', [...sshLogin(s, account.name, ['-o', 'BatchMode=yes', ...keyOpts]), command]);
  const askpass = askpassScript(scratch.path, account.password, `askpass-${account.name}`);
  const opts = ['-o', 'BatchMode=no', ...keyOpts, '-o', 'NumberOfPasswordPrompts=1'];
  return run('ssh', [...sshLogin(s, account.name, opts), command], { env: askpassEnv(askpass) });
}

const byKey = (a: TestAccount): { name: string } => ({ name: a.name });

test('AuthenticationMethods publickey,password: the key is a partial success, the password completes', { skip }, async () => {
  const s = await server(['AuthenticationMethods publickey,password']);
  const r = await login(s, carol);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), `${carol.name}\n`);
  await waitForLog(s, new RegExp(`Partial publickey for ${re(carol.name)} from 127\\.0\\.0\\.1 port \\d+ ssh2: ED25519`));
  await waitForLog(s, new RegExp(`Accepted password for ${re(carol.name)} from 127\\.0\\.0\\.1`));
  // The key alone is not enough, nor is the password alone.
  const keyOnly = await login(s, { name: carol.name, password: 'wrong' });
  assert.equal(keyOnly.code, 255);
  const askpass = askpassScript(scratch.path, carol.password, 'askpass-only');
  const passwordOnly = await run('ssh', [...sshLogin(s, carol.name, ['-o', 'BatchMode=no', '-o', 'PubkeyAuthentication=no']), 'true'], { env: askpassEnv(askpass) });
  assert.equal(passwordOnly.code, 255);
  assert.match(passwordOnly.stderr, /Permission denied \(publickey\)/);
});

test('PubkeyAuthentication, PasswordAuthentication, KbdInteractiveAuthentication decide what is offered', { skip }, async () => {
  const s = await server(['PubkeyAuthentication no', 'PasswordAuthentication yes', 'KbdInteractiveAuthentication no']);
  const r = await run('ssh', [...sshLogin(s, carol.name, ['-o', 'BatchMode=yes', '-i', key.privateKey]), 'true']);
  assert.equal(r.code, 255);
  assert.match(r.stderr, /Permission denied \(password\)/);
  const ok = await login(s, carol);
  assert.equal(ok.code, 0, ok.stderr);
});

test('PermitRootLogin: no, forced-commands-only, prohibit-password', { skip }, async () => {
  const root = { name: 'root' };
  const no = await server(['PermitRootLogin no']);
  assert.equal((await login(no, root)).code, 255);
  await waitForLog(no, /ROOT LOGIN REFUSED FROM 127\.0\.0\.1 port \d+/);
  const forcedOnly = await server(['PermitRootLogin forced-commands-only']);
  assert.equal((await login(forcedOnly, root)).code, 255, 'a key without command= is refused');
  const line = readFileSync(key.publicKey, 'utf8');
  writeFileSync(join(scratch.path, 'root_keys'), `command="echo forced-for-root" ${line}`);
  try {
    const forced = await login(forcedOnly, root, 'id');
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(forced.stdout.toString(), 'forced-for-root\n');
  } finally {
    writeFileSync(join(scratch.path, 'root_keys'), line);
  }
  const prohibit = await server(['PermitRootLogin prohibit-password']);
  const withKey = await login(prohibit, root);
  assert.equal(withKey.code, 0, withKey.stderr);
  assert.equal(withKey.stdout.toString(), 'root\n');
});

test('AllowUsers, DenyUsers, AllowGroups, DenyGroups', { skip }, async () => {
  const cases: Array<{ config: string; allowed: TestAccount; refused: TestAccount; reason: string }> = [
    { config: `AllowUsers ${carol.name}`, allowed: carol, refused: dave, reason: 'not listed in AllowUsers' },
    { config: `DenyUsers ${carol.name}@127.0.0.1`, allowed: dave, refused: carol, reason: 'listed in DenyUsers' },
    { config: `AllowGroups ${dave.name}`, allowed: dave, refused: carol, reason: "none of user's groups are listed in AllowGroups" },
    { config: `DenyGroups ${dave.name}`, allowed: carol, refused: dave, reason: 'a group is listed in DenyGroups' },
  ];
  for (const c of cases) {
    const s = await server([c.config]);
    const yes = await login(s, byKey(c.allowed));
    assert.equal(yes.code, 0, `${c.config}: ${yes.stderr}`);
    const no = await login(s, byKey(c.refused));
    assert.equal(no.code, 255, c.config);
    await waitForLog(s, new RegExp(`User ${re(c.refused.name)} from 127\\.0\\.0\\.1 not allowed because ${re(c.reason)}`));
  }
});
