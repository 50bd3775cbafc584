// tssh-keygen as a real process in a throwaway directory and HOME, compared with what OpenSSH's ssh-keygen
// printed for the same fixtures (test/fixtures/keys/*.out).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureHostKeys } from '@tssh/keygen/host-keys';
import { inspectPrivateKeyFile, keyBits, parsePrivateKeyFile, parsePublicKeyLine } from '@tssh/ssh-protocol/keys';
import { bytesEqual } from '@tssh/ssh-protocol/wire';
import { ENC_PASSPHRASE, keyFixture } from '../helpers/key-fixtures.js';
import { keygen, keygenOnTerminal, mode, workDir } from '../helpers/keygen-runner.js';

// Each case starts its own processes in its own directory, so they run side by side.
describe('tssh-keygen', { concurrency: 4 }, () => {
test('generate: files, modes, messages, and a key that reads back', async () => {
  const d = workDir();
  const r = await keygen(d, ['-t', 'ed25519', '-f', 'new_key', '-N', '', '-C', 'me@test']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.split('\n');
  assert.deepEqual(lines.slice(0, 4), [
    'Generating public/private ed25519 key pair.',
    'Your identification has been saved in new_key',
    'Your public key has been saved in new_key.pub',
    'The key fingerprint is:',
  ]);
  assert.match(lines[4], /^SHA256:[A-Za-z0-9+/]{43} me@test$/);
  assert.equal(lines[5], "The key's randomart image is:");
  assert.equal(lines[6], '+--[ED25519 256]--+');
  assert.equal(lines[16], '+----[SHA256]-----+');
  assert.equal(mode(join(d, 'new_key')), 0o600);
  assert.equal(mode(join(d, 'new_key.pub')), 0o644);
  const key = parsePrivateKeyFile(readFileSync(join(d, 'new_key'), 'utf8'));
  const pub = parsePublicKeyLine(readFileSync(join(d, 'new_key.pub'), 'utf8'));
  assert.equal(key.comment, 'me@test');
  assert.equal(pub.comment, 'me@test');
  assert.ok(bytesEqual(key.publicKey.blob, pub.key.blob));
  const l = await keygen(d, ['-l', '-f', 'new_key']);
  assert.equal(l.stdout, `256 ${lines[4]} (ED25519)\n`);
});

test('generate encrypted with -N, -a and -q; -y opens it with -P, and says so when the passphrase is wrong', async () => {
  const d = workDir();
  const g = await keygen(d, ['-q', '-f', 'enc', '-N', 'open sesame', '-a', '3']);
  assert.equal(g.status, 0, g.stderr);
  assert.equal(g.stdout, '');
  const info = inspectPrivateKeyFile(readFileSync(join(d, 'enc'), 'utf8'));
  assert.deepEqual([info.cipher, info.kdf, info.rounds], ['aes256-ctr', 'bcrypt', 3]);
  const y = await keygen(d, ['-y', '-P', 'open sesame', '-f', 'enc']);
  assert.equal(y.status, 0, y.stderr);
  assert.equal(y.stdout, readFileSync(join(d, 'enc.pub'), 'utf8'));
  for (const args of [['-y', '-P', 'wrong', '-f', 'enc'], ['-y', '-f', 'enc']]) {
    const bad = await keygen(d, args);
    assert.equal(bad.status, 1);
    assert.equal(bad.stdout, '');
    assert.equal(bad.stderr, 'Load key "enc": incorrect passphrase supplied to decrypt private key\n');
  }
});

test('generate into the default ~/.ssh/id_ed25519, creating ~/.ssh (0700)', async () => {
  const d = workDir();
  const r = await keygen(d, ['-N', '']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes(`Created directory '${join(d, '.ssh')}'.`));
  assert.equal(mode(join(d, '.ssh')), 0o700);
  assert.ok(existsSync(join(d, '.ssh', 'id_ed25519.pub')));
  assert.match(readFileSync(join(d, '.ssh', 'id_ed25519.pub'), 'utf8'), /^ssh-ed25519 \S+ \S+@\S+\n$/);
});

test('on a terminal: the passphrase is asked twice without echo, again after a mismatch', async () => {
  const d = workDir();
  const r = await keygenOnTerminal(d, ['-f', 'tty_key', '-C', 'tty', '-a', '2'], [
    [/Enter passphrase for "tty_key" \(empty for no passphrase\): /, 'first\r'],
    [/Enter same passphrase again: /, 'other\r'],
    [/Passphrases do not match\.  Try again\.\r?\n/, ''],
    [/Enter passphrase for "tty_key" \(empty for no passphrase\): /, 'sec\u007fcret\r'],
    [/Enter same passphrase again: /, 'secret\r'],
  ]);
  assert.equal(r.status, 0, r.stdout);
  assert.ok(!r.stdout.includes('first') && !r.stdout.includes('secret'), 'passphrases must not be echoed');
  assert.ok(r.stdout.includes('Your identification has been saved in tty_key'));
  assert.equal(parsePrivateKeyFile(readFileSync(join(d, 'tty_key'), 'utf8'), 'secret').comment, 'tty');
});

test('on a terminal: -y asks for the passphrase; overwriting asks y/n', async () => {
  const d = workDir();
  const y = await keygenOnTerminal(d, ['-y', '-f', 'id_ed25519_enc_a2'], [[/Enter passphrase for "id_ed25519_enc_a2": /, 'pw\r']]);
  assert.equal(y.status, 0, y.stdout);
  assert.ok(y.stdout.includes(keyFixture('id_ed25519_enc_a2.pub').trim()));
  const before = readFileSync(join(d, 'id_ed25519'), 'utf8');
  const no = await keygenOnTerminal(d, ['-f', 'id_ed25519', '-N', ''], [[/Overwrite \(y\/n\)\? /, 'n\r']]);
  assert.equal(no.status, 1);
  assert.ok(no.stdout.includes('id_ed25519 already exists.'));
  assert.equal(readFileSync(join(d, 'id_ed25519'), 'utf8'), before);
  chmodSync(join(d, 'id_ed25519'), 0o644);
  const yes = await keygenOnTerminal(d, ['-f', 'id_ed25519', '-N', '', '-C', 'replaced'], [[/Overwrite \(y\/n\)\? /, 'y\r']]);
  assert.equal(yes.status, 0, yes.stdout);
  assert.equal(parsePrivateKeyFile(readFileSync(join(d, 'id_ed25519'), 'utf8')).comment, 'replaced');
  assert.equal(mode(join(d, 'id_ed25519')), 0o600);
});

test('an existing key is not overwritten without a terminal to ask on', async () => {
  const d = workDir();
  const before = readFileSync(join(d, 'id_ed25519'), 'utf8');
  const r = await keygen(d, ['-f', 'id_ed25519', '-N', '']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'id_ed25519 already exists; not overwriting it without a terminal to ask on.\n');
  assert.equal(readFileSync(join(d, 'id_ed25519'), 'utf8'), before);
});

// -l on every fixture prints what ssh-keygen printed.
for (const name of ['id_ed25519', 'id_ed25519.pub', 'id_ed25519_enc_a2', 'id_ecdsa.pub', 'known_hosts', 'known_hosts_hashed', 'authorized_keys']) {
  test(`-l -f ${name} prints ssh-keygen's lines`, async () => {
    const expected = keyFixture(`keygen-l-${name}.out`);
    const r = await keygen(workDir(), ['-l', '-f', name]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, expected);
  });
}

test('-l -E md5 and -lv print the MD5 line and the randomart', async () => {
  const d = workDir();
  assert.equal((await keygen(d, ['-l', '-E', 'md5', '-f', 'id_ed25519.pub'])).stdout, keyFixture('keygen-l-md5-id_ed25519.pub.out'));
  assert.equal((await keygen(d, ['-lv', '-f', 'id_ed25519.pub'])).stdout, keyFixture('keygen-lv-id_ed25519.pub.out'));
});

test('-y prints the public key line of unencrypted and encrypted keys', async () => {
  const d = workDir();
  assert.equal((await keygen(d, ['-y', '-f', 'id_ed25519'])).stdout, keyFixture('keygen-y-id_ed25519.out'));
  assert.equal((await keygen(d, ['-y', '-P', ENC_PASSPHRASE, '-f', 'id_ed25519_enc'])).stdout, keyFixture('keygen-y-id_ed25519_enc.out'));
});

test('-F prints what ssh-keygen -F printed; exit status 1 when the host is not there', async () => {
  const d = workDir();
  for (const [host, file, out] of [
    ['host1.example.com', 'known_hosts', 'keygen-F-host1.out'],
    ['host1.example.com', 'known_hosts_hashed', 'keygen-F-host1-hashed.out'],
    ['[host1.example.com]:2222', 'known_hosts', 'keygen-F-host1-2222.out'],
  ]) {
    const r = await keygen(d, ['-F', host, '-f', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, keyFixture(out), out);
  }
  writeFileSync(join(d, 'kh'), 'present.example.org ' + keyFixture('host_a_ed25519.pub'));
  const none = await keygen(d, ['-F', 'absent.example.org', '-f', 'kh']);
  assert.equal(none.status, 1);
  assert.equal(none.stdout, '');
});

test('-R removes the host like ssh-keygen -R and keeps FILE.old', async () => {
  const d = workDir();
  writeFileSync(join(d, 'known_hosts_R'), keyFixture('known_hosts'));
  const r = await keygen(d, ['-R', 'host1.example.com', '-f', 'known_hosts_R']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, keyFixture('keygen-R-host1.out'));
  assert.equal(r.stderr, '');
  assert.equal(readFileSync(join(d, 'known_hosts_R'), 'utf8'), keyFixture('known_hosts_R'));
  assert.equal(readFileSync(join(d, 'known_hosts_R.old'), 'utf8'), keyFixture('known_hosts'));
  const again = await keygen(d, ['-R', 'host1.example.com', '-f', 'known_hosts_R']);
  assert.equal(again.status, 0);
  assert.equal(again.stderr, 'Host host1.example.com not found in known_hosts_R\n');
});

test('-H hashes like ssh-keygen -H: same messages, same lines up to the salts', async () => {
  const d = workDir();
  writeFileSync(join(d, 'known_hosts_hashed'), keyFixture('known_hosts'));
  const r = await keygen(d, ['-H', '-f', 'known_hosts_hashed']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, keyFixture('keygen-H.out'));
  assert.equal(r.stderr, keyFixture('keygen-H.err').replace(/\r\n/g, '\n'));
  const ours = readFileSync(join(d, 'known_hosts_hashed'), 'utf8').split('\n');
  const theirs = keyFixture('known_hosts_hashed').split('\n');
  assert.deepEqual(ours.map((l) => l.replace(/^\|1\|\S+/, '|1|')), theirs.map((l) => l.replace(/^\|1\|\S+/, '|1|')));
  const found = await keygen(d, ['-F', '192.0.2.1', '-f', 'known_hosts_hashed']);
  assert.match(found.stdout, /^# Host 192\.0\.2\.1 found: line 3 \n\|1\|/);
});

test('-A creates the RSA, ECDSA and ED25519 host keys under the -f prefix once, with modes 0600 and 0644', async () => {
  const d = workDir();
  const r = await keygen(d, ['-A', '-f', d]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'tssh-keygen: generating new host keys: RSA ECDSA ED25519 \n');
  const types: Record<string, [string, number]> = {
    rsa: ['ssh-rsa', 3072],
    ecdsa: ['ecdsa-sha2-nistp256', 256],
    ed25519: ['ssh-ed25519', 256],
  };
  const before: Record<string, string> = {};
  for (const [name, [type, bits]] of Object.entries(types)) {
    const key = join(d, `etc/tssh/ssh_host_${name}_key`);
    assert.equal(mode(key), 0o600);
    assert.equal(mode(`${key}.pub`), 0o644);
    before[name] = readFileSync(key, 'utf8');
    const parsed = parsePrivateKeyFile(before[name]);
    assert.equal(parsed.publicKey.type, type);
    assert.equal(keyBits(parsed.publicKey), bits);
  }
  const again = await keygen(d, ['-A', '-f', d]);
  assert.equal(again.stdout, '');
  for (const name of Object.keys(types)) assert.equal(readFileSync(join(d, `etc/tssh/ssh_host_${name}_key`), 'utf8'), before[name]);
});

test('ensureHostKeys creates only what is missing or empty, and reports what it made', async () => {
  const d = workDir();
  const a = { type: 'ed25519', path: join(d, 'state/keys/ssh_host_ed25519_key') };
  const b = { type: 'ecdsa', path: join(d, 'empty_key') };
  writeFileSync(b.path, '');
  const lines: string[] = [];
  const created = await ensureHostKeys([a, b, { type: 'ed25519', path: join(d, 'id_ed25519') }], { info: (m) => lines.push(m) });
  assert.deepEqual(created, [
    { path: a.path, label: 'ED25519' },
    { path: b.path, label: 'ECDSA' },
  ]);
  assert.deepEqual(lines, [`Generated ED25519 host key ${a.path}`, `Generated ECDSA host key ${b.path}`]);
  assert.equal(mode(a.path), 0o600);
  const made = parsePrivateKeyFile(readFileSync(b.path, 'utf8'));
  assert.equal(made.publicKey.type, 'ecdsa-sha2-nistp256');
  assert.ok(bytesEqual(made.publicKey.blob, parsePublicKeyLine(readFileSync(`${b.path}.pub`, 'utf8')).key.blob));
  assert.deepEqual(await ensureHostKeys([a, b]), []);
});

const ERRORS: ReadonlyArray<readonly [string[], string]> = [
  [['-l', '-f', '/nonexistent/key'], 'tssh-keygen: /nonexistent/key: No such file or directory\n'],
  [['-y', '-f', '/nonexistent/key'], 'tssh-keygen: /nonexistent/key: No such file or directory\n'],
  [['-y', '-f', 'known_hosts'], 'Load key "known_hosts": invalid format\n'],
  [['-y', '-f', 'id_dsa'], 'Load key "id_dsa": unknown or unsupported key type\n'],
  [['-l', '-f', 'make-fixtures.sh'], 'make-fixtures.sh is not a public key file.\n'],
  [['-t', 'dsa', '-f', 'x', '-N', ''], 'unknown key type dsa\n'],
  [['-t', 'ecdsa', '-b', '300', '-f', 'x', '-N', ''], 'Invalid ECDSA key length: valid lengths are 256, 384 or 521 bits\n'],
  [['-t', 'rsa', '-b', '1023', '-f', 'x', '-N', ''], 'Invalid RSA key length: minimum is 1024 bits\n'],
  [['-t', 'rsa', '-b', '16385', '-f', 'x', '-N', ''], 'Invalid RSA key length: maximum is 16384 bits\n'],
  [['-p', '-f', '/nonexistent/key', '-N', ''], '/nonexistent/key: No such file or directory\n'],
  [['-p', '-f', 'id_ed25519_enc', '-P', 'wrong', '-N', ''], 'Failed to load key id_ed25519_enc: incorrect passphrase supplied to decrypt private key\n'],
  [['-p', '-f', 'id_ed25519_enc', '-N', ''], 'Failed to load key id_ed25519_enc: incorrect passphrase supplied to decrypt private key\n'],
  [['-F', 'h', '-f', '/nonexistent/known_hosts'], 'Cannot stat /nonexistent/known_hosts: No such file or directory\n'],
];
for (const [args, stderr] of ERRORS) {
  test(`error: tssh-keygen ${args.join(' ')}`, async () => {
    const r = await keygen(workDir(), args);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, stderr);
  });
}

test('usage errors print the usage and exit 1; --help prints it and exits 0', async () => {
  const d = workDir();
  const bad = await keygen(d, ['-X']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^tssh-keygen: unknown option -- X\nusage: tssh-keygen /);
  const missing = await keygen(d, ['-f']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /option requires an argument -- f/);
  const help = await keygen(d, ['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: tssh-keygen/);
  assert.match(help.stdout, /-R hostname/);
});

test('-R refuses to rewrite a file with invalid lines', async () => {
  const d = workDir();
  writeFileSync(join(d, 'kh'), keyFixture('known_hosts') + 'broken\n');
  const r = await keygen(d, ['-R', 'host1.example.com', '-f', 'kh']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'kh:11: invalid line\nkh is not a valid known_hosts file.\nNot replacing existing known_hosts file because of errors\n');
  assert.equal(readFileSync(join(d, 'kh'), 'utf8'), keyFixture('known_hosts') + 'broken\n');
  assert.equal(existsSync(join(d, 'kh.old')), false);
});
});
