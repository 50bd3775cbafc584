import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aesCtr, bcryptPbkdf, systemRandom } from '@tssh/ssh-protocol/crypto';
import {
  ED25519_KEY_TYPE,
  Ed25519PrivateKey,
  KeyDecryptError,
  KeyFormatError,
  OPENSSH_PRIVATE_KEY_LABEL,
  UnsupportedKeyCipherError,
  UnsupportedKeyTypeError,
  armour,
  inspectPrivateKeyFile,
  isEncryptedPrivateKey,
  parsePrivateKeyFile,
  parsePublicKeyLine,
  serializePrivateKey,
  unarmour,
} from '@tssh/ssh-protocol/keys';
import { ProtocolError, SshReader, SshWriter, bytesEqual, utf8 } from '@tssh/ssh-protocol/wire';
import { ENC_A2_PASSPHRASE, ENC_PASSPHRASE, keyFixture } from '../helpers/key-fixtures.js';

const MAGIC = utf8('openssh-key-v1\0');

/** The envelope fields of a key file (PROTOCOL.key §1), read independently of the code under test. */
function envelopeOf(text: string) {
  const data = unarmour(text, OPENSSH_PRIVATE_KEY_LABEL);
  const r = new SshReader(data);
  assert.ok(bytesEqual(r.raw(MAGIC.length), MAGIC));
  const env = { cipher: r.string(), kdf: r.string(), kdfOptions: r.bytes(), count: r.u32(), pub: r.bytes(), sealed: r.bytes() };
  r.end();
  return env;
}

/** A random source that hands out fixed check-int and salt bytes, by requested size. */
function fixedRandom(check: Uint8Array, salt?: Uint8Array): (n: number) => Uint8Array {
  return (n) => {
    if (n === 4) return check.slice();
    if (n === 16 && salt) return salt.slice();
    throw new Error(`unexpected random(${n})`);
  };
}

test('unencrypted ssh-keygen key: type, comment, public half and a working signature', () => {
  const key = parsePrivateKeyFile(keyFixture('id_ed25519'));
  const pub = parsePublicKeyLine(keyFixture('id_ed25519.pub'));
  assert.equal(key.publicKey.type, 'ssh-ed25519');
  assert.equal(key.comment, 'alice@example.com');
  assert.ok(bytesEqual(key.publicKey.blob, pub.key.blob));
  const data = utf8('signed by a key ssh-keygen made');
  assert.ok(pub.key.verify(data, key.sign(data)));
  assert.equal(isEncryptedPrivateKey(keyFixture('id_ed25519')), false);
});

test('our serialization of the unencrypted key is byte-identical to ssh-keygen output', () => {
  const text = keyFixture('id_ed25519');
  const check = envelopeOf(text).sealed.slice(0, 4);
  const key = parsePrivateKeyFile(text);
  assert.equal(serializePrivateKey(key, { random: fixedRandom(check) }), text);
});

test('encrypted ssh-keygen key (aes256-ctr, bcrypt, 16 rounds) opens with its passphrase', () => {
  const text = keyFixture('id_ed25519_enc');
  const info = inspectPrivateKeyFile(text);
  assert.deepEqual([info.cipher, info.kdf, info.rounds, info.encrypted], ['aes256-ctr', 'bcrypt', 16, true]);
  const key = parsePrivateKeyFile(text, ENC_PASSPHRASE);
  assert.equal(key.comment, 'bob@example.com');
  assert.ok(bytesEqual(key.publicKey.blob, parsePublicKeyLine(keyFixture('id_ed25519_enc.pub')).key.blob));
  assert.ok(bytesEqual(info.publicKey.blob, key.publicKey.blob));
});

