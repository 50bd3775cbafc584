// A third implementation against tsshd: curl's sftp:// and scp:// go through libssh2 (Debian's curl is built with
// it), a library with its own algorithm lists, key parsing and SFTP client. Its host key check is pinned to our
// host key's SHA-256 (--hostpubsha256), so libssh2 has verified our signature; files go up and down both ways,
// checked by SHA-256, and curl's SFTP quote commands exercise the requests a file manager sends. Its key types
// too: ECDSA, and RSA, which libssh2 1.10 signs with SHA-1 only (refused until the configuration allows ssh-rsa;
// the last test changes the shared server's configuration, so it stays last).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peerBinary, run, tempDir, type RunResult } from '../helpers/processes.js';
import { startTsshd, type RunningServer } from '../helpers/servers.js';
import { sha256 } from '../helpers/channel-traffic.js';

const curl = peerBinary('/usr/bin/curl');
const tmp = tempDir('libssh2-tsshd-');
let server: RunningServer;
/** What `curl -V` says, when curl is there: its SSH library and protocols. */
const curlVersion = curl.skip ? '' : (await run('curl', ['-V'])).stdout.toString();

before(async () => {
  server = await startTsshd({ config: ['Subsystem sftp internal-sftp'] });
});
after(async () => {
  await server?.stop();
  tmp.cleanup();
});


