// tssh's authentication against OpenSSH's sshd: keys held only by a real ssh-agent (RSA, so the SHA-2 sign
// flags matter), IdentitiesOnly and IdentityAgent none; passwords typed on a real terminal without echo, retried
// NumberOfPasswordPrompts times; BatchMode never asking; the banner shown byte for byte as OpenSSH's ssh shows
// it. Password tests need root (useradd) and are skipped with the reason otherwise.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peerBinary, run, tempDir } from '../helpers/processes.js';
import { startOpenSshd, type RunningServer } from '../helpers/servers.js';
import { TestAccounts, accountsSkip, type TestAccount } from '../helpers/test-accounts.js';
import { PtyTssh, cleanUp, hostBlock, makeHome, runTssh, writeConfig, type TestHome } from '../helpers/tssh-process.js';
import { re, waitForLog } from '../helpers/openssh-login.js';

const sshd = peerBinary('/usr/sbin/sshd');
const agentBinary = peerBinary('/usr/bin/ssh-agent');
const skipAccounts = sshd.skip || accountsSkip;
const scratch = tempDir('tssh-auth-');
const accounts = new TestAccounts();
const BANNER = Buffer.from('Hello\x1b[31mred\r\n\x07bell\ttab\x01\xc3\xa9\xff end\n', 'latin1');
let server: RunningServer;
let account: TestAccount | undefined;
let agent: ChildProcess | undefined;

before(async () => {
  if (sshd.skip) return;
  writeFileSync(join(scratch.path, 'banner'), BANNER);
  server = await startOpenSshd({
    config: ['PasswordAuthentication yes', 'KbdInteractiveAuthentication yes', `Banner ${join(scratch.path, 'banner')}`],
  });
  if (!accountsSkip) account = await accounts.create();
});

after(async () => {
  agent?.kill('SIGKILL');
  cleanUp();
  await server?.stop();
  await accounts.removeAll();
  scratch.cleanup();
});

/** A HOME whose known_hosts has the server's key; `testhost` is the server. */
function home(extra: string[] = []): TestHome {
  const h = makeHome();
  writeConfig(h, hostBlock(server.port, extra));
  const [type, base64] = readFileSync(server.hostKey.publicKey, 'latin1').split(' ');
  writeFileSync(h.knownHosts, `[127.0.0.1]:${server.port} ${type} ${base64}\n`);
  return h;
}

