// ECDSA and RSA keys both ways between tssh-keygen and OpenSSH's ssh-keygen: each tool generates, the other reads
// (-y and -l lines compared), each re-encrypts (-p) what the other wrote, and each verifies the other's signatures.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePrivateKeyFile, parsePublicKeyLine } from '@tssh/ssh-protocol/keys';
import { SshReader, SshWriter, bytesEqual, utf8 } from '@tssh/ssh-protocol/wire';
import { BIN, peerBinary } from '../helpers/processes.js';

const SSH_KEYGEN = '/usr/bin/ssh-keygen';
const peer = peerBinary(SSH_KEYGEN);

const dir = mkdtempSync(join(tmpdir(), 'tssh-keygen-types-interop-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const sshKeygen = (...args: string[]): string =>
  execFileSync(SSH_KEYGEN, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const tsshKeygen = (...args: string[]): string =>
  execFileSync(process.execPath, [BIN.keygen, ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: dir } });

const KINDS: ReadonlyArray<readonly [string, string]> = [
  ['ecdsa', '256'],
  ['ecdsa', '384'],
  ['ecdsa', '521'],
  ['rsa', '2048'],
];

describe('ECDSA and RSA key files between tssh-keygen and ssh-keygen', { skip: peer.skip, concurrency: 2 }, () => {
  for (const [type, bits] of KINDS) {
    for (const passphrase of ['', 'a pass phrase']) {
      const label = `${type} ${bits}${passphrase ? ', encrypted' : ''}`;

      test(`tssh-keygen makes ${label}: ssh-keygen -y and -l agree with ours`, () => {
        const path = join(dir, `ours-${type}-${bits}-${passphrase ? 'enc' : 'plain'}`);
        tsshKeygen('-q', '-t', type, '-b', bits, '-a', '2', '-N', passphrase, '-C', `ours ${label}`, '-f', path);
        const pass = passphrase ? ['-P', passphrase] : [];
        assert.equal(sshKeygen('-y', ...pass, '-f', path), tsshKeygen('-y', ...pass, '-f', path));
        assert.equal(sshKeygen('-y', ...pass, '-f', path), readFileSync(`${path}.pub`, 'utf8'));
        assert.equal(sshKeygen('-l', '-f', path), tsshKeygen('-l', '-f', path));
        assert.equal(sshKeygen('-l', '-f', `${path}.pub`), tsshKeygen('-l', '-f', `${path}.pub`));
        assert.match(sshKeygen('-l', '-f', path), new RegExp(`^${bits} SHA256:\\S+ ours ${label} \\(${type.toUpperCase()}\\)\\n$`));
      });

      test(`ssh-keygen makes ${label}: tssh-keygen -y and -l agree with it`, () => {
        const path = join(dir, `theirs-${type}-${bits}-${passphrase ? 'enc' : 'plain'}`);
        sshKeygen('-q', '-t', type, '-b', bits, '-a', '2', '-N', passphrase, '-C', `theirs ${label}`, '-f', path);
        const pass = passphrase ? ['-P', passphrase] : [];
        assert.equal(tsshKeygen('-y', ...pass, '-f', path), sshKeygen('-y', ...pass, '-f', path));
        assert.equal(tsshKeygen('-l', '-f', path), sshKeygen('-l', '-f', path));
      });
    }
  }

  for (const format of ['PEM', 'PKCS8']) {
    for (const [type, bits] of KINDS) {
      test(`ssh-keygen -m ${format} ${type} ${bits}, encrypted: tssh-keygen -y reads it, -p rewrites it, ssh-keygen reads that`, () => {
        const path = join(dir, `theirs-${format}-${type}-${bits}`);
        sshKeygen('-q', '-t', type, '-b', bits, '-m', format, '-N', 'pem passphrase', '-f', path);
        const expected = sshKeygen('-y', '-P', 'pem passphrase', '-f', path);
        assert.equal(tsshKeygen('-y', '-P', 'pem passphrase', '-f', path), expected);
        tsshKeygen('-p', '-P', 'pem passphrase', '-N', 'new one', '-a', '2', '-f', path);
        assert.match(readFileSync(path, 'utf8'), /^-----BEGIN OPENSSH PRIVATE KEY-----/);
        assert.equal(sshKeygen('-y', '-P', 'new one', '-f', path), expected);
      });
    }
  }

  test('ssh-keygen -p re-encrypts our RSA and ECDSA keys, and we read the result', () => {
    for (const [type, bits] of [['rsa', '3072'], ['ecdsa', '521']]) {
      const path = join(dir, `repass-${type}`);
      tsshKeygen('-q', '-t', type, '-b', bits, '-N', 'first', '-a', '2', '-f', path);
      sshKeygen('-p', '-P', 'first', '-N', 'second', '-a', '3', '-f', path);
      const back = parsePrivateKeyFile(readFileSync(path, 'utf8'), 'second');
      assert.ok(bytesEqual(back.publicKey.blob, parsePublicKeyLine(readFileSync(`${path}.pub`, 'utf8')).key.blob));
    }
  });

  test('-A: ssh-keygen reads every host key tssh-keygen -A made', () => {
    const prefix = join(dir, 'hostkeys');
    assert.equal(tsshKeygen('-A', '-f', prefix), 'tssh-keygen: generating new host keys: RSA ECDSA ED25519 \n');
    for (const [type, line] of [['rsa', /^3072 .* \(RSA\)$/], ['ecdsa', /^256 .* \(ECDSA\)$/], ['ed25519', /^256 .* \(ED25519\)$/]] as const) {
      const path = `${prefix}/etc/tssh/ssh_host_${type}_key`;
      assert.equal(sshKeygen('-y', '-f', path).split(' ').slice(0, 2).join(' '), readFileSync(`${path}.pub`, 'utf8').split(' ').slice(0, 2).join(' '));
      assert.match(sshKeygen('-l', '-f', path).trim(), line);
    }
  });

  // PROTOCOL.sshsig: the signature inside ssh-keygen -Y is an ordinary SSH signature over this blob.
  function sshsigData(namespace: string, hashAlg: string, message: Uint8Array): Uint8Array {
    const digest = createHash(hashAlg).update(message).digest();
    return new SshWriter().raw(utf8('SSHSIG')).string(namespace).string('').string(hashAlg).string(digest).toBytes();
  }

  function armourSshsig(publicBlob: Uint8Array, namespace: string, signature: Uint8Array): string {
    const body = new SshWriter().raw(utf8('SSHSIG')).u32(1).string(publicBlob).string(namespace).string('').string('sha512').string(signature).toBytes();
    const b64 = Buffer.from(body).toString('base64').replace(/(.{76})/g, '$1\n');
    return `-----BEGIN SSH SIGNATURE-----\n${b64}\n-----END SSH SIGNATURE-----\n`;
  }

  for (const [type, bits] of KINDS) {
    test(`${type} ${bits}: ssh-keygen -Y verify accepts our signature, we accept its -Y sign`, () => {
      const path = join(dir, `sig-${type}-${bits}`);
      tsshKeygen('-q', '-t', type, '-b', bits, '-N', '', '-C', 'signer', '-f', path);
      const key = parsePrivateKeyFile(readFileSync(path, 'utf8'));
      const message = utf8(`message for ${type} ${bits}\n`);
      writeFileSync(`${path}.msg`, message);
      writeFileSync(join(dir, 'allowed'), `signer ${readFileSync(`${path}.pub`, 'utf8')}`);
      const ours = key.sign(sshsigData('tssh', 'sha512', message));
      writeFileSync(`${path}.msg.sig`, armourSshsig(key.publicKey.blob, 'tssh', ours));
      const verified = execFileSync(SSH_KEYGEN, ['-Y', 'verify', '-f', join(dir, 'allowed'), '-I', 'signer', '-n', 'tssh', '-s', `${path}.msg.sig`], {
        input: message,
        encoding: 'utf8',
      });
      assert.match(verified, /^Good "tssh" signature for signer with (ECDSA|RSA) key SHA256:/);

      const armoured = execFileSync(SSH_KEYGEN, ['-q', '-Y', 'sign', '-f', path, '-n', 'tssh'], { input: message, encoding: 'utf8' });
      const r = new SshReader(Buffer.from(armoured.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
      r.raw(6);
      r.u32();
      r.bytes();
      const namespace = r.string();
      r.bytes();
      const hashAlg = r.string();
      const theirs = r.bytes();
      assert.ok(key.publicKey.verify(sshsigData(namespace, hashAlg, message), theirs));
    });
  }
});
