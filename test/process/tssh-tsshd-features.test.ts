// tssh against our tsshd, for what tsshd serves: keyboard-interactive typed on a real terminal (a wrong answer
// asked again), a key held only by ssh-agent, the banner, SendEnv/SetEnv through AcceptEnv, and a pty whose
// size changes reach the remote `stty size`. Account tests need root (useradd) and are skipped otherwise.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPublicKeyLine } from '@tssh/ssh-protocol/keys';
import { peerBinary, run, tempDir } from '../helpers/processes.js';
import { startTsshd, type RunningServer } from '../helpers/servers.js';
import { TestAccounts, accountsSkip, type TestAccount } from '../helpers/test-accounts.js';
import { PtyTssh, cleanUp, hostBlock, makeHome, runTssh, writeConfig, type TestHome } from '../helpers/tssh-process.js';

const scratch = tempDir('tssh-tsshd-');
const accounts = new TestAccounts();
const agentBinary = peerBinary('/usr/bin/ssh-agent');
let server: RunningServer;
let account: TestAccount | undefined;
let h: TestHome;
let agent: ChildProcess | undefined;

before(async () => {
  writeFileSync(join(scratch.path, 'banner'), 'tsshd test banner\x1b]0;title\x07\n');
  server = await startTsshd({
    config: [
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication yes',
      'PerSourcePenalties no',
      'AcceptEnv TSSH_*',
      `Banner ${join(scratch.path, 'banner')}`,
    ],
  });
  h = makeHome();
  writeConfig(h, hostBlock(server.port));
  const [type, base64] = readFileSync(server.hostKey.publicKey, 'latin1').split(' ');
  writeFileSync(h.knownHosts, `[127.0.0.1]:${server.port} ${type} ${base64}\n`);
  appendFileSync(join(server.dir, 'authorized_keys'), `${formatPublicKeyLine(h.key.publicKey)}\n`);
  if (!accountsSkip) account = await accounts.create();
});

after(async () => {
  agent?.kill('SIGKILL');
  cleanUp();
  await server?.stop();
  await accounts.removeAll();
  scratch.cleanup();
});

const BANNER_SHOWN = 'tsshd test banner\\033]0;title\\007\n';

test('keyboard-interactive on a real terminal: "(user@host) Password: ", no echo, asked again after a wrong answer', { skip: accountsSkip }, async () => {
  const a = account!;
  const t = new PtyTssh(h, ['-o', 'PreferredAuthentications=keyboard-interactive', '-l', a.name, 'testhost', 'id -un']);
  const prompt = `(${a.name}@127.0.0.1) Password: `;
  await t.waitFor(prompt);
  t.type('wrong answer\r');
  await t.waitFor(`${prompt}\r\n${prompt}`);
  t.type(`${a.password}\r`);
  assert.equal(await t.exitCode(), 0, t.output);
  assert.ok(t.output.includes(`${a.name}\r\n`));
  assert.ok(!t.output.includes('wrong answer') && !t.output.includes(a.password), 'no echo');
  assert.ok(!t.output.includes('please try again'), 'that line is for the password method only');
});

test('the banner is shown with its control characters escaped', async () => {
  const r = await runTssh(h, ['testhost', 'true']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, BANNER_SHOWN);
});

test('ssh-agent: an ed25519 key with no file anywhere logs in', { skip: agentBinary.skip }, async () => {
  const sock = join(scratch.path, 'agent.sock');
  agent = spawn('/usr/bin/ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  for (let i = 0; !existsSync(sock); i++) {
    if (i > 100) throw new Error('ssh-agent did not create its socket');
    await new Promise((r) => setTimeout(r, 20));
  }
  const file = join(scratch.path, 'agent_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'agent-key', '-f', file]);
  assert.equal((await run('ssh-add', ['-q', file], { env: { ...process.env, SSH_AUTH_SOCK: sock } })).code, 0);
  appendFileSync(join(server.dir, 'authorized_keys'), readFileSync(`${file}.pub`));
  const other = makeHome(); // its own id_ed25519 is not authorized
  writeConfig(other, hostBlock(server.port));
  writeFileSync(other.knownHosts, readFileSync(h.knownHosts));
  await run('rm', ['-f', file, `${file}.pub`]);
  const viaAgent = await runTssh(other, ['-q', 'testhost', 'echo via-agent'], { env: { SSH_AUTH_SOCK: sock } });
  assert.equal(viaAgent.code, 0, viaAgent.stderr);
  assert.equal(viaAgent.stdout.toString(), 'via-agent\n');
});

test('SendEnv and SetEnv reach the command through AcceptEnv', async () => {
  const r = await runTssh(h, ['-q', '-o', 'SendEnv=TSSH_A', '-o', 'SetEnv=TSSH_B=2', 'testhost', 'echo "$TSSH_A,$TSSH_B,$TSSH_C"'], {
    env: { TSSH_A: '1', TSSH_C: '3' },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), '1,2,\n');
});

test('pty: window-change seen by the remote stty size', async () => {
  const t = new PtyTssh(h, ['-q', '-t', 'testhost', 'stty size; while read x; do stty size; done']);
  await t.waitFor('30 100');
  t.resize(90, 20);
  const deadline = Date.now() + 10_000;
  while (!t.output.includes('20 90')) {
    if (Date.now() > deadline) throw new Error(`no new size in:\n${t.output}`);
    t.type('\r');
    await new Promise((r) => setTimeout(r, 100));
  }
  t.type('\x04');
  assert.equal(await t.exitCode(), 0, t.output);
});

test('SIGTERM in the middle of a pty session: exit 255, the terminal restored', async () => {
  const t = new PtyTssh(h, ['-q', '-t', 'testhost', 'echo ready; sleep 30'], { afterwards: 'stty -a' });
  await t.waitFor('ready');
  const pids = readdirSync('/proc').filter((p) => {
    try {
      const argv = readFileSync(`/proc/${p}/cmdline`, 'latin1').split('\0');
      return argv[1]?.endsWith('tssh.js') && argv.includes(h.config); // node itself, not the sh around it
    } catch {
      return false;
    }
  });
  assert.equal(pids.length, 1, 'the tssh of this test');
  process.kill(Number(pids[0]), 'SIGTERM');
  await t.waitFor('exit=255');
  await t.exitCode();
  const modes = t.output.slice(t.output.indexOf('exit=255'));
  for (const mode of ['icanon', 'echo', 'opost']) assert.match(modes, new RegExp(`(^|\\s)${mode}(\\s|$)`, 'm'), modes);
});
