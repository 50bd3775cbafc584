// PuTTY's command-line tools (Debian's putty-tools: plink, psftp, pscp, puttygen) against tsshd: a client written
// apart from OpenSSH, with its own algorithm lists, its own terminal requests and its own key file format (the
// user's key goes through puttygen into a .ppk). PuTTY takes its algorithm preferences from a saved session, so each
// run writes one under a private HOME: the wanted entry first, then WARN, then the rest, which in -batch mode means
// "this one or fail". PuTTY inserts entries newer than a saved list in front of it, so every list names them all.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../helpers/channel-traffic.js';
import { BIN, peerBinary, run, tempDir, type RunResult } from '../helpers/processes.js';
import { startTsshd, type RunningServer } from '../helpers/servers.js';

const tools = ['/usr/bin/plink', '/usr/bin/psftp', '/usr/bin/pscp', '/usr/bin/puttygen'].map(peerBinary);
const skip = tools.find((t) => t.skip)?.skip ?? false;

const CIPHERS = ['aes', 'chacha20', 'aesgcm', 'blowfish', '3des', 'arcfour', 'des'];
const KEXES = ['ntru-curve25519', 'ecdh', 'dh-gex-sha1', 'dh-group18-sha512', 'dh-group17-sha512', 'dh-group16-sha512', 'dh-group15-sha512', 'dh-group14-sha1', 'rsa', 'dh-group1-sha1'];

/** PuTTY's preference list with `first` alone above WARN. */
const only = (first: string, all: readonly string[]): string => [first, 'WARN', ...all.filter((n) => n !== first)].join(',');

const work = tempDir('tssh-putty-');
const home = join(work.path, 'home');
let server: RunningServer;
let ppk: string;
/** The SHA256 fingerprint of each host key tsshd serves, by PuTTY's name for its type. */
const fingerprints: Record<string, string> = {};

async function fingerprintOf(publicKey: string): Promise<string> {
  const r = await run(process.execPath, [BIN.keygen, '-l', '-f', publicKey]);
  const fp = r.stdout.toString().split(' ')[1];
  assert.match(fp, /^SHA256:/, r.stderr);
  return fp;
}

before(async () => {
  if (skip) return;
  // Besides the ed25519 key every test server has: an ECDSA and an RSA host key, made by our tssh-keygen.
  const extra: string[] = [];
  for (const [name, args] of [['ecdsa', ['-t', 'ecdsa', '-b', '256']], ['rsa', ['-t', 'rsa', '-b', '2048']]] as const) {
    const file = join(work.path, `host_${name}`);
    const made = await run(process.execPath, [BIN.keygen, ...args, '-N', '', '-q', '-f', file]);
    assert.equal(made.code, 0, made.stderr);
    extra.push(`HostKey ${file}`);
    fingerprints[name] = await fingerprintOf(`${file}.pub`);
  }
  server = await startTsshd({ config: ['PerSourcePenalties no', 'Subsystem sftp internal-sftp', ...extra] });
  fingerprints.ed25519 = await fingerprintOf(server.hostKey.publicKey);
  ppk = join(work.path, 'id.ppk');
  const converted = await run('puttygen', [server.userKey.privateKey, '-O', 'private', '-o', ppk]);
  assert.equal(converted.code, 0, converted.stderr);
  mkdirSync(join(home, '.putty', 'sessions'), { recursive: true });
});
after(async () => {
  await server?.stop();
  work.cleanup();
});

/**
 * Runs a PuTTY tool on a saved session with `settings` (and the user's key), connecting to tsshd and trusting
 * the host key with `hostKey`'s fingerprint only.
 */
function putty(
  tool: 'plink' | 'psftp' | 'pscp',
  settings: Record<string, string>,
  args: string[],
  input?: Buffer | string,
  hostKey = fingerprints.ed25519,
): Promise<RunResult> {
  const lines = Object.entries({ ...settings, UserName: server.user, PublicKeyFile: ppk }).map(([k, v]) => `${k}=${v}\n`);
  writeFileSync(join(home, '.putty', 'sessions', 'tsshd'), lines.join(''));
  return run(tool, ['-batch', '-load', 'tsshd', '-P', String(server.port), '-hostkey', hostKey, ...args], {
    env: { ...process.env, HOME: home },
    input,
    timeoutMs: 60_000,
  });
}

