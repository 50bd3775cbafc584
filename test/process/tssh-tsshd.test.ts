// Our tssh against our tsshd (listener + tsshd-session) on 127.0.0.1: the whole product end to end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, run, tempDir } from '../helpers/processes.js';
import { startTsshd, type RunningServer } from '../helpers/servers.js';

let server: RunningServer;
const home = tempDir('tssh-home-');

before(async () => {
  server = await startTsshd();
});
after(async () => {
  await server?.stop();
  home.cleanup();
});

/** tssh options for the test server: no config file, a HOME of its own, the test key, known_hosts in the server dir. */
function tsshArgs(extra: string[] = []): string[] {
  return [
    BIN.tssh,
    '-F', 'none',
    '-o', `UserKnownHostsFile=${join(server.dir, 'tssh_known_hosts')}`,
    '-i', server.userKey.privateKey,
    '-p', String(server.port),
    ...extra,
    `${server.user}@127.0.0.1`,
  ];
}

const env = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: home.path });

test('first contact (accept-new), then output, stderr and exit status', async () => {
  const r = await run(process.execPath, [...tsshArgs(['-o', 'StrictHostKeyChecking=accept-new']), 'echo out; echo err >&2; exit 7'], { env: env() });
  assert.equal(r.stdout.toString(), 'out\n');
  assert.match(r.stderr, /^Warning: Permanently added '\[127\.0\.0\.1\]:\d+' \(ED25519\) to the list of known hosts\.$/m);
  assert.match(r.stderr, /^err$/m);
  assert.equal(r.code, 7);
  const hostPub = readFileSync(server.hostKey.publicKey, 'latin1').split(' ').slice(0, 2).join(' ');
  assert.equal(readFileSync(join(server.dir, 'tssh_known_hosts'), 'latin1'), `[127.0.0.1]:${server.port} ${hostPub}\n`);
});

test('8 MiB through stdin and back, SHA-256 equal; known host found', async () => {
  const data = randomBytes(8 << 20);
  const r = await run(process.execPath, [...tsshArgs(['-o', 'StrictHostKeyChecking=yes']), 'cat'], { env: env(), input: data, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(createHash('sha256').update(r.stdout).digest('hex'), createHash('sha256').update(data).digest('hex'));
});

test('a key the server does not accept: Permission denied, with the methods the server offers', async () => {
  // Without a terminal there is nobody to ask for a password: those methods are given up at once.
  const args = tsshArgs(['-o', 'StrictHostKeyChecking=yes']).map((a) => (a === server.userKey.privateKey ? server.hostKey.privateKey : a));
  const r = await run(process.execPath, [...args, 'true'], { env: env(), detached: true });
  assert.equal(r.code, 255);
  assert.match(r.stderr, new RegExp(`^${server.user}@127\\.0\\.0\\.1: Permission denied \\(publickey[a-z,-]*\\)\\.\\n$`));
});
