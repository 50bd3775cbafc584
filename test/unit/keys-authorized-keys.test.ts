import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_AUTHORIZED_KEY_OPTIONS,
  KeyFormatError,
  findAuthorizedKey,
  findAuthorizedKeys,
  optionsFieldEnd,
  parseAuthorizedKeyOptions,
  parseAuthorizedKeys,
  parseExpiryTime,
  parsePublicKeyLine,
  type AuthorizedKeyOptions,
} from '@tssh/ssh-protocol/keys';
import { keyFixture, keyFixtureLines } from '../helpers/key-fixtures.js';

const ALICE = parsePublicKeyLine(keyFixtureLines('id_ed25519.pub')[0]).key;
const BOB = parsePublicKeyLine(keyFixtureLines('id_ed25519_enc.pub')[0]).key;
const HOST_A = parsePublicKeyLine(keyFixtureLines('host_a_ed25519.pub')[0]).key;
const HOST_B = parsePublicKeyLine(keyFixtureLines('host_b_ed25519.pub')[0]).key;
const BOB_KEY_TEXT = keyFixtureLines('id_ed25519_enc.pub')[0];

test('the fixture: four keys with their options, one bad line reported by number', () => {
  const { entries, problems } = parseAuthorizedKeys(keyFixture('authorized_keys'), 'authorized_keys');
  assert.deepEqual(
    entries.map((e) => [e.line, e.keyType, e.comment]),
    [
      [2, 'ssh-ed25519', 'alice@example.com'],
      [3, 'ssh-ed25519', 'bob@example.com'],
      [4, 'ssh-ed25519', 'options and comment'],
      [5, 'ecdsa-sha2-nistp256', 'carol@example.com'],
    ],
  );
  assert.deepEqual(problems.map((p) => [p.file, p.line]), [['authorized_keys', 6]]);
  assert.equal(entries[0].options, DEFAULT_AUTHORIZED_KEY_OPTIONS);
  const bob = entries[1].options;
  assert.equal(bob.command, 'echo "hi"');
  assert.equal(bob.pty, false);
  assert.equal(bob.from, '192.0.2.*,!192.0.2.9');
  assert.equal(entries[1].optionsText, 'command="echo \\"hi\\"",no-pty,from="192.0.2.*,!192.0.2.9"');
  const host = entries[2].options;
  assert.equal(host.restrict, true);
  assert.equal(host.pty, true);
  assert.equal(host.portForwarding, false);
  assert.equal(host.agentForwarding, false);
  assert.deepEqual(host.environment, [{ name: 'LANG', value: 'C' }]);
  assert.deepEqual(host.permitOpen, ['localhost:80']);
  assert.equal(host.expiryTime, new Date(2030, 0, 1).getTime() / 1000);
  assert.equal(entries[3].key?.type, 'ecdsa-sha2-nistp256');
});

test('ECDSA and RSA keys are found in authorized_keys like any other', () => {
  const { entries } = parseAuthorizedKeys(keyFixture('authorized_keys'));
  const carol = parsePublicKeyLine(keyFixtureLines('id_ecdsa.pub')[0]).key;
  assert.equal(findAuthorizedKey(entries, carol)?.line, 5);
  const rsa = parsePublicKeyLine(keyFixtureLines('id_rsa.pub')[0]).key;
  assert.equal(findAuthorizedKey(entries, rsa), undefined);
  const withRsa = parseAuthorizedKeys(`from="10.0.0.0/8" ${keyFixtureLines('id_rsa.pub')[0]}\n`).entries;
  assert.equal(findAuthorizedKey(withRsa, rsa)?.options.from, '10.0.0.0/8');
});

test('findAuthorizedKey compares blobs; cert-authority lines never match a plain key', () => {
  const { entries } = parseAuthorizedKeys(keyFixture('authorized_keys'));
  assert.equal(findAuthorizedKey(entries, ALICE)?.line, 2);
  assert.equal(findAuthorizedKey(entries, BOB)?.line, 3);
  assert.equal(findAuthorizedKey(entries, HOST_B), undefined);
  const ca = parseAuthorizedKeys(`cert-authority ${BOB_KEY_TEXT}\nfrom="x" ${BOB_KEY_TEXT}\n${BOB_KEY_TEXT}\n`).entries;
  assert.deepEqual(findAuthorizedKeys(ca, BOB).map((e) => e.line), [2, 3]);
  assert.equal(findAuthorizedKey(ca, HOST_A), undefined);
});

test('blank lines, comments, leading blanks and CRLF', () => {
  const text = `\r\n   \r\n# c\r\n  \t${BOB_KEY_TEXT}\r\n  no-pty ${BOB_KEY_TEXT}\r\n`;
  const { entries, problems } = parseAuthorizedKeys(text);
  assert.deepEqual(problems, []);
  assert.deepEqual(entries.map((e) => [e.line, e.comment, e.options.pty]), [[4, 'bob@example.com', true], [5, 'bob@example.com', false]]);
});