test('plink moves 2 MiB each way over each cipher PuTTY shares with tsshd, checksummed', { skip }, async () => {
  const expected: Record<string, RegExp> = {
    aes: /Initialised AES-256 SDCTR .*outbound encryption/,
    chacha20: /Initialised ChaCha20 outbound encryption/,
    aesgcm: /Initialised AES-\d+ GCM .*outbound encryption/,
  };
  for (const [cipher, initialised] of Object.entries(expected)) {
    const data = randomBytes(2 << 20);
    const up = await putty('plink', { Cipher: only(cipher, CIPHERS) }, ['-v', '127.0.0.1', 'sha256sum'], data);
    assert.equal(up.code, 0, `${cipher} up: ${up.stderr}`);
    assert.equal(up.stdout.toString().split(' ')[0], sha256(data), cipher);
    assert.match(up.stderr, initialised);

    const file = join(work.path, `down-${cipher}.bin`);
    writeFileSync(file, data);
    const down = await putty('plink', { Cipher: only(cipher, CIPHERS) }, ['127.0.0.1', `cat ${file}`]);
    assert.equal(down.code, 0, `${cipher} down: ${down.stderr}`);
    assert.equal(sha256(down.stdout), sha256(data), cipher);
  }
});

test('plink completes each key exchange PuTTY can be held to', { skip }, async () => {
  const expected: Record<string, RegExp> = {
    'ntru-curve25519': /NTRU Prime \/ Curve25519 hybrid key exchange/,
    ecdh: /ECDH key exchange with curve Curve25519/,
    'dh-gex-sha1': /Diffie-Hellman group exchange[\s\S]*hash SHA-256/,
    'dh-group18-sha512': /standard group "group18"/,
    'dh-group16-sha512': /standard group "group16"/,
    'dh-group14-sha1': /SHA-256 .*standard group "group14"/,
  };
  for (const [kex, doing] of Object.entries(expected)) {
    const r = await putty('plink', { KEX: only(kex, KEXES) }, ['-v', '127.0.0.1', 'echo ok']);
    assert.equal(r.code, 0, `${kex}: ${r.stderr}`);
    assert.equal(r.stdout.toString(), 'ok\n', kex);
    assert.match(r.stderr, doing, kex);
  }
});

test('plink verifies each host key type tsshd serves when it prefers that type', { skip }, async () => {
  const HOST_KEYS = ['ed25519', 'ed448', 'ecdsa', 'rsa', 'dsa'];
  // How PuTTY shows each key (the type of the key, not of the signature: an RSA key signs with rsa-sha2-512 here).
  const shown: Record<string, string> = { ed25519: 'ssh-ed25519 255', ecdsa: 'ecdsa-sha2-nistp256 256', rsa: 'ssh-rsa 2048' };
  for (const [type, label] of Object.entries(shown)) {
    const r = await putty('plink', { HostKey: only(type, HOST_KEYS) }, ['-v', '127.0.0.1', 'echo ok'], undefined, fingerprints[type]);
    assert.equal(r.code, 0, `${type}: ${r.stderr}`);
    assert.equal(r.stdout.toString(), 'ok\n', type);
    assert.ok(r.stderr.includes(`Host key fingerprint is:\n${label} ${fingerprints[type]}\n`), `${type}: ${r.stderr}`);
  }
});

test('plink -t gets a terminal with its TERM', { skip }, async () => {
  const r = await putty('plink', { TerminalType: 'vt220' }, ['-t', '127.0.0.1', 'tty; echo $TERM']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.toString(), /^\/dev\/pts\/\d+\r\nvt220\r\n$/);
});

test('psftp puts, renames, lists, gets and removes a file whose name has a space', { skip }, async () => {
  const data = randomBytes(300_000);
  const local = join(work.path, 'psftp source.bin');
  writeFileSync(local, data);
  const remoteDir = join(work.path, 'psftp-remote');
  mkdirSync(remoteDir);
  const back = join(work.path, 'psftp back.bin');
  const batch = join(work.path, 'psftp.batch');
  writeFileSync(
    batch,
    [
      `cd "${remoteDir}"`,
      `put "${local}" "first name.bin"`,
      'mv "first name.bin" "second name.bin"',
      'ls',
      `get "second name.bin" "${back}"`,
      'rm "second name.bin"',
      'quit',
      '',
    ].join('\n'),
  );
  const r = await putty('psftp', {}, ['-b', batch, '127.0.0.1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.toString(), /second name\.bin/);
  assert.equal(sha256(readFileSync(back)), sha256(data));
  assert.deepEqual(readdirSync(remoteDir), [], 'rm removed it');
});

test('pscp copies both ways over SFTP and over legacy scp (-scp)', { skip }, async () => {
  const data = randomBytes(1 << 20);
  const local = join(work.path, 'pscp.bin');
  writeFileSync(local, data);
  for (const mode of ['-sftp', '-scp']) {
    const remote = join(work.path, `pscp-remote${mode}.bin`);
    const up = await putty('pscp', {}, [mode, local, `127.0.0.1:${remote}`]);
    assert.equal(up.code, 0, `${mode} up: ${up.stderr}`);
    assert.equal(sha256(readFileSync(remote)), sha256(data), mode);
    const back = join(work.path, `pscp-back${mode}.bin`);
    const down = await putty('pscp', {}, [mode, `127.0.0.1:${remote}`, back]);
    assert.equal(down.code, 0, `${mode} down: ${down.stderr}`);
    assert.equal(sha256(readFileSync(back)), sha256(data), mode);
  }
});