/** A real ssh-agent on a socket of ours, holding a fresh RSA key whose files are then deleted. */
async function agentWithKey(): Promise<{ sock: string; fingerprint: string }> {
  const sock = join(scratch.path, 'agent.sock');
  agent = spawn('/usr/bin/ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  for (let i = 0; !existsSync(sock); i++) {
    if (i > 100) throw new Error('ssh-agent did not create its socket');
    await new Promise((r) => setTimeout(r, 20));
  }
  const file = join(scratch.path, 'agent_rsa');
  assert.equal((await run('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'agent-rsa', '-f', file])).code, 0);
  const added = await run('ssh-add', ['-q', file], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
  assert.equal(added.code, 0, added.stderr);
  appendFileSync(join(server.dir, 'authorized_keys'), readFileSync(`${file}.pub`));
  const fp = (await run('ssh-keygen', ['-l', '-f', `${file}.pub`])).stdout.toString().split(' ')[1];
  rmSync(file);
  rmSync(`${file}.pub`);
  return { sock, fingerprint: fp };
}

test('ssh-agent: a key only the agent holds logs in (RSA, SHA-2 flags); IdentitiesOnly and IdentityAgent none leave it out', { skip: sshd.skip || agentBinary.skip }, async () => {
  const { sock, fingerprint } = await agentWithKey();
  assert.ok(!existsSync(join(scratch.path, 'agent_rsa')), 'no private key file anywhere');
  const h = home();
  rmSync(h.keyFile); // nothing in ~/.ssh either: only the agent can sign
  const r = await runTssh(h, ['-v', 'testhost', 'echo agent-ok'], { env: { SSH_AUTH_SOCK: sock } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), 'agent-ok\n');
  assert.match(r.stderr, new RegExp(`^debug1: Will attempt key: agent-rsa RSA ${re(fingerprint)} agent$`, 'm'));
  assert.match(r.stderr, new RegExp(`^debug1: Server accepts key: RSA ${re(fingerprint)} agent-rsa$`, 'm'));
  await waitForLog(server, new RegExp(`Accepted publickey for ${re(server.user)} from 127\\.0\\.0\\.1 port \\d+ ssh2: RSA ${re(fingerprint)}`));

  const other = home(['IdentitiesOnly yes', 'BatchMode yes']); // its own ~/.ssh/id_ed25519 is not authorized
  const only = await runTssh(other, ['-q', 'testhost', 'true'], { env: { SSH_AUTH_SOCK: sock } });
  assert.equal(only.code, 255);
  const none = await runTssh(other, ['-v', '-o', 'IdentityAgent=none', 'testhost', 'true'], { env: { SSH_AUTH_SOCK: sock } });
  assert.equal(none.code, 255);
  assert.ok(!none.stderr.includes('agent-rsa'), none.stderr);
});

test('password on a real terminal: no echo, a wrong one retried with ssh\'s line, then in', { skip: skipAccounts }, async () => {
  const a = account!;
  const t = new PtyTssh(home(), ['-o', 'PreferredAuthentications=password', '-l', a.name, 'testhost', 'id -un']);
  const prompt = `${a.name}@127.0.0.1's password: `;
  await t.waitFor(prompt);
  t.type('not-the-password\r');
  await t.waitFor('Permission denied, please try again.');
  await t.waitFor(`Permission denied, please try again.\r\n${prompt}`);
  t.type(`${a.password}\r`);
  assert.equal(await t.exitCode(), 0, t.output);
  assert.ok(t.output.includes(`${a.name}\r\n`), t.output);
  assert.ok(!t.output.includes('not-the-password') && !t.output.includes(a.password), 'nothing typed is echoed');
});

test('NumberOfPasswordPrompts 2: two wrong passwords, then Permission denied and 255', { skip: skipAccounts }, async () => {
  const a = account!;
  const t = new PtyTssh(home(), [
    '-o', 'PreferredAuthentications=password', '-o', 'NumberOfPasswordPrompts=2', '-l', a.name, 'testhost', 'true',
  ]);
  const prompt = `${a.name}@127.0.0.1's password: `;
  await t.waitFor(prompt);
  t.type('wrong-1\r');
  await t.waitFor(`try again.\r\n${prompt}`);
  t.type('wrong-2\r');
  assert.equal(await t.exitCode(), 255);
  assert.equal(t.output.split(prompt).length - 1, 2, t.output);
  assert.match(t.output, new RegExp(`${re(a.name)}@127\\.0\\.0\\.1: Permission denied \\(publickey,password,keyboard-interactive\\)\\.\\r\\n$`));
});

test('BatchMode: no prompt even on a terminal; refused at once', { skip: skipAccounts }, async () => {
  const a = account!;
  const t = new PtyTssh(home(), ['-o', 'BatchMode=yes', '-o', 'PreferredAuthentications=password', '-l', a.name, 'testhost', 'true']);
  assert.equal(await t.exitCode(), 255);
  assert.ok(!t.output.includes('password:'), t.output);
  assert.match(t.output, /Permission denied \(publickey,password,keyboard-interactive\)\./);
});

test('the banner: control characters escaped exactly as OpenSSH\'s ssh shows them; -q hides it', { skip: sshd.skip }, async () => {
  const h = home();
  appendFileSync(join(server.dir, 'authorized_keys'), `${h.key.publicKey.type} ${Buffer.from(h.key.publicKey.blob).toString('base64')}\n`);
  for (const LANG of ['C.UTF-8', 'C']) {
    const env = { LANG, LC_ALL: '', LC_CTYPE: '' };
    const ours = await runTssh(h, ['testhost', 'true'], { env });
    assert.equal(ours.code, 0, ours.stderr);
    const theirs = await run('ssh', [
      '-F', '/dev/null', '-o', `UserKnownHostsFile=${h.knownHosts}`, '-i', server.userKey.privateKey,
      '-p', String(server.port), `${server.user}@127.0.0.1`, 'true',
    ], { env: { ...process.env, ...env } });
    assert.equal(theirs.code, 0, theirs.stderr);
    assert.equal(ours.stderr, theirs.stderr, LANG);
    assert.ok(ours.stderr.startsWith('Hello\\033[31mred\r\n\\007bell'), ours.stderr);
  }
  const quiet = await runTssh(h, ['-q', 'testhost', 'true']);
  assert.equal(quiet.stderr, '');
});

test('-f with a password: asked on the terminal, then tssh returns and the command runs on', { skip: skipAccounts }, async () => {
  const a = account!;
  const out = join(a.home, 'background-out');
  const t = new PtyTssh(home(), ['-f', '-o', 'PreferredAuthentications=password', '-l', a.name, 'testhost', `sleep 0.5; id -un > ${out}`]);
  await t.waitFor(`${a.name}@127.0.0.1's password: `);
  t.type(`${a.password}\r`);
  assert.equal(await t.exitCode(), 0, t.output);
  assert.ok(!t.output.includes(a.password), 'no echo');
  for (let i = 0; !existsSync(out); i++) {
    if (i > 250) throw new Error('the background command never ran');
    await new Promise((r) => setTimeout(r, 20));
  }
  for (let i = 0; readFileSync(out, 'utf8') === '' && i < 50; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(readFileSync(out, 'utf8'), `${a.name}\n`);
});
