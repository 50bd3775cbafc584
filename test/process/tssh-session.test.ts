// tssh as a real process against a small in-process SSH server on 127.0.0.1: remote commands, their output,
// stderr and exit status, stdin streamed through, -v lines, configuration by Host alias.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { formatKnownHostLine, hostKeyLookupName } from '@tssh/ssh-protocol/keys';
import { startMiniServer, type MiniServer } from '../helpers/mini-server.js';
import { cleanUp, hostBlock, makeHome, runTssh, writeConfig, type TestHome } from '../helpers/tssh-process.js';

const servers: MiniServer[] = [];
after(async () => {
  cleanUp();
  await Promise.all(servers.map((s) => s.close()));
});

/** A server that knows the home's key, and a home that knows the server's host key. */
async function setUp(extraConfig: string[] = []): Promise<{ server: MiniServer; home: TestHome }> {
  const home = makeHome();
  const server = await startMiniServer({ authorizedKeys: [home.key.publicKey] });
  servers.push(server);
  writeConfig(home, hostBlock(server.port, extraConfig));
  writeFileSync(home.knownHosts, `${formatKnownHostLine(hostKeyLookupName('127.0.0.1', server.port), server.hostKey.publicKey)}\n`);
  return { server, home };
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

test('a command: stdout, stderr and exit status come back', async () => {
  const { server, home } = await setUp();
  const r = await runTssh(home, ['testhost', 'echo out; echo err >&2; exit 7']);
  assert.equal(r.stdout.toString(), 'out\n');
  assert.equal(r.stderr, 'err\n');
  assert.equal(r.code, 7);
  assert.deepEqual(server.commands, ['echo out; echo err >&2; exit 7']);
  assert.ok(!server.requests.includes('pty-req'), 'no pty without a terminal');
});

test('command words are joined with spaces, as ssh does; exit status 0', async () => {
  const { server, home } = await setUp();
  const r = await runTssh(home, ['testhost', 'printf', "'%s-%s\\n'", 'a', 'b']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.toString(), 'a-b\n');
  assert.deepEqual(server.commands, ["printf '%s-%s\\n' a b"]);
});

test('options after the destination are read; words after the command are not', async () => {
  const { server, home } = await setUp();
  const r = await runTssh(home, ['testhost', '-q', 'echo', '-n', 'x']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.toString(), 'x');
  assert.deepEqual(server.commands, ['echo -n x']);
});

test('stdin is streamed to the command and back (3 MiB, SHA-256 checked)', async () => {
  const { home } = await setUp();
  const input = randomBytes(3 * 1024 * 1024 + 17);
  const r = await runTssh(home, ['testhost', 'cat'], { input });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.length, input.length);
  assert.equal(sha256(r.stdout), sha256(input));
});

test('stdin reaches a command that counts it; EOF ends it', async () => {
  const { home } = await setUp();
  const input = randomBytes(2 * 1024 * 1024);
  const r = await runTssh(home, ['testhost', 'sha256sum'], { input });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString().split(' ')[0], sha256(input));
});

test('-n: stdin is /dev/null, the command sees EOF at once', async () => {
  const { home } = await setUp();
  const r = await runTssh(home, ['-n', 'testhost', 'wc -c'], { keepStdinOpen: true });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString().trim(), '0');
});

test('a remote command killed by a signal: exit status 255, as ssh', async () => {
  const { home } = await setUp();
  const r = await runTssh(home, ['testhost', 'kill -KILL $$']);
  assert.equal(r.code, 255);
});

test('-v prints the debug1 lines of the connection', async () => {
  const { server, home } = await setUp();
  const r = await runTssh(home, ['-v', 'testhost', 'exit 3']);
  assert.equal(r.code, 3);
  const port = server.port;
  for (const line of [
    `debug1: Reading configuration data ${home.config}`,
    `debug1: Connecting to 127.0.0.1 [127.0.0.1] port ${port}.`,
    'debug1: Connection established.',
    'debug1: Remote protocol version 2.0, remote software version tssh_0.1',
    'debug1: kex: algorithm: ',
    'debug1: Server host key: ssh-ed25519 SHA256:',
    `debug1: Host '[127.0.0.1]:${port}' is known and matches the ED25519 host key.`,
    `debug1: Found key in ${home.knownHosts}:1`,
    'debug1: Authentications that can continue: publickey',
    'debug1: Authentication succeeded (publickey).',
    `Authenticated to 127.0.0.1 ([127.0.0.1]:${port}) using "publickey".`,
    'debug1: Sending command: exit 3',
    'debug1: Exit status 3',
  ]) {
    assert.ok(r.stderr.includes(line), `missing ${JSON.stringify(line)} in:\n${r.stderr}`);
  }
});

test('-o and -p take precedence over the file; -l sets the user', async () => {
  const { server, home } = await setUp(['User nobody-from-config']);
  const r = await runTssh(home, ['-v', '-l', 'alice', '-o', `Port=${server.port}`, '-p', '1', 'testhost', 'true']);
  // As with ssh, -p wins over -o Port: both come before the file, and -p is set first.
  assert.equal(r.code, 255);
  assert.match(r.stderr, /connect to host 127\.0\.0\.1 port 1: Connection refused/);
  const ok = await runTssh(home, ['-v', '-l', 'alice', 'testhost', 'true']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, new RegExp(`Authenticating to 127\\.0\\.0\\.1:${server.port} as 'alice'`));
});

test('-N: no session is opened; tssh stays connected until the server goes away', async () => {
  const { server, home } = await setUp();
  const run = runTssh(home, ['-N', 'testhost'], { keepStdinOpen: true });
  await server.loggedIn;
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(server.requests, []);
  await server.close();
  const r = await run;
  assert.equal(r.code, 255);
});