test('our encryption is byte-identical to ssh-keygen given the same salt and check-int', () => {
  const text = keyFixture('id_ed25519_enc_a2');
  const env = envelopeOf(text);
  const o = new SshReader(env.kdfOptions);
  const salt = o.bytes().slice();
  const rounds = o.u32();
  // Decrypt the first block independently to learn the check-int.
  const material = bcryptPbkdf(utf8(ENC_A2_PASSPHRASE), salt, rounds, 48);
  const plain = aesCtr(material.subarray(0, 32), material.subarray(32), env.sealed);
  const key = parsePrivateKeyFile(text, ENC_A2_PASSPHRASE);
  assert.equal(key.comment, '');
  const ours = serializePrivateKey(key, { passphrase: ENC_A2_PASSPHRASE, rounds, random: fixedRandom(plain.slice(0, 4), salt) });
  assert.equal(ours, text);
});

test('a missing or wrong passphrase is a KeyDecryptError with OpenSSH wording', () => {
  const text = keyFixture('id_ed25519_enc_a2');
  assert.throws(
    () => parsePrivateKeyFile(text),
    (e: unknown) => e instanceof KeyDecryptError && !e.passphraseGiven && e.message === 'incorrect passphrase supplied to decrypt private key',
  );
  assert.throws(() => parsePrivateKeyFile(text, ''), (e: unknown) => e instanceof KeyDecryptError && !e.passphraseGiven);
  assert.throws(() => parsePrivateKeyFile(text, 'not it'), (e: unknown) => e instanceof KeyDecryptError && e.passphraseGiven);
});

test('aes256-cbc keys (OpenSSH 6.5 to 7.5) open, and we can write them', () => {
  const key = parsePrivateKeyFile(keyFixture('id_ed25519_cbc'), 'pw');
  assert.equal(key.comment, 'cbc@example.com');
  assert.ok(bytesEqual(key.publicKey.blob, parsePublicKeyLine(keyFixture('id_ed25519_cbc.pub')).key.blob));
  const text = serializePrivateKey(key, { passphrase: 'again', rounds: 1, cipher: 'aes256-cbc', random: systemRandom });
  assert.equal(inspectPrivateKeyFile(text).cipher, 'aes256-cbc');
  assert.ok(bytesEqual(parsePrivateKeyFile(text, 'again').publicKey.blob, key.publicKey.blob));
});

test('generate, write encrypted, read back; the file is armoured at 70 columns', () => {
  const key = ED25519_KEY_TYPE.generate(systemRandom);
  key.comment = 'round trip ✓';
  const text = serializePrivateKey(key, { passphrase: 'pässword', rounds: 1, random: systemRandom });
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], '-----BEGIN OPENSSH PRIVATE KEY-----');
  assert.equal(lines[lines.length - 1], '-----END OPENSSH PRIVATE KEY-----');
  assert.ok(lines.slice(1, -2).every((l) => l.length === 70));
  assert.ok(text.endsWith('-----\n'));
  const back = parsePrivateKeyFile(text, 'pässword');
  assert.equal(back.comment, 'round trip ✓');
  assert.ok(bytesEqual(back.publicKey.blob, key.publicKey.blob));
  assert.equal(inspectPrivateKeyFile(text).rounds, 1);
});

test('CRLF line ends and surrounding blank lines are accepted', () => {
  const text = '\r\n' + keyFixture('id_ed25519').replace(/\n/g, '\r\n') + '\r\n';
  assert.equal(parsePrivateKeyFile(text).comment, 'alice@example.com');
});

test('an empty passphrase writes an unencrypted key', () => {
  const key = new Ed25519PrivateKey(new Uint8Array(32).fill(7), 'c');
  const text = serializePrivateKey(key, { passphrase: '', random: systemRandom });
  assert.equal(isEncryptedPrivateKey(text), false);
});

test('a key type we do not implement is UnsupportedKeyTypeError', () => {
  assert.throws(() => parsePrivateKeyFile(keyFixture('id_dsa')), UnsupportedKeyTypeError);
});

// ---- malformed files: every decoder failure is a typed error, never a crash ----

const SEED = parsePrivateKeyFile(keyFixture('id_ed25519')) as Ed25519PrivateKey;

