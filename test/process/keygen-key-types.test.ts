// tssh-keygen with ECDSA and RSA keys: generation (-t, -b), -y and -l on ssh-keygen's files in every format, and
// -p (change the passphrase), compared with what OpenSSH's ssh-keygen printed (test/fixtures/keys/*.out).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inspectPrivateKeyFile, keyBits, parsePrivateKeyFile, parsePublicKeyLine } from '@tssh/ssh-protocol/keys';
import { bytesEqual } from '@tssh/ssh-protocol/wire';
import { ENC_PASSPHRASE, keyFixture } from '../helpers/key-fixtures.js';
import { keygen, keygenOnTerminal, mode, workDir } from '../helpers/keygen-runner.js';

const ENCRYPTED = new Set(['id_ecdsa384_enc', 'id_rsa_enc', 'id_rsa_pem_enc', 'id_ecdsa521_pem_enc', 'id_rsa_pkcs8_enc']);
const FILES = [
  'id_ecdsa384',
  'id_ecdsa521',
  'id_ecdsa384_enc',
  'id_rsa',
  'id_rsa_enc',
  'id_rsa_pem',
  'id_rsa_pem_enc',
  'id_ecdsa_pem',
  'id_ecdsa521_pem_enc',
  'id_ecdsa384_pkcs8',
  'id_rsa_pkcs8_enc',
];

