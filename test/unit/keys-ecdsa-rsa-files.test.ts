// ECDSA and RSA key files made by OpenSSH's ssh-keygen (make-fixtures-types.sh): openssh-key-v1 and PEM, read and
// (for openssh-key-v1) written byte for byte; .pub lines, -y and -l lines; signatures OpenSSH made (SSHSIG).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { systemRandom } from '@tssh/ssh-protocol/crypto';
import {
  EcdsaPrivateKey,
  Ed25519PrivateKey,
  KeyDecryptError,
  KeyFormatError,
  OPENSSH_PRIVATE_KEY_LABEL,
  RsaPrivateKey,
  UnsupportedKeyTypeError,
  fingerprintLine,
  formatPublicKeyLine,
  inspectPrivateKeyFile,
  isEncryptedPrivateKey,
  keyBits,
  parsePemPrivateKey,
  parsePrivateKeyFile,
  parsePublicKeyLine,
  serializePrivateKey,
  unarmour,
  type PublicKey,
} from '@tssh/ssh-protocol/keys';
import { SshReader, SshWriter, bytesEqual, utf8 } from '@tssh/ssh-protocol/wire';
import { ENC_PASSPHRASE, keyFixture } from '../helpers/key-fixtures.js';

interface Fixture {
  name: string;
  type: string;
  bits: number;
  encrypted: boolean;
  pem: boolean;
}

const FIXTURES: readonly Fixture[] = [
  { name: 'id_ecdsa', type: 'ecdsa-sha2-nistp256', bits: 256, encrypted: false, pem: false },
  { name: 'id_ecdsa384', type: 'ecdsa-sha2-nistp384', bits: 384, encrypted: false, pem: false },
  { name: 'id_ecdsa521', type: 'ecdsa-sha2-nistp521', bits: 521, encrypted: false, pem: false },
  { name: 'id_ecdsa384_enc', type: 'ecdsa-sha2-nistp384', bits: 384, encrypted: true, pem: false },
  { name: 'id_rsa', type: 'ssh-rsa', bits: 3072, encrypted: false, pem: false },
  { name: 'id_rsa_enc', type: 'ssh-rsa', bits: 2048, encrypted: true, pem: false },
  { name: 'id_rsa_pem', type: 'ssh-rsa', bits: 2048, encrypted: false, pem: true },
  { name: 'id_rsa_pem_enc', type: 'ssh-rsa', bits: 2048, encrypted: true, pem: true },
  { name: 'id_ecdsa_pem', type: 'ecdsa-sha2-nistp256', bits: 256, encrypted: false, pem: true },
  { name: 'id_ecdsa521_pem_enc', type: 'ecdsa-sha2-nistp521', bits: 521, encrypted: true, pem: true },
  { name: 'id_ecdsa384_pkcs8', type: 'ecdsa-sha2-nistp384', bits: 384, encrypted: false, pem: true },
  { name: 'id_rsa_pkcs8_enc', type: 'ssh-rsa', bits: 2048, encrypted: true, pem: true },
];

function load(f: Fixture) {
  return parsePrivateKeyFile(keyFixture(f.name), f.encrypted ? ENC_PASSPHRASE : undefined);
}