interface Section {
  check1?: number;
  check2?: number;
  type?: string;
  body?: (w: SshWriter) => void;
  comment?: string;
  padding?: number[];
  blockSize?: number;
}

/** 127 bytes up to the comment, so comment 'c' (5 bytes) leaves 4 bytes of padding to a block of 8. */
function privateSection(s: Section = {}): Uint8Array {
  const w = new SshWriter().u32(s.check1 ?? 0x11223344).u32(s.check2 ?? s.check1 ?? 0x11223344).string(s.type ?? 'ssh-ed25519');
  if (s.body) s.body(w);
  else ED25519_KEY_TYPE.writePrivate(w, SEED);
  w.string(s.comment ?? 'c');
  if (s.padding) for (const b of s.padding) w.byte(b);
  else for (let i = 1; w.length % (s.blockSize ?? 8) !== 0; i++) w.byte(i);
  return w.toBytes();
}

interface Envelope {
  magic?: Uint8Array;
  cipher?: string;
  kdf?: string;
  kdfOptions?: Uint8Array;
  count?: number;
  pub?: Uint8Array;
  sealed?: Uint8Array;
  trailing?: Uint8Array;
}

function envelopeBytes(e: Envelope = {}): Uint8Array {
  return new SshWriter()
    .raw(e.magic ?? MAGIC)
    .string(e.cipher ?? 'none')
    .string(e.kdf ?? 'none')
    .string(e.kdfOptions ?? new Uint8Array(0))
    .u32(e.count ?? 1)
    .string(e.pub ?? SEED.publicKey.blob)
    .string(e.sealed ?? privateSection())
    .raw(e.trailing ?? new Uint8Array(0))
    .toBytes();
}

const file = (data: Uint8Array) => armour(OPENSSH_PRIVATE_KEY_LABEL, data);

test('the hand-built envelope itself parses (so the cases below test one fault each)', () => {
  assert.equal(parsePrivateKeyFile(file(envelopeBytes())).comment, 'c');
});

