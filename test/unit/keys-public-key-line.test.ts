import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Ed25519PrivateKey,
  KeyFormatError,
  UnsupportedKeyTypeError,
  decodeBase64,
  fingerprint,
  fingerprintLine,
  fingerprintMd5,
  fingerprintSha256,
  formatPublicKeyLine,
  keyTypeLabel,
  parsePublicKeyLine,
  randomArt,
  readKeyLine,
} from '@tssh/ssh-protocol/keys';
import { SshWriter, bytesEqual } from '@tssh/ssh-protocol/wire';
import { keyFixture, keyFixtureLines } from '../helpers/key-fixtures.js';

const ALICE_LINE = keyFixtureLines('id_ed25519.pub')[0];
const ALICE = parsePublicKeyLine(ALICE_LINE);

test('a .pub line made by ssh-keygen parses and formats back to the same text', () => {
  assert.equal(ALICE.key.type, 'ssh-ed25519');
  assert.equal(ALICE.comment, 'alice@example.com');
  assert.equal(formatPublicKeyLine(ALICE.key, ALICE.comment), ALICE_LINE);
  assert.equal(formatPublicKeyLine(ALICE.key.blob, ALICE.comment), ALICE_LINE);
});

test('comment is optional; blanks, tabs and CRLF around the fields are accepted', () => {
  const [type, b64] = ALICE_LINE.split(' ');
  assert.equal(parsePublicKeyLine(`${type} ${b64}`).comment, '');
  assert.equal(formatPublicKeyLine(ALICE.key), `${type} ${b64}`);
  const spaced = parsePublicKeyLine(`  ${type}\t${b64}   two words \r\n`);
  assert.equal(spaced.comment, 'two words');
  assert.ok(bytesEqual(spaced.key.blob, ALICE.key.blob));
});

test('a type we do not implement: UnsupportedKeyTypeError from parsePublicKeyLine, a blob from readKeyLine', () => {
  const line = keyFixtureLines('id_dsa.pub')[0];
  assert.throws(() => parsePublicKeyLine(line), UnsupportedKeyTypeError);
  const raw = readKeyLine(line);
  assert.equal(raw.keyType, 'ssh-dss');
  assert.equal(raw.key, undefined);
  assert.equal(raw.comment, 'dsa@example.com');
});

const [TYPE, B64] = ALICE_LINE.split(' ');
const blobWith = (extra: (w: SshWriter) => void) => {
  const w = new SshWriter();
  extra(w);
  return Buffer.from(w.toBytes()).toString('base64');
};
const BAD_LINES: ReadonlyArray<readonly [string, string]> = [
  ['', 'expected'],
  [TYPE, 'expected'],
  [`${TYPE} !!!!`, 'bad base64'],
  [`${TYPE} ${B64.slice(0, -1)}`, 'bad base64'],
  [`${TYPE} ${B64.slice(0, -4)}`, 'truncated'],
  [`ssh-rsa ${B64}`, 'does not match'],
  [`${TYPE} ${blobWith((w) => w.u32(200))}`, 'not a key blob'],
  [`${TYPE} ${blobWith((w) => w.string(TYPE).string(new Uint8Array(32)).byte(0))}`, 'trailing'],
  [`${TYPE} ${blobWith((w) => w.string(TYPE).u32(32))}`, 'truncated'],
];
for (const [line, detail] of BAD_LINES) {
  test(`malformed key line ${JSON.stringify(line.slice(0, 40))} -> KeyFormatError (${detail})`, () => {
    assert.throws(() => parsePublicKeyLine(line), (e: unknown) => e instanceof KeyFormatError && e.detail.includes(detail));
  });
}

test('a 31-byte ed25519 point is refused', () => {
  assert.throws(() => parsePublicKeyLine(`${TYPE} ${blobWith((w) => w.string(TYPE).string(new Uint8Array(31)))}`));
});

test('base64 decoding is strict: alphabet, padding, and no stray bits', () => {
  assert.deepEqual(decodeBase64('YWJj'), new Uint8Array([97, 98, 99]));
  assert.deepEqual(decodeBase64('YWI='), new Uint8Array([97, 98]));
  for (const bad of ['YWJ', 'YW=j', 'YWJj=', 'YW Jj', 'YWJ-', 'YWK=']) assert.equal(decodeBase64(bad), undefined, bad);
});

test('ssh-keygen -l line for a .pub file', () => {
  assert.equal(fingerprintLine(ALICE.key, ALICE.comment), keyFixtureLines('keygen-l-id_ed25519.pub.out')[0]);
});

test('ssh-keygen -l -E md5 line', () => {
  assert.equal(fingerprintLine(ALICE.key, ALICE.comment, 'md5'), keyFixtureLines('keygen-l-md5-id_ed25519.pub.out')[0]);
  assert.match(fingerprintMd5(ALICE.key), /^MD5:([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
});

test('SHA256 fingerprint: unpadded base64, same from the key or its blob', () => {
  const fp = fingerprintSha256(ALICE.key);
  assert.match(fp, /^SHA256:[A-Za-z0-9+/]{43}$/);
  assert.equal(fingerprintSha256(ALICE.key.blob), fp);
  assert.equal(fingerprint(ALICE.key), fp);
});

test('an empty comment prints "no comment"', () => {
  const key = new Ed25519PrivateKey(new Uint8Array(32).fill(9)).publicKey;
  assert.match(fingerprintLine(key, ''), /^256 SHA256:\S+ no comment \(ED25519\)$/);
});

test('randomart matches ssh-keygen -lv', () => {
  const expected = keyFixture('keygen-lv-id_ed25519.pub.out').split('\n').slice(1, 12).join('\n');
  assert.equal(randomArt(ALICE.key), expected);
});

test('MD5 randomart has the [MD5] footer', () => {
  const art = randomArt(ALICE.key, 'md5').split('\n');
  assert.equal(art.length, 11);
  assert.equal(art[10], '+------[MD5]------+');
  assert.equal(art[0], '+--[ED25519 256]--+');
});

test('key type labels follow ssh-keygen', () => {
  assert.equal(keyTypeLabel('ssh-ed25519'), 'ED25519');
  assert.equal(keyTypeLabel('ecdsa-sha2-nistp384'), 'ECDSA');
  assert.equal(keyTypeLabel('ssh-rsa'), 'RSA');
  assert.equal(keyTypeLabel('made-up'), 'unknown');
});
