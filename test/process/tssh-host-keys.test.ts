// tssh's known_hosts checking as a real process: StrictHostKeyChecking yes / accept-new / no / ask, the
// question answered on a real pseudo-terminal, and the refusal of a changed key.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import {
  Ed25519PrivateKey,
  fingerprintSha256,
  formatKnownHostLine,
  parseKnownHosts,
  checkKnownHost,
} from '@tssh/ssh-protocol/keys';
import { startMiniServer, type MiniServer } from '../helpers/mini-server.js';
import { PtyTssh, cleanUp, hostBlock, makeHome, runTssh, writeConfig, type TestHome } from '../helpers/tssh-process.js';

const servers: MiniServer[] = [];
after(async () => {
  cleanUp();
  await Promise.all(servers.map((s) => s.close()));
});

const PROMPT = 'Are you sure you want to continue connecting (yes/no)? ';

async function setUp(extraConfig: string[] = []): Promise<{ server: MiniServer; home: TestHome; name: string }> {
  const home = makeHome();
  const server = await startMiniServer({ authorizedKeys: [home.key.publicKey] });
  servers.push(server);
  writeConfig(home, hostBlock(server.port, extraConfig));
  return { server, home, name: `[127.0.0.1]:${server.port}` };
}

function knownStatus(home: TestHome, name: string, server: MiniServer): string {
  if (!existsSync(home.knownHosts)) return 'no file';
  const entries = parseKnownHosts(readFileSync(home.knownHosts, 'latin1')).entries;
  return checkKnownHost(entries, name, server.hostKey.publicKey).status;
}

test('accept-new: a first contact is added with a warning, and found the second time', async () => {
  const { server, home, name } = await setUp(['StrictHostKeyChecking accept-new']);
  const first = await runTssh(home, ['testhost', 'echo first']);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout.toString(), 'first\n');
  assert.equal(first.stderr, `Warning: Permanently added '${name}' (ED25519) to the list of known hosts.\n`);
  const text = readFileSync(home.knownHosts, 'latin1');
  assert.equal(text, `${formatKnownHostLine(name, server.hostKey.publicKey)}\n`);
  assert.equal((statSync(home.sshDir).mode & 0o777).toString(8), '700');

  const second = await runTssh(home, ['-v', 'testhost', 'echo second']);
  assert.equal(second.code, 0, second.stderr);
  assert.ok(!second.stderr.includes('Permanently added'));
  assert.ok(second.stderr.includes(`Found key in ${home.knownHosts}:1`), second.stderr);
  assert.equal(readFileSync(home.knownHosts, 'latin1'), text, 'nothing added the second time');
});

test('accept-new with HashKnownHosts: the name is stored hashed and still found', async () => {
  const { server, home, name } = await setUp(['StrictHostKeyChecking accept-new', 'HashKnownHosts yes']);
  assert.equal((await runTssh(home, ['testhost', 'true'])).code, 0);
  const text = readFileSync(home.knownHosts, 'latin1');
  assert.match(text, /^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 /);
  assert.ok(!text.includes('127.0.0.1'));
  assert.equal(knownStatus(home, name, server), 'found');
  const again = await runTssh(home, ['testhost', 'true']);
  assert.equal(again.code, 0);
  assert.equal(again.stderr, '');
});

test('StrictHostKeyChecking yes: an unknown host is refused, nothing is run or written', async () => {
  const { server, home } = await setUp(['StrictHostKeyChecking yes']);
  const r = await runTssh(home, ['testhost', 'echo never']);
  assert.equal(r.code, 255);
  assert.equal(
    r.stderr,
    'No ED25519 host key is known for 127.0.0.1 and you have requested strict checking.\nHost key verification failed.\n',
  );
  assert.equal(r.stdout.length, 0);
  assert.deepEqual(server.commands, []);
  assert.equal(existsSync(home.knownHosts), false);
});

test('StrictHostKeyChecking no: an unknown host is added and the command runs', async () => {
  const { server, home, name } = await setUp(['StrictHostKeyChecking no']);
  const r = await runTssh(home, ['testhost', 'echo ok']);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /Warning: Permanently added/);
  assert.equal(knownStatus(home, name, server), 'found');
});