// Each case names the fault and a piece of the error's detail, so that it cannot pass for another reason.
const FORMAT_FAULTS: ReadonlyArray<readonly [string, () => string, string]> = [
  ['no armour', () => 'hello\n', 'missing "-----BEGIN'],
  ['no END line', () => file(envelopeBytes()).replace('-----END OPENSSH PRIVATE KEY-----\n', ''), 'missing "-----END'],
  ['text after the END line', () => file(envelopeBytes()) + 'junk\n', 'text after'],
  ['bad base64', () => file(envelopeBytes()).replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!'), 'bad base64'],
  ['wrong magic', () => file(envelopeBytes({ magic: utf8('openssh-key-v2\0') })), 'bad magic'],
  ['magic without its NUL (fields then misalign)', () => file(envelopeBytes({ magic: utf8('openssh-key-v1') })), 'truncated'],
  ['two keys', () => file(envelopeBytes({ count: 2 })), '2 keys'],
  ['zero keys', () => file(envelopeBytes({ count: 0 })), '0 keys'],
  ['trailing bytes after the private section', () => file(envelopeBytes({ trailing: new Uint8Array([0]) })), 'trailing'],
  ['oversized cipher name length', () => file(new SshWriter().raw(MAGIC).u32(0xffffffff).toBytes()), 'truncated'],
  ['oversized private section length', () => file(new SshWriter().raw(MAGIC).string('none').string('none').string('').u32(1).string(SEED.publicKey.blob).u32(0x7fffffff).raw(privateSection()).toBytes()), 'truncated'],
  ['KDF none with options', () => file(envelopeBytes({ kdfOptions: new Uint8Array(4) })), 'with options'],
  ['cipher without a KDF', () => file(envelopeBytes({ cipher: 'aes256-ctr', sealed: privateSection({ blockSize: 16 }) })), 'without a KDF'],
  ['bcrypt with zero rounds', () => file(envelopeBytes({ cipher: 'aes256-ctr', kdf: 'bcrypt', kdfOptions: new SshWriter().string(new Uint8Array(16)).u32(0).toBytes() })), 'zero rounds'],
  ['bcrypt options with trailing bytes', () => file(envelopeBytes({ cipher: 'aes256-ctr', kdf: 'bcrypt', kdfOptions: new SshWriter().string(new Uint8Array(16)).u32(1).byte(0).toBytes() })), 'trailing'],
  ['section not a whole number of blocks', () => file(envelopeBytes({ sealed: privateSection().slice(0, -1) })), 'whole number of blocks'],
  ['check-ints differ', () => file(envelopeBytes({ sealed: privateSection({ check1: 1, check2: 2 }) })), 'check-ints differ'],
  ['bad padding', () => file(envelopeBytes({ sealed: privateSection({ padding: [1, 2, 4, 3] }) })), 'bad padding'],
  ['a whole block of padding', () => file(envelopeBytes({ sealed: privateSection({ padding: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] }) })), 'too much padding'],
  ['public key in the header differs', () => file(envelopeBytes({ pub: new Ed25519PrivateKey(new Uint8Array(32).fill(1)).publicKey.blob })), 'does not match the private key'],
  ['ed25519 secret halves disagree', () => file(envelopeBytes({ sealed: privateSection({ body: (w) => w.string(SEED.publicKey.point).string(new Uint8Array(64)) }) })), 'halves disagree'],
  ['ed25519 point of 31 bytes', () => file(envelopeBytes({ sealed: privateSection({ body: (w) => w.string(new Uint8Array(31)).string(new Uint8Array(64)) }) })), 'not 32 bytes'],
  ['private section truncated inside the key', () => file(envelopeBytes({ sealed: new SshWriter().u32(5).u32(5).string('ssh-ed25519').u32(32).toBytes().slice(0, 24) })), 'truncated'],
];
for (const [name, make, detail] of FORMAT_FAULTS) {
  test(`malformed key file: ${name} -> KeyFormatError`, () => {
    assert.throws(() => parsePrivateKeyFile(make()), (e: unknown) => e instanceof KeyFormatError && e.detail.includes(detail));
  });
}

test('unknown cipher or KDF -> UnsupportedKeyCipherError', () => {
  assert.throws(() => parsePrivateKeyFile(file(envelopeBytes({ cipher: 'aes256-gcm@openssh.com', kdf: 'bcrypt' }))), UnsupportedKeyCipherError);
  assert.throws(() => parsePrivateKeyFile(file(envelopeBytes({ cipher: 'aes256-ctr', kdf: 'scrypt' }))), UnsupportedKeyCipherError);
  assert.throws(() => serializePrivateKey(SEED, { passphrase: 'x', cipher: 'rot13', random: systemRandom }), UnsupportedKeyCipherError);
});

test('every truncation and every single-bit flip of a key file is parsed or refused with a typed error', () => {
  const data = unarmour(keyFixture('id_ed25519'), OPENSSH_PRIVATE_KEY_LABEL);
  const typed = (e: unknown) => e instanceof ProtocolError;
  for (let n = 0; n < data.length; n++) {
    assert.throws(() => parsePrivateKeyFile(file(data.slice(0, n))), typed, `truncated to ${n}`);
  }
  for (let i = 0; i < data.length; i++) {
    const bad = data.slice();
    bad[i] ^= 0x04;
    try {
      parsePrivateKeyFile(file(bad));
    } catch (e) {
      assert.ok(typed(e), `flip at ${i}: ${String(e)}`);
    }
  }
});

test('a flipped bit in the encrypted section reads as a wrong passphrase or a format error', () => {
  const text = keyFixture('id_ed25519_enc_a2');
  const data = unarmour(text, OPENSSH_PRIVATE_KEY_LABEL);
  data[data.length - 40] ^= 0x01; // inside the sealed key, after the check-ints
  assert.throws(() => parsePrivateKeyFile(file(data), ENC_A2_PASSPHRASE), (e: unknown) => e instanceof KeyFormatError || e instanceof KeyDecryptError);
});
