import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MethodLists, keyTypeLabel, printable, sha256Fingerprint } from '@tssh/ssh-protocol/auth';
import { fromHex } from '@tssh/ssh-protocol/wire';

test('AuthenticationMethods: only list heads are offered, first seen first', () => {
  const l = new MethodLists([['publickey', 'password'], ['publickey', 'keyboard-interactive'], ['password']]);
  assert.deepEqual(l.offered(), ['publickey', 'password']);
  assert.equal(l.allows('keyboard-interactive'), false);
  assert.equal(l.allows('password'), true);
});

test('AuthenticationMethods: a success advances every list it heads; done when one list is empty', () => {
  const l = new MethodLists([['publickey', 'password'], ['publickey', 'keyboard-interactive']]);
  assert.equal(l.complete('publickey'), false);
  assert.deepEqual(l.offered(), ['password', 'keyboard-interactive']);
  assert.equal(l.allows('publickey'), false);
  assert.equal(l.complete('keyboard-interactive'), true);
});

test('AuthenticationMethods: publickey,publickey needs two successes', () => {
  const l = new MethodLists([['publickey', 'publickey']]);
  assert.equal(l.complete('publickey'), false);
  assert.deepEqual(l.offered(), ['publickey']);
  assert.equal(l.complete('publickey'), true);
});

test('AuthenticationMethods: a method heading no list completes nothing; empty lists are ignored', () => {
  const l = new MethodLists([[], ['password', 'publickey']]);
  assert.deepEqual(l.offered(), ['password']);
  assert.equal(l.complete('publickey'), false);
  assert.deepEqual(l.offered(), ['password']);
  assert.deepEqual(new MethodLists([]).offered(), []);
});

test('log text: control characters escaped, keys labelled like sshd', () => {
  assert.equal(printable('alice'), 'alice');
  assert.equal(printable('a\nFailed\r\x1b[1m\\'), 'a\\012Failed\\015\\033[1m\\\\');
  assert.equal(keyTypeLabel('ssh-ed25519'), 'ED25519');
  assert.equal(keyTypeLabel('ecdsa-sha2-nistp384'), 'ECDSA');
  assert.equal(keyTypeLabel('ssh-rsa'), 'RSA');
  assert.equal(keyTypeLabel('x\n'), 'x\\012');
});

test('log text: SHA256 fingerprint matches ssh-keygen -l', () => {
  // ssh-keygen -lf of "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGVCZLylPWpROxl2mZLhHfRqfL+a/Vm/c6qve7NM3P6j"
  const blob = fromHex('0000000b7373682d6564323535313900000020654264bca53d6a513b19769992e11df46a7cbf9afd59bf73aaaf7bb34cdcfea3');
  assert.equal(sha256Fingerprint(blob), 'SHA256:4zbj3JoGGnDMdqM5jVGiKGt0G6tfktV4t/BmVCuW05o');
});