for (const f of FIXTURES) {
  test(`${f.name}: type, size, public half, -y and -l lines as ssh-keygen prints them`, () => {
    const text = keyFixture(f.name);
    assert.equal(isEncryptedPrivateKey(text), f.encrypted);
    const key = load(f);
    const pub = parsePublicKeyLine(keyFixture(`${f.name}.pub`));
    assert.equal(key.publicKey.type, f.type);
    assert.equal(keyBits(key.publicKey), f.bits);
    assert.ok(bytesEqual(key.publicKey.blob, pub.key.blob));
    // ssh-keygen -y: the comment comes from the key file, and PEM files have none.
    assert.equal(formatPublicKeyLine(key.publicKey, key.comment) + '\n', keyFixture(f.name === 'id_ecdsa' ? 'id_ecdsa.pub' : `keygen-y-${f.name}.out`));
    if (f.pem) assert.equal(key.comment, '');
    const expectedL = keyFixture(f.name === 'id_ecdsa' ? 'keygen-l-id_ecdsa.pub.out' : `keygen-l-${f.name}.pub.out`);
    assert.equal(fingerprintLine(pub.key, pub.comment) + '\n', expectedL);
  });

  test(`${f.name}: signs with each of its algorithms, and the .pub key verifies`, () => {
    const key = load(f);
    const pub = parsePublicKeyLine(keyFixture(`${f.name}.pub`)).key;
    const data = utf8(`data signed by ${f.name}`);
    for (const alg of key.publicKey.signatureAlgorithms) {
      const sig = key.sign(data, alg);
      assert.equal(new SshReader(sig).string(), alg);
      assert.ok(pub.verify(data, sig), alg);
      assert.ok(!pub.verify(utf8('other data'), sig), alg);
    }
  });

  test(`${f.name}: written as openssh-key-v1 and read back, encrypted and not`, () => {
    const key = load(f);
    key.comment = 'rewritten';
    for (const passphrase of ['', 'new passphrase']) {
      const text = serializePrivateKey(key, { passphrase, rounds: 1, random: systemRandom });
      assert.equal(inspectPrivateKeyFile(text).encrypted, passphrase !== '');
      const back = parsePrivateKeyFile(text, passphrase);
      assert.ok(bytesEqual(back.publicKey.blob, key.publicKey.blob));
      assert.equal(back.comment, 'rewritten');
      const data = utf8('after the round trip');
      assert.ok(key.publicKey.verify(data, back.sign(data)));
    }
  });
}

/** The check-int of an unencrypted openssh-key-v1 file (PROTOCOL.key §3), read independently of the code under test. */
function checkIntOf(text: string): Uint8Array {
  const r = new SshReader(unarmour(text, OPENSSH_PRIVATE_KEY_LABEL));
  r.raw(15);
  for (let i = 0; i < 3; i++) r.bytes();
  r.u32();
  r.bytes();
  return r.bytes().slice(0, 4);
}

for (const name of ['id_ecdsa', 'id_ecdsa384', 'id_ecdsa521', 'id_rsa']) {
  test(`${name}: our openssh-key-v1 serialization is byte-identical to ssh-keygen's (field order and encoding)`, () => {
    const text = keyFixture(name);
    const check = checkIntOf(text);
    const key = parsePrivateKeyFile(text);
    const random = (n: number) => {
      assert.equal(n, 4);
      return check.slice();
    };
    assert.equal(serializePrivateKey(key, { random }), text);
  });
}

test('the private section of an RSA key holds n, e, d, iqmp, p, q in that order (OpenSSH sshkey.c)', () => {
  const key = parsePrivateKeyFile(keyFixture('id_rsa')) as RsaPrivateKey;
  const text = serializePrivateKey(key, { random: () => new Uint8Array(4) });
  const r = new SshReader(unarmour(text, OPENSSH_PRIVATE_KEY_LABEL));
  r.raw(15);
  for (let i = 0; i < 3; i++) r.bytes();
  r.u32();
  r.bytes();
  const s = new SshReader(r.bytes());
  s.u32();
  s.u32();
  assert.equal(s.string(), 'ssh-rsa');
  const [n, e, d, iqmp, p, q] = [s.mpint(), s.mpint(), s.mpint(), s.mpint(), s.mpint(), s.mpint()];
  assert.equal(p * q, n);
  assert.equal((iqmp * q) % p, 1n);
  assert.equal(e, 65537n);
  assert.equal((e * d) % (p - 1n), 1n);
  assert.equal(s.string(), 'frank@example.com');
});

test('a PEM key without its passphrase, or with a wrong one, is a KeyDecryptError', () => {
  for (const name of ['id_rsa_pem_enc', 'id_ecdsa521_pem_enc', 'id_rsa_pkcs8_enc']) {
    const text = keyFixture(name);
    assert.throws(() => parsePrivateKeyFile(text), (e: unknown) => e instanceof KeyDecryptError && !e.passphraseGiven, name);
    assert.throws(() => parsePrivateKeyFile(text, ''), (e: unknown) => e instanceof KeyDecryptError && !e.passphraseGiven, name);
    assert.throws(() => parsePrivateKeyFile(text, 'wrong'), (e: unknown) => e instanceof KeyDecryptError && e.passphraseGiven, name);
  }
});

