// How tssh fails, as a real process: the one line ssh prints and exit status 255 for a refused or dropped
// connection, refused authentication and bad configuration; identity file warnings; passphrase-protected keys.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import { Ed25519PrivateKey, formatKnownHostLine, hostKeyLookupName, serializePrivateKey } from '@tssh/ssh-protocol/keys';
import { startMiniServer, type MiniServer } from '../helpers/mini-server.js';
import { PtyTssh, cleanUp, hostBlock, makeHome, runTssh, writeConfig, type TestHome } from '../helpers/tssh-process.js';

const servers: MiniServer[] = [];
const plain: Server[] = [];
after(async () => {
  cleanUp();
  await Promise.all(servers.map((s) => s.close()));
  for (const s of plain) s.close();
});

/** A server; `authorize` says whether it accepts the home's key. The home knows the host key. */
async function setUp(authorize = true, extraConfig: string[] = []): Promise<{ server: MiniServer; home: TestHome }> {
  const home = makeHome();
  const server = await startMiniServer({ authorizedKeys: authorize ? [home.key.publicKey] : [] });
  servers.push(server);
  writeConfig(home, hostBlock(server.port, extraConfig));
  writeFileSync(home.knownHosts, `${formatKnownHostLine(hostKeyLookupName('127.0.0.1', server.port), server.hostKey.publicKey)}\n`);
  return { server, home };
}

/** A port nobody listens on: bound, noted, released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('connection refused: ssh\'s line, exit 255', async () => {
  const home = makeHome();
  const port = await closedPort();
  const r = await runTssh(home, ['-p', String(port), '127.0.0.1', 'true']);
  assert.equal(r.code, 255);
  assert.equal(r.stderr, `ssh: connect to host 127.0.0.1 port ${port}: Connection refused\n`);
});

test('-q hides the connection error but not the exit status', async () => {
  const home = makeHome();
  const port = await closedPort();
  const r = await runTssh(home, ['-q', '-p', String(port), '127.0.0.1', 'true']);
  assert.equal(r.code, 255);
  assert.equal(r.stderr, '');
});

test('a server that closes the connection at once: "Connection closed by HOST port PORT"', async () => {
  const home = makeHome();
  const server = createServer((socket) => socket.end());
  plain.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const r = await runTssh(home, ['-p', String(port), '127.0.0.1', 'true']);
  assert.equal(r.code, 255);
  assert.equal(r.stderr, `Connection closed by 127.0.0.1 port ${port}\n`);
});

test('ConnectTimeout bounds the wait for a server that never speaks', async () => {
  const home = makeHome();
  const server = createServer(() => {});
  plain.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const started = Date.now();
  const r = await runTssh(home, ['-o', 'ConnectTimeout=1', '-p', String(port), '127.0.0.1', 'true']);
  assert.equal(r.code, 255);
  assert.equal(r.stderr, 'Connection timed out during banner exchange\n');
  // Well under the 20 s after which the test kills tssh (generous: a loaded machine starts node slowly).
  assert.ok(Date.now() - started < 15_000);
});

test('refused authentication: "USER@HOST: Permission denied (publickey)."', async () => {
  const { server, home } = await setUp(false);
  const r = await runTssh(home, ['-l', 'alice', 'testhost', 'echo never']);
  assert.equal(r.code, 255);
  assert.equal(r.stderr, 'alice@127.0.0.1: Permission denied (publickey).\n');
  assert.deepEqual(server.commands, []);
});

test('an -i file that cannot be read is reported; the default key is still used', async () => {
  const { home } = await setUp();
  const missing = join(home.dir, 'nope');
  const r = await runTssh(home, ['-i', missing, 'testhost', 'echo in']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, `Warning: Identity file ${missing} not accessible: No such file or directory.\n`);
  assert.equal(r.stdout.toString(), 'in\n');
});

test('-i names the key to use: another key is then not offered from the defaults', async () => {
  const { home } = await setUp();
  const other = join(home.dir, 'other_key');
  writeFileSync(other, serializePrivateKey(new Ed25519PrivateKey(systemRandom(32)), { random: systemRandom }), { mode: 0o600 });
  const r = await runTssh(home, ['-l', 'bob', '-i', other, 'testhost', 'true']);
  assert.equal(r.code, 255);
  assert.equal(r.stderr, 'bob@127.0.0.1: Permission denied (publickey).\n');
});

test('a private key readable by others is refused with ssh\'s warning', async () => {
  const { home } = await setUp();
  chmodSync(home.keyFile, 0o644);
  const r = await runTssh(home, ['-l', 'carol', 'testhost', 'true']);
  assert.equal(r.code, 255);
  assert.ok(r.stderr.includes('WARNING: UNPROTECTED PRIVATE KEY FILE!'), r.stderr);
  assert.ok(r.stderr.includes(`Permissions 0644 for '${home.keyFile}' are too open.`));
  assert.ok(r.stderr.endsWith('carol@127.0.0.1: Permission denied (publickey).\n'));
});

test('a bad configuration line: "FILE line N: ...", exit 255, no connection', async () => {
  const home = makeHome(['Host *', '  NoSuchKeyword yes']);
  const r = await runTssh(home, ['127.0.0.1', 'true']);
  assert.equal(r.code, 255);
  assert.equal(r.stderr, `${home.config} line 2: Bad configuration option: nosuchkeyword\n`);
});

test('an unknown host name: "Could not resolve hostname"', async () => {
  const home = makeHome();
  const r = await runTssh(home, ['no-such-host.invalid', 'true']);
  assert.equal(r.code, 255);
  assert.match(r.stderr, /^ssh: Could not resolve hostname no-such-host\.invalid: .+\n$/);
});

test('a usage error prints the usage and exits 255', async () => {
  const home = makeHome();
  const r = await runTssh(home, ['-Z', 'host']);
  assert.equal(r.code, 255);
  assert.match(r.stderr, /unknown option -- Z\nusage: tssh /);
});

test('an encrypted key: the passphrase is asked on the terminal, without echo', async () => {
  const { home } = await setUp();
  writeFileSync(home.keyFile, serializePrivateKey(home.key, { random: systemRandom, passphrase: 'open sesame', rounds: 2 }));
  const t = new PtyTssh(home, ['testhost', 'echo unlocked']);
  const prompt = `Enter passphrase for key '${home.keyFile}': `;
  await t.waitFor(prompt);
  t.type('wrong\r');
  await t.waitFor(`${prompt}\r\n${prompt}`);
  t.type('open sesame\r');
  assert.equal(await t.exitCode(), 0, t.output);
  assert.ok(t.output.includes('unlocked'));
  assert.ok(!t.output.includes('wrong') && !t.output.includes('open sesame'), 'no echo');
});

test('an encrypted key in BatchMode: not asked, authentication fails', async () => {
  const { home } = await setUp(true, ['BatchMode yes']);
  writeFileSync(home.keyFile, serializePrivateKey(home.key, { random: systemRandom, passphrase: 'pw', rounds: 2 }));
  const r = await runTssh(home, ['-l', 'dave', 'testhost', 'true']);
  assert.equal(r.code, 255);
  assert.equal(r.stderr, 'dave@127.0.0.1: Permission denied (publickey).\n');
});