function skipReason(): string | false {
  if (curl.skip) return curl.skip;
  if (!/libssh2\//.test(curlVersion) || !/\bsftp\b/.test(curlVersion)) return 'curl is not built with libssh2 (sftp, scp)';
  return false;
}

/** The OpenSSH-style SHA-256 fingerprint of a public key file, as curl's --hostpubsha256 takes it (no padding). */
function fingerprint(publicKeyFile: string): string {
  const blob = Buffer.from(readFileSync(publicKeyFile, 'utf8').split(' ')[1], 'base64');
  return createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

function curlRun(args: string[], key = server.userKey.privateKey): Promise<RunResult> {
  return run('curl', [
    '--silent',
    '--show-error',
    '--hostpubsha256',
    fingerprint(server.hostKey.publicKey),
    '--key',
    key,
    '--pubkey',
    `${key}.pub`,
    ...args,
  ]);
}

const url = (scheme: 'sftp' | 'scp', path: string): string => `${scheme}://${server.user}@127.0.0.1:${server.port}${path}`;

test('libssh2 (curl): SFTP and SCP get and put, each checked by SHA-256, with our host key pinned', { skip: skipReason() }, async () => {
  const dir = join(tmp.path, 'files');
  mkdirSync(dir);
  const data = randomBytes(5 * 1024 * 1024 + 11);
  writeFileSync(join(dir, 'source.bin'), data);

  for (const scheme of ['sftp', 'scp'] as const) {
    const up = await curlRun(['--upload-file', join(dir, 'source.bin'), url(scheme, join(dir, `up-${scheme}.bin`))]);
    assert.equal(up.code, 0, `${scheme} put: ${up.stderr}\n${server.log().slice(-2000)}`);
    assert.equal(sha256(readFileSync(join(dir, `up-${scheme}.bin`))), sha256(data), `${scheme} put`);
    const down = await curlRun(['--output', join(dir, `down-${scheme}.bin`), url(scheme, join(dir, 'source.bin'))]);
    assert.equal(down.code, 0, `${scheme} get: ${down.stderr}`);
    assert.equal(sha256(readFileSync(join(dir, `down-${scheme}.bin`))), sha256(data), `${scheme} get`);
  }
  const empty = join(dir, 'empty');
  writeFileSync(empty, '');
  const none = await curlRun(['--output', join(dir, 'empty-back'), url('sftp', empty)]);
  assert.equal(none.code, 0, none.stderr);
  assert.equal(statSync(join(dir, 'empty-back')).size, 0);
});

test('libssh2 (curl): a directory listing, and quote commands (mkdir, rename, chmod, symlink, rm, rmdir)', { skip: skipReason() }, async () => {
  const dir = join(tmp.path, 'quote');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a file ü.txt'), 'hello');
  const listing = await curlRun([url('sftp', `${dir}/`)]);
  assert.equal(listing.code, 0, listing.stderr);
  // Long names as ls -l makes them: mode, links, owner, group, size, date, name.
  assert.match(listing.stdout.toString(), /^-rw-\S+\s+1\s+\S+\s+\S+\s+5 \w{3} [ \d]\d [\d ]\d:?\d\d a file ü\.txt$/m);

  const quoted = await curlRun([
    ...['--quote', `mkdir ${dir}/made`],
    ...['--quote', `rename "${dir}/a file ü.txt" ${dir}/made/moved.txt`],
    ...['--quote', `chmod 640 ${dir}/made/moved.txt`],
    ...['--quote', `symlink ${dir}/made/moved.txt ${dir}/link`],
    url('sftp', `${dir}/`),
  ]);
  assert.equal(quoted.code, 0, quoted.stderr);
  assert.equal(readFileSync(join(dir, 'made/moved.txt'), 'utf8'), 'hello');
  assert.equal(statSync(join(dir, 'made/moved.txt')).mode & 0o777, 0o640);
  assert.equal(readlinkSync(join(dir, 'link')), join(dir, 'made/moved.txt'));

  const removed = await curlRun([
    ...['--quote', `rm ${dir}/link`],
    ...['--quote', `rm ${dir}/made/moved.txt`],
    ...['--quote', `rmdir ${dir}/made`],
    url('sftp', `${dir}/`),
  ]);
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(existsSync(join(dir, 'made')), false);
  assert.throws(() => lstatSync(join(dir, 'link')));

  // A failing request comes back as an SFTP status that curl reports, and the session ends cleanly.
  const failing = await curlRun(['--quote', `rmdir ${dir}/nothing-here`, url('sftp', `${dir}/`)]);
  assert.notEqual(failing.code, 0);
  assert.match(failing.stderr.toString(), /QUOT command failed|No such file/i);
});

test('libssh2 (curl): a wrong pinned host key is refused by the client; an unknown user key by tsshd', { skip: skipReason() }, async () => {
  const pinned = await run('curl', [
    '--silent',
    '--show-error',
    '--hostpubsha256',
    'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    '--key',
    server.userKey.privateKey,
    '--pubkey',
    server.userKey.publicKey,
    url('sftp', '/'),
  ]);
  assert.notEqual(pinned.code, 0);
  assert.match(pinned.stderr.toString(), /host key|hostkey|fingerprint|SHA256/i);

  const stranger = join(tmp.path, 'stranger');
  const made = await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
  assert.equal(made.code, 0, made.stderr);
  const refused = await curlRun([url('sftp', '/')], stranger);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr.toString(), /auth|username|password/i);
  assert.match(server.log(), /Connection closed by authenticating user|Failed publickey|Disconnected from authenticating user/);
});

/** libssh2's version from `curl -V` as [major, minor]. */
function libssh2Version(): [number, number] {
  const m = /libssh2\/(\d+)\.(\d+)/.exec(curlVersion);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

test('libssh2 (curl): ECDSA user keys; RSA signed with ssh-rsa (SHA-1) refused unless PubkeyAcceptedAlgorithms names it', { skip: skipReason() }, async () => {
  const keys: Record<string, string> = {};
  for (const type of ['ecdsa', 'rsa']) {
    keys[type] = join(tmp.path, `id_${type}`);
    const made = await run('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', keys[type]]);
    assert.equal(made.code, 0, made.stderr);
    appendFileSync(join(server.dir, 'authorized_keys'), readFileSync(`${keys[type]}.pub`));
  }
  const ecdsa = await curlRun([url('sftp', join(server.dir, 'authorized_keys'))], keys.ecdsa);
  assert.equal(ecdsa.code, 0, ecdsa.stderr);
  assert.match(server.log(), /Accepted publickey for \S+ from 127\.0\.0\.1 port \d+ ssh2: ECDSA SHA256:/);

  // libssh2 before 1.11 signs with an RSA key only as ssh-rsa (SHA-1), which OpenSSH 8.8 and later (and tsshd) do
  // not accept by default; 1.11 signs with rsa-sha2-256/512 when the server's EXT_INFO lists them.
  const [major, minor] = libssh2Version();
  const sha1Only = major === 1 && minor < 11;
  const before = await curlRun([url('sftp', join(server.dir, 'authorized_keys'))], keys.rsa);
  if (sha1Only) {
    assert.notEqual(before.code, 0);
    assert.match(server.log(), /signature algorithm ssh-rsa not accepted for RSA SHA256:/);
  } else {
    assert.equal(before.code, 0, before.stderr);
  }
  // tsshd-session reads its configuration afresh for every connection: the next one accepts ssh-rsa.
  appendFileSync(join(server.dir, 'sshd_config'), 'PubkeyAcceptedAlgorithms +ssh-rsa\n');
  const after = await curlRun([url('sftp', join(server.dir, 'authorized_keys'))], keys.rsa);
  assert.equal(after.code, 0, after.stderr);
  assert.match(server.log(), /Accepted publickey for \S+ from 127\.0\.0\.1 port \d+ ssh2: RSA SHA256:/);
});
