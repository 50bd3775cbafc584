// tssh's identity files, as a real process against a small server: the default list (id_ed25519, id_ecdsa,
// id_rsa, in that order), PEM and PKCS #8 keys without a `.pub` (read when their turn comes, the passphrase
// asked then on the terminal), and key types tssh lacks skipped without harm.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  defaultSignatureAlgorithms,
  formatKnownHostLine,
  hostKeyLookupName,
  parsePrivateKeyFile,
  type PublicKey,
} from '@tssh/ssh-protocol/keys';
import { startMiniServer, type MiniServer } from '../helpers/mini-server.js';
import { KEY_FIXTURES, keyFixture } from '../helpers/key-fixtures.js';
import { PtyTssh, cleanUp, hostBlock, makeHome, runTssh, writeConfig, type TestHome } from '../helpers/tssh-process.js';

const PASSPHRASE = 'correct horse battery staple';
const servers: MiniServer[] = [];
after(async () => {
  cleanUp();
  await Promise.all(servers.map((s) => s.close()));
});

async function setUp(authorized: PublicKey[]): Promise<TestHome> {
  const home = makeHome();
  const server = await startMiniServer({ authorizedKeys: authorized, acceptedAlgorithms: defaultSignatureAlgorithms() });
  servers.push(server);
  writeConfig(home, hostBlock(server.port));
  writeFileSync(home.knownHosts, `${formatKnownHostLine(hostKeyLookupName('127.0.0.1', server.port), server.hostKey.publicKey)}\n`);
  return home;
}

/** A fixture key copied into ~/.ssh under `name`, mode 0600, without its .pub. */
function install(home: TestHome, fixture: string, name: string): string {
  const path = join(home.sshDir, name);
  copyFileSync(join(KEY_FIXTURES, fixture), path);
  chmodSync(path, 0o600);
  return path;
}

test('defaults: id_ed25519, id_ecdsa, id_rsa in that order; a PEM id_rsa without .pub is read at its turn', async () => {
  const rsa = parsePrivateKeyFile(keyFixture('id_rsa_pem'));
  const home = await setUp([rsa.publicKey]);
  install(home, 'id_ecdsa', 'id_ecdsa');
  const rsaPath = install(home, 'id_rsa_pem', 'id_rsa');
  const r = await runTssh(home, ['-v', 'testhost', 'echo pem-in']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), 'pem-in\n');
  const attempts = r.stderr.split('\n').filter((l) => l.startsWith('debug1: Will attempt key: ')).map((l) => l.split(' ')[4]);
  assert.deepEqual(attempts, [home.keyFile, join(home.sshDir, 'id_ecdsa'), rsaPath]);
  assert.match(r.stderr, new RegExp(`^debug1: Trying private key: ${rsaPath}$`, 'm'));
});

test('an encrypted PKCS #8 RSA key without .pub: the passphrase asked on the terminal when its turn comes', async () => {
  const rsa = parsePrivateKeyFile(keyFixture('id_rsa_pkcs8_enc'), PASSPHRASE);
  const home = await setUp([rsa.publicKey]);
  const path = install(home, 'id_rsa_pkcs8_enc', 'work_rsa');
  const t = new PtyTssh(home, ['-i', path, 'testhost', 'echo pkcs8-in']);
  const prompt = `Enter passphrase for key '${path}': `;
  await t.waitFor(prompt);
  t.type(`${PASSPHRASE}\r`);
  assert.equal(await t.exitCode(), 0, t.output);
  assert.ok(t.output.includes('pkcs8-in'));
  assert.ok(!t.output.includes(PASSPHRASE), 'no echo');
});

test('an encrypted ECDSA PEM key with its .pub beside it is offered from the .pub before any passphrase', async () => {
  const ecdsa = parsePrivateKeyFile(keyFixture('id_ecdsa521_pem_enc'), PASSPHRASE);
  const home = await setUp([ecdsa.publicKey]);
  const path = install(home, 'id_ecdsa521_pem_enc', 'pem_ecdsa');
  copyFileSync(join(KEY_FIXTURES, 'id_ecdsa521_pem_enc.pub'), `${path}.pub`);
  // BatchMode: the key is offered from the .pub; signing needs the passphrase, which BatchMode may not ask.
  const r = await runTssh(home, ['-v', '-o', 'BatchMode=yes', '-i', path, 'testhost', 'true']);
  assert.equal(r.code, 255);
  assert.match(r.stderr, /^debug1: Server accepts key: ECDSA SHA256:\S+ /m);
  assert.match(r.stderr, /passphrase needed and BatchMode is set/);
});

test('a key type tssh lacks (DSA) is skipped; the next identity logs in', async () => {
  const ok = await setUp([parsePrivateKeyFile(keyFixture('id_ecdsa')).publicKey]);
  const dsa = install(ok, 'id_dsa', 'id_dsa');
  const ecdsa = install(ok, 'id_ecdsa', 'id_ecdsa');
  const r = await runTssh(ok, ['-v', '-i', dsa, '-i', ecdsa, 'testhost', 'echo after-dsa']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), 'after-dsa\n');
  assert.match(r.stderr, new RegExp(`^debug1: Skipping ${dsa}: unsupported key type ssh-dss$`, 'm'));
});