const OPTIONS: ReadonlyArray<readonly [string, Partial<AuthorizedKeyOptions>]> = [
  ['no-port-forwarding,no-agent-forwarding,no-X11-forwarding', { portForwarding: false, agentForwarding: false, x11Forwarding: false }],
  ['restrict', { restrict: true, portForwarding: false, agentForwarding: false, x11Forwarding: false, pty: false, userRc: false }],
  ['restrict,port-forwarding,user-rc', { restrict: true, portForwarding: true, userRc: true, pty: false }],
  ['NO-PTY,No-User-Rc', { pty: false, userRc: false }],
  ['cert-authority,principals="alice,bob"', { certAuthority: true, principals: 'alice,bob' }],
  ['command="a \\"b\\" c\\\\d"', { command: 'a "b" c\\\\d' }],
  ['command=""', { command: '' }],
  ['environment="A=1",environment="B=x=y",environment="A=2"', { environment: [{ name: 'A', value: '1' }, { name: 'B', value: 'x=y' }] }],
  ['permitopen="host:22",permitopen="[::1]:*"', { permitOpen: ['host:22', '[::1]:*'] }],
  ['permitlisten="8080",permitlisten="localhost:9000"', { permitListen: ['*:8080', 'localhost:9000'] }],
  ['tunnel="3"', { tunnel: 3 }],
  ['tunnel="any"', { tunnel: 'any' }],
  ['expiry-time="20300101Z",expiry-time="20250101Z"', { expiryTime: Date.UTC(2025, 0, 1) / 1000 }],
  ['no-touch-required,verify-required', { noTouchRequired: true, verifyRequired: true }],
  ['touch-required,no-verify-required', { noTouchRequired: false, verifyRequired: false }],
];
for (const [text, want] of OPTIONS) {
  test(`options ${text}`, () => {
    const got = parseAuthorizedKeyOptions(text);
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof AuthorizedKeyOptions], v, k);
  });
}

const BAD_OPTIONS: ReadonlyArray<readonly [string, string]> = [
  ['no-such-option', 'unknown key option'],
  ['ptyx', 'unknown key option'],
  ['no-restrict', 'unknown key option'],
  ['no-pty,', 'unexpected end-of-options'],
  ['command=x', 'missing start quote'],
  ['command="x', 'missing end quote'],
  ['command="x"y', 'unknown key option'],
  ['command="a",command="b"', 'multiple "command" clauses'],
  ['from="a",from="b"', 'multiple "from" clauses'],
  ['environment="NOEQUALS"', 'invalid environment string'],
  ['environment="=x"', 'invalid environment string'],
  ['environment="BAD-NAME=x"', 'invalid environment string'],
  ['permitopen="host"', 'invalid permission port'],
  ['permitopen="[::1"', 'invalid permission hostname'],
  ['permitopen="[::1]x"', 'invalid permission hostname'],
  ['permitopen="host:0"', 'invalid permission port'],
  ['permitopen="host:http"', 'invalid permission port'],
  ['permitopen="host:65536"', 'invalid permission port'],
  ['permitlisten="host:"', 'invalid permission port'],
  ['expiry-time="2030"', 'invalid expires time'],
  ['expiry-time="20301301"', 'invalid expires time'],
  ['expiry-time="19000101"', 'invalid expires time'],
  ['tunnel="-1"', 'invalid tun device'],
];
for (const [text, reason] of BAD_OPTIONS) {
  test(`bad options ${text} -> ${reason}`, () => {
    assert.throws(() => parseAuthorizedKeyOptions(text), (e: unknown) => e instanceof KeyFormatError && e.detail === reason);
  });
}

test('a line with bad options is skipped with the reason, the rest of the file still counts', () => {
  const { entries, problems } = parseAuthorizedKeys(`bogus ${BOB_KEY_TEXT}\ncommand="unterminated ${BOB_KEY_TEXT}\n${BOB_KEY_TEXT}\n`);
  assert.deepEqual(entries.map((e) => e.line), [3]);
  assert.deepEqual(problems.map((p) => [p.line, p.reason]), [
    [1, 'unknown key option'],
    [2, 'unterminated quote in options'],
  ]);
});

test('options end at the first blank outside quotes; \\" does not close a quote', () => {
  assert.equal(optionsFieldEnd('a,b ssh-ed25519'), 3);
  assert.equal(optionsFieldEnd('command="x y",no-pty ssh'), 20);
  assert.equal(optionsFieldEnd('command="x \\" y" ssh'), 16);
  assert.equal(optionsFieldEnd('command="x y'), undefined);
});

test('expiry times: local by default, Z or UTC for UTC, 8, 12 or 14 digits', () => {
  assert.equal(parseExpiryTime('20300102'), new Date(2030, 0, 2).getTime() / 1000);
  assert.equal(parseExpiryTime('203001020304'), new Date(2030, 0, 2, 3, 4).getTime() / 1000);
  assert.equal(parseExpiryTime('20300102030405Z'), Date.UTC(2030, 0, 2, 3, 4, 5) / 1000);
  assert.equal(parseExpiryTime('20300102utc'), Date.UTC(2030, 0, 2) / 1000);
  for (const bad of ['2030010', '2030010203', '20300102030405X', '20300132', '20300102250000', 'x0300102']) {
    assert.equal(parseExpiryTime(bad), undefined, bad);
  }
});
