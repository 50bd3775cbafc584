// Our key files and known_hosts lines read by OpenSSH's ssh-keygen, and keys it makes now read by us.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import {
  ED25519_KEY_TYPE,
  fingerprintLine,
  formatKnownHostLine,
  formatPublicKeyLine,
  hashKnownHosts,
  parsePrivateKeyFile,
  parsePublicKeyLine,
  serializePrivateKey,
} from '@tssh/ssh-protocol/keys';
import { bytesEqual } from '@tssh/ssh-protocol/wire';
import { peerBinary } from '../helpers/processes.js';

const SSH_KEYGEN = '/usr/bin/ssh-keygen';
const peer = peerBinary(SSH_KEYGEN);

const dir = mkdtempSync(join(tmpdir(), 'tssh-keygen-interop-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function sshKeygen(...args: string[]): string {
  return execFileSync(SSH_KEYGEN, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function ourKey(name: string, passphrase: string, rounds?: number): { path: string; pubLine: string } {
  const key = ED25519_KEY_TYPE.generate(systemRandom);
  key.comment = `${name}@tssh`;
  const path = join(dir, name);
  writeFileSync(path, serializePrivateKey(key, { passphrase, rounds, random: systemRandom }), { mode: 0o600 });
  return { path, pubLine: formatPublicKeyLine(key.publicKey, key.comment) };
}

describe('OpenSSH ssh-keygen and our key files', { skip: peer.skip }, () => {
  test('ssh-keygen -y reads our unencrypted key', () => {
    const k = ourKey('plain', '');
    assert.equal(sshKeygen('-y', '-f', k.path), `${k.pubLine}\n`);
  });

  test('ssh-keygen -y reads our encrypted key (aes256-ctr, bcrypt, 16 rounds)', () => {
    const k = ourKey('encrypted', 'tssh passphrase');
    assert.equal(sshKeygen('-y', '-P', 'tssh passphrase', '-f', k.path), `${k.pubLine}\n`);
    assert.throws(() => sshKeygen('-y', '-P', 'wrong', '-f', k.path));
  });

  test('ssh-keygen -p re-encrypts our key, and we read its output', () => {
    const k = ourKey('rekeyed', 'old pass', 2);
    sshKeygen('-p', '-a', '3', '-P', 'old pass', '-N', 'new pass', '-f', k.path);
    const back = parsePrivateKeyFile(readFileSync(k.path, 'utf8'), 'new pass');
    assert.equal(formatPublicKeyLine(back.publicKey, back.comment), k.pubLine);
  });

  test('a key ssh-keygen makes now opens with our parser; the fingerprint lines agree', () => {
    const path = join(dir, 'theirs');
    sshKeygen('-q', '-t', 'ed25519', '-a', '4', '-N', 'their pass', '-C', 'made by openssh', '-f', path);
    const key = parsePrivateKeyFile(readFileSync(path, 'utf8'), 'their pass');
    const pub = parsePublicKeyLine(readFileSync(`${path}.pub`, 'utf8'));
    assert.ok(bytesEqual(key.publicKey.blob, pub.key.blob));
    assert.equal(key.comment, 'made by openssh');
    assert.equal(`${fingerprintLine(pub.key, pub.comment)}\n`, sshKeygen('-l', '-f', `${path}.pub`));
  });

  test('ssh-keygen -F finds hosts in our hashed lines and in our -H output', () => {
    const key = ED25519_KEY_TYPE.generate(systemRandom).publicKey;
    const file = join(dir, 'known_hosts');
    const hashed = formatKnownHostLine('[h1.example]:2222', key, { hash: true, random: systemRandom });
    const plain = `${formatKnownHostLine('h2.example', key)}\nh3.example,192.0.2.7 ${formatPublicKeyLine(key)}\n`;
    writeFileSync(file, `${hashed}\n${hashKnownHosts(plain, systemRandom).text}`);
    for (const [host, line] of [['[h1.example]:2222', 1], ['h2.example', 2], ['h3.example', 3], ['192.0.2.7', 4]] as const) {
      assert.match(sshKeygen('-F', host, '-f', file), new RegExp(`^# Host ${host.replace(/[.[\]]/g, '\\$&')} found: line ${line} `));
    }
  });
});