test('an unencrypted PEM key ignores a passphrase', () => {
  assert.equal(parsePrivateKeyFile(keyFixture('id_rsa_pem'), 'anything').publicKey.type, 'ssh-rsa');
});

test('damaged PEM is a KeyFormatError; DSA (openssh-key-v1 or PEM) is an UnsupportedKeyTypeError', () => {
  const good = keyFixture('id_ecdsa_pem');
  const lines = good.split('\n');
  lines[2] = lines[2].replace(/^..../, 'AAAA');
  assert.throws(() => parsePrivateKeyFile(lines.join('\n')), KeyFormatError);
  assert.throws(() => parsePrivateKeyFile('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n'), KeyFormatError);
  assert.throws(() => parsePrivateKeyFile(keyFixture('id_dsa')), (e: unknown) => e instanceof UnsupportedKeyTypeError && e.keyType === 'ssh-dss');
  const dsa = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  assert.throws(() => parsePemPrivateKey(dsa.toString()), (e: unknown) => e instanceof UnsupportedKeyTypeError && e.keyType === 'ssh-dss');
});

test('PKCS #8 keys made elsewhere: Ed25519 and P-521 from OpenSSL, with and without encryption', () => {
  const ed = generateKeyPairSync('ed25519');
  const edKey = parsePemPrivateKey(ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  assert.ok(edKey instanceof Ed25519PrivateKey);
  const raw = ed.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  assert.ok(bytesEqual(edKey.publicKey.blob, new SshWriter().string('ssh-ed25519').string(raw).toBytes()));
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  const pem = ec.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
  const ecKey = parsePrivateKeyFile(pem, 'pw');
  assert.ok(ecKey instanceof EcdsaPrivateKey);
  assert.equal(ecKey.publicKey.type, 'ecdsa-sha2-nistp521');
  const secp256k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'sec1', format: 'pem' });
  assert.throws(() => parsePrivateKeyFile(secp256k1.toString()), UnsupportedKeyTypeError);
});

// PROTOCOL.sshsig: what ssh-keygen -Y sign wraps its signature around.
function sshsig(name: string): { key: PublicKey; signature: Uint8Array; signed: Uint8Array } {
  const armoured = keyFixture(`sshsig-${name}.sig`);
  const blob = Buffer.from(armoured.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const r = new SshReader(blob);
  assert.equal(Buffer.from(r.raw(6)).toString(), 'SSHSIG');
  assert.equal(r.u32(), 1);
  const publicKey = r.bytes();
  const namespace = r.string();
  const reserved = r.bytes();
  const hashAlg = r.string();
  const signature = r.bytes().slice();
  r.end();
  const digest = createHash(hashAlg).update(keyFixture('sshsig-message.txt')).digest();
  const signed = new SshWriter().raw(utf8('SSHSIG')).string(namespace).string(reserved).string(hashAlg).string(digest).toBytes();
  const key = parsePublicKeyLine(keyFixture(`${name}.pub`)).key;
  assert.ok(bytesEqual(publicKey, key.blob));
  return { key, signature, signed };
}

for (const [name, alg] of [
  ['id_ecdsa', 'ecdsa-sha2-nistp256'],
  ['id_ecdsa384', 'ecdsa-sha2-nistp384'],
  ['id_ecdsa521', 'ecdsa-sha2-nistp521'],
  ['id_rsa', 'rsa-sha2-512'],
] as const) {
  test(`${name}: a signature OpenSSH made (${alg}) verifies; altered, it does not`, () => {
    const { key, signature, signed } = sshsig(name);
    assert.equal(new SshReader(signature).string(), alg);
    assert.equal(key.verify(signed, signature), true);
    const altered = signed.slice();
    altered[altered.length - 1] ^= 1;
    assert.equal(key.verify(altered, signature), false);
    const bad = signature.slice();
    bad[bad.length - 2] ^= 0x40;
    assert.equal(key.verify(signed, bad), false);
  });
}
