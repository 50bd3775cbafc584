// tssh on a real pseudo-terminal with no command: pty-req with $TERM and the size, a shell, the local terminal
// in raw mode during the session (keys go to the server unechoed), window changes, and the terminal restored.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { formatKnownHostLine, hostKeyLookupName } from '@tssh/ssh-protocol/keys';
import { startMiniServer, type MiniServer } from '../helpers/mini-server.js';
import { PtyTssh, cleanUp, hostBlock, makeHome, writeConfig, type TestHome } from '../helpers/tssh-process.js';
import { pollFor } from '../helpers/poll.js';

const servers: MiniServer[] = [];
after(async () => {
  cleanUp();
  await Promise.all(servers.map((s) => s.close()));
});

const SHELL = 'echo ready; read line; echo "got:$line"; read again; echo "then:$again"; exit 5';

async function setUp(): Promise<{ server: MiniServer; home: TestHome }> {
  const home = makeHome();
  const server = await startMiniServer({ authorizedKeys: [home.key.publicKey], shellCommand: SHELL });
  servers.push(server);
  writeConfig(home, hostBlock(server.port));
  writeFileSync(home.knownHosts, `${formatKnownHostLine(hostKeyLookupName('127.0.0.1', server.port), server.hostKey.publicKey)}\n`);
  return { server, home };
}

async function waitUntil(what: string, check: () => boolean): Promise<void> {
  await pollFor(what, check);
}

test('no command on a terminal: pty-req and shell, raw mode, window-change, terminal restored', async () => {
  const { server, home } = await setUp();
  const t = new PtyTssh(home, ['testhost'], { afterwards: 'stty -a' });
  await t.waitFor('ready');
  assert.deepEqual(server.requests.slice(0, 2), ['pty-req', 'shell']);
  assert.deepEqual(server.ptyRequests, [{ term: 'xterm', cols: 100, rows: 30 }]);

  // Raw mode: the local terminal neither echoes nor edits; the server (no pty here) echoes nothing either. And
  // no output processing: the server's bare "\n" is not turned into "\r\n".
  t.type('secret-word\n');
  await t.waitFor('got:secret-word\n');
  assert.equal(t.output.split('secret-word').length - 1, 1, t.output);
  assert.ok(!t.output.includes('got:secret-word\r\n'), JSON.stringify(t.output));

  t.resize(120, 40);
  await waitUntil('window-change', () => server.windowChanges.length > 0);
  assert.deepEqual(server.windowChanges.at(-1), { cols: 120, rows: 40 });

  t.type('bye\n');
  await t.waitFor('then:bye');
  await t.waitFor('exit=5');
  assert.ok(t.output.includes('Connection to 127.0.0.1 closed.'), t.output);
  await t.exitCode();
  // After tssh, `stty -a` shows the terminal back in canonical mode with echo.
  const modes = t.output.slice(t.output.indexOf('exit=5'));
  assert.match(modes, /(^|\s)icanon(\s|$)/m, modes);
  assert.match(modes, /(^|\s)echo(\s|$)/m, modes);
  assert.match(modes, /(^|\s)opost(\s|$)/m, modes);
});

test('-T: no pty is asked for even on a terminal; the shell still runs', async () => {
  const { server, home } = await setUp();
  const t = new PtyTssh(home, ['-T', 'testhost']);
  await t.waitFor('ready');
  assert.deepEqual(server.requests, ['shell']);
  t.type('one\r');
  await t.waitFor('got:one');
  // Not raw: the local terminal echoes what is typed.
  assert.ok(t.output.includes('one\r\n'), t.output);
  t.type('two\r');
  assert.equal(await t.exitCode(), 5);
  assert.ok(!t.output.includes('Connection to 127.0.0.1 closed.'));
});

test('a command on a terminal: no pty unless -t asks for one', async () => {
  const { server, home } = await setUp();
  const plain = new PtyTssh(home, ['testhost', 'exit 0']);
  assert.equal(await plain.exitCode(), 0);
  const forced = new PtyTssh(home, ['-t', 'testhost', 'exit 0']);
  assert.equal(await forced.exitCode(), 0);
  assert.deepEqual(server.requests, ['exec', 'pty-req', 'exec']);
});
