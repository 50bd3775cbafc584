// The KEX registry: what is supported (any name usable in configuration) apart from what is offered by default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_KEX, KEX_METHODS } from '@tssh/ssh-protocol/kex';
import { algorithmCatalog, defaultAlgorithms } from '@tssh/ssh-protocol/transport';

const LEGACY = ['diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1', 'diffie-hellman-group1-sha1'];

test('defaults are in OpenSSH 10 order and every default is implemented', () => {
  const ours = [
    'mlkem768x25519-sha256',
    'curve25519-sha256',
    'curve25519-sha256@libssh.org',
    'ecdh-sha2-nistp256',
    'ecdh-sha2-nistp384',
    'ecdh-sha2-nistp521',
    'diffie-hellman-group-exchange-sha256',
    'diffie-hellman-group16-sha512',
    'diffie-hellman-group18-sha512',
    'diffie-hellman-group14-sha256',
  ];
  // Methods added by other files (sntrup761x25519) may sit between these; the relative order must hold.
  assert.deepEqual(DEFAULT_KEX.filter((n) => ours.includes(n)), ours);
  for (const name of DEFAULT_KEX) assert.ok(KEX_METHODS.has(name), `${name} is a default but not implemented`);
  assert.equal(new Set(DEFAULT_KEX).size, DEFAULT_KEX.length);
});

test('SHA-1 methods are supported by name but never offered by default', () => {
  for (const name of LEGACY) {
    assert.ok(KEX_METHODS.has(name), name);
    assert.ok(!DEFAULT_KEX.includes(name), name);
    assert.equal(KEX_METHODS.get(name)!.hash, 'sha1');
  }
});

test('the transport offers DEFAULT_KEX, and configuration accepts everything in KEX_METHODS', () => {
  assert.deepEqual(defaultAlgorithms().kex, DEFAULT_KEX);
  const catalog = algorithmCatalog().kexAlgorithms;
  assert.deepEqual(catalog.defaults, DEFAULT_KEX);
  assert.deepEqual([...catalog.supported].sort(), [...KEX_METHODS.keys()].sort());
});

test('each method is registered under its own name', () => {
  for (const [name, method] of KEX_METHODS) assert.equal(method.name, name);
});