describe('tssh-keygen with ECDSA and RSA keys', { concurrency: 4 }, () => {
  for (const [type, bits, header] of [
    ['ecdsa', '256', '+---[ECDSA 256]---+'],
    ['ecdsa', '384', '+---[ECDSA 384]---+'],
    ['ecdsa', '521', '+---[ECDSA 521]---+'],
    ['rsa', '1024', '+---[RSA 1024]----+'],
  ] as const) {
    test(`generate -t ${type} -b ${bits}: messages, randomart title, a key that reads back`, async () => {
      const d = workDir();
      const r = await keygen(d, ['-t', type, '-b', bits, '-f', 'new_key', '-N', '', '-C', 'me@test']);
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.split('\n');
      assert.equal(lines[0], `Generating public/private ${type} key pair.`);
      assert.equal(lines[6], header);
      const key = parsePrivateKeyFile(readFileSync(join(d, 'new_key'), 'utf8'));
      const pub = parsePublicKeyLine(readFileSync(join(d, 'new_key.pub'), 'utf8'));
      assert.ok(bytesEqual(key.publicKey.blob, pub.key.blob));
      assert.equal(keyBits(key.publicKey), Number(bits));
      assert.equal(mode(join(d, 'new_key')), 0o600);
      const l = await keygen(d, ['-l', '-f', 'new_key']);
      assert.equal(l.stdout, `${bits} ${lines[4]} (${type.toUpperCase()})\n`);
    });
  }

  test('generate -t rsa without -b makes 3072 bits in ~/.ssh/id_rsa; -t ecdsa makes P-256 in ~/.ssh/id_ecdsa', async () => {
    const d = workDir();
    for (const [type, file, bits] of [['rsa', 'id_rsa', 3072], ['ecdsa', 'id_ecdsa', 256]] as const) {
      const r = await keygen(d, ['-q', '-t', type, '-N', '']);
      assert.equal(r.status, 0, r.stderr);
      const key = parsePrivateKeyFile(readFileSync(join(d, '.ssh', file), 'utf8'));
      assert.equal(keyBits(key.publicKey), bits);
    }
  });

  for (const name of FILES) {
    test(`-y and -l on ${name} print what ssh-keygen printed`, async () => {
      const d = workDir();
      const pass = ENCRYPTED.has(name) ? ['-P', ENC_PASSPHRASE] : [];
      const y = await keygen(d, ['-y', ...pass, '-f', name]);
      assert.equal(y.status, 0, y.stderr);
      assert.equal(y.stdout, keyFixture(`keygen-y-${name}.out`));
      for (const f of [name, `${name}.pub`]) {
        const l = await keygen(d, ['-l', '-f', f]);
        assert.equal(l.status, 0, l.stderr);
        assert.equal(l.stdout, keyFixture(`keygen-l-${f}.out`), f);
      }
    });
  }

  test('-l on private keys without a .pub: the key file speaks for itself (PEM: "no comment")', async () => {
    const d = workDir();
    for (const name of ['id_ecdsa384', 'id_rsa', 'id_rsa_pem', 'id_ecdsa_pem', 'id_ecdsa384_pkcs8']) {
      rmSync(join(d, `${name}.pub`));
      const l = await keygen(d, ['-l', '-f', name]);
      assert.equal(l.status, 0, l.stderr);
      assert.equal(l.stdout, keyFixture(`keygen-l-nopub-${name}.out`), name);
    }
  });

  test('-lv prints the randomart with the type and size in its title', async () => {
    const d = workDir();
    for (const name of ['id_rsa.pub', 'id_ecdsa521.pub']) {
      assert.equal((await keygen(d, ['-lv', '-f', name])).stdout, keyFixture(`keygen-lv-${name}.out`));
    }
  });

  test('-p with -P and -N: new passphrase, same key and comment, old passphrase refused', async () => {
    const d = workDir();
    const r = await keygen(d, ['-p', '-P', ENC_PASSPHRASE, '-N', 'new phrase', '-a', '2', '-f', 'id_rsa_enc']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "Key has comment 'grace@example.com'\nYour identification has been saved with the new passphrase.\n");
    assert.equal(mode(join(d, 'id_rsa_enc')), 0o600);
    const text = readFileSync(join(d, 'id_rsa_enc'), 'utf8');
    assert.equal(inspectPrivateKeyFile(text).rounds, 2);
    const key = parsePrivateKeyFile(text, 'new phrase');
    assert.equal(key.comment, 'grace@example.com');
    assert.ok(bytesEqual(key.publicKey.blob, parsePublicKeyLine(keyFixture('id_rsa_enc.pub')).key.blob));
    const old = await keygen(d, ['-y', '-P', ENC_PASSPHRASE, '-f', 'id_rsa_enc']);
    assert.equal(old.stderr, 'Load key "id_rsa_enc": incorrect passphrase supplied to decrypt private key\n');
  });

  test('-p on a PEM key writes openssh-key-v1 (no comment line for PEM); -N "" removes the passphrase', async () => {
    const d = workDir();
    const r = await keygen(d, ['-p', '-P', ENC_PASSPHRASE, '-N', '', '-f', 'id_ecdsa521_pem_enc']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'Your identification has been saved with the new passphrase.\n');
    const text = readFileSync(join(d, 'id_ecdsa521_pem_enc'), 'utf8');
    assert.match(text, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    assert.equal(inspectPrivateKeyFile(text).encrypted, false);
    assert.equal(parsePrivateKeyFile(text).publicKey.type, 'ecdsa-sha2-nistp521');
    const again = await keygen(d, ['-p', '-N', 'now set', '-f', 'id_ecdsa521_pem_enc']);
    assert.equal(again.stdout, "Key has comment ''\nYour identification has been saved with the new passphrase.\n");
    assert.equal(inspectPrivateKeyFile(readFileSync(join(d, 'id_ecdsa521_pem_enc'), 'utf8')).encrypted, true);
  });

  test('-p without -N and without a terminal changes nothing', async () => {
    const d = workDir();
    const before = readFileSync(join(d, 'id_ecdsa384'), 'utf8');
    const r = await keygen(d, ['-p', '-f', 'id_ecdsa384']);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'tssh-keygen: no new passphrase given (-N) and no terminal to ask on\n');
    assert.equal(readFileSync(join(d, 'id_ecdsa384'), 'utf8'), before);
  });

  test('-p on a terminal: old passphrase, new one twice; a mismatch ends it with the file untouched', async () => {
    const d = workDir();
    const ok = await keygenOnTerminal(d, ['-p', '-f', 'id_ecdsa384_enc', '-a', '2'], [
      [/Enter old passphrase: /, `${ENC_PASSPHRASE}\r`],
      [/Enter new passphrase \(empty for no passphrase\): /, 'fresh\r'],
      [/Enter same passphrase again: /, 'fresh\r'],
    ]);
    assert.equal(ok.status, 0, ok.stdout);
    assert.ok(ok.stdout.includes("Key has comment 'erin@example.com'"));
    assert.ok(ok.stdout.includes('Your identification has been saved with the new passphrase.'));
    assert.ok(!ok.stdout.includes('fresh') && !ok.stdout.includes(ENC_PASSPHRASE), 'passphrases must not be echoed');
    assert.equal(parsePrivateKeyFile(readFileSync(join(d, 'id_ecdsa384_enc'), 'utf8'), 'fresh').comment, 'erin@example.com');
    const before = readFileSync(join(d, 'id_ecdsa384_enc'), 'utf8');
    const bad = await keygenOnTerminal(d, ['-p', '-f', 'id_ecdsa384_enc'], [
      [/Enter old passphrase: /, 'fresh\r'],
      [/Enter new passphrase \(empty for no passphrase\): /, 'one\r'],
      [/Enter same passphrase again: /, 'two\r'],
    ]);
    assert.equal(bad.status, 1);
    assert.ok(bad.stdout.includes('Pass phrases do not match.  Try again.'));
    assert.equal(readFileSync(join(d, 'id_ecdsa384_enc'), 'utf8'), before);
  });
});