test('ask without a terminal: refused with a line saying there is nobody to ask', async () => {
  const { server, home } = await setUp();
  const r = await runTssh(home, ['testhost', 'echo never']);
  assert.equal(r.code, 255);
  const fp = fingerprintSha256(server.hostKey.publicKey);
  assert.ok(r.stderr.startsWith(`Host key not found from the list of known hosts.\nED25519 key fingerprint is ${fp}.\n`), r.stderr);
  assert.match(r.stderr, /no terminal to ask/);
  assert.ok(r.stderr.endsWith('Host key verification failed.\n'));
  assert.deepEqual(server.commands, []);
});

test('ask with BatchMode: refused without asking', async () => {
  const { home } = await setUp(['BatchMode yes']);
  const r = await runTssh(home, ['testhost', 'true']);
  assert.equal(r.code, 255);
  assert.match(r.stderr, /BatchMode/);
  assert.ok(r.stderr.endsWith('Host key verification failed.\n'));
});

for (const mode of ['yes', 'ask', 'accept-new', 'no']) {
  test(`a changed host key is refused with StrictHostKeyChecking ${mode}`, async () => {
    const { server, home, name } = await setUp([`StrictHostKeyChecking ${mode}`]);
    const other = new Ed25519PrivateKey(systemRandom(32));
    const before = [
      formatKnownHostLine('unrelated.example', other.publicKey),
      formatKnownHostLine(name, other.publicKey),
      '',
    ].join('\n');
    writeFileSync(home.knownHosts, before);
    const r = await runTssh(home, ['testhost', 'echo never']);
    assert.equal(r.code, 255);
    assert.equal(r.stdout.length, 0);
    assert.deepEqual(server.commands, []);
    const fp = fingerprintSha256(server.hostKey.publicKey);
    const lines = r.stderr.split('\n');
    assert.equal(lines[0], '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@');
    assert.equal(lines[1], '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @');
    assert.ok(r.stderr.includes('WARNING: HOST IDENTIFICATION HAS CHANGED!'));
    assert.ok(r.stderr.includes('IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!'));
    assert.ok(r.stderr.includes(`The fingerprint for the ED25519 key sent by the remote host is\n${fp}.\n`));
    assert.ok(r.stderr.includes(`Add correct host key in ${home.knownHosts} to get rid of this message.`));
    assert.ok(r.stderr.includes(`Offending ED25519 key in ${home.knownHosts}:2\n`), r.stderr);
    assert.ok(r.stderr.includes('Host key for 127.0.0.1 has changed'));
    assert.ok(r.stderr.endsWith('Host key verification failed.\n'));
    assert.equal(readFileSync(home.knownHosts, 'latin1'), before, 'known_hosts untouched');
  });
}

/** Runs tssh on a pty with StrictHostKeyChecking ask and types `answer` at the question. */
async function answerOnPty(answer: string) {
  const { server, home, name } = await setUp();
  const t = new PtyTssh(home, ['testhost', 'echo connected']);
  await t.waitFor(PROMPT);
  const fp = fingerprintSha256(server.hostKey.publicKey);
  assert.ok(t.output.includes('Host key not found from the list of known hosts.'), t.output);
  assert.ok(t.output.includes(`ED25519 key fingerprint is ${fp}.`), t.output);
  t.type(`${answer}\r`);
  const code = await t.exitCode();
  return { code, output: t.output, known: knownStatus(home, name, server), server, name };
}

test('ask on a terminal: "yes" accepts, stores the key and runs the command', async () => {
  const r = await answerOnPty('yes');
  assert.equal(r.code, 0, r.output);
  assert.ok(r.output.includes(`Warning: Permanently added '${r.name}' (ED25519) to the list of known hosts.`));
  assert.ok(r.output.includes('connected'));
  assert.equal(r.known, 'found');
  assert.deepEqual(r.server.commands, ['echo connected']);
});

for (const answer of ['YES', 'no', 'Yes', '']) {
  test(`ask on a terminal: ${JSON.stringify(answer)} refuses`, async () => {
    const r = await answerOnPty(answer);
    assert.equal(r.code, 255, r.output);
    assert.ok(r.output.includes('Host key verification failed.'), r.output);
    assert.ok(!r.output.includes('connected\r\n'));
    assert.equal(r.known, 'no file');
    assert.deepEqual(r.server.commands, []);
  });
}
