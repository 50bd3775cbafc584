// Finite-field Diffie-Hellman (RFC 4253 §8, RFC 8268): the RFC 2409/3526 primes, the OpenSSL-backed modular
// exponentiation against textbook BigInt arithmetic, the fixed-group methods against a hand-made peer, and the
// range checks on e and f.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPrimeSync, getDiffieHellman } from 'node:crypto';
import { dhPublicValue, dhSharedValue } from '@tssh/ssh-protocol/crypto';
import {
  KEXDH_MSG,
  KEX_METHODS,
  MODP_2048,
  MODP_3072,
  MODP_4096,
  MODP_6144,
  MODP_8192,
  OAKLEY_GROUP_2,
  type DhGroup,
} from '@tssh/ssh-protocol/kex';
import { DecodeError, KexError, ProtocolError, SshReader, SshWriter, utf8 } from '@tssh/ssh-protocol/wire';
import { testEnv } from '../helpers/env.js';
import { expectedExchangeHash, kexInputs, modPow, recordingHostKey } from '../helpers/kex-peer.js';

const GROUPS: [string, DhGroup, number, string][] = [
  ['RFC 2409 group 2', OAKLEY_GROUP_2, 1024, 'modp2'],
  ['RFC 3526 group 14', MODP_2048, 2048, 'modp14'],
  ['RFC 3526 group 15', MODP_3072, 3072, 'modp15'],
  ['RFC 3526 group 16', MODP_4096, 4096, 'modp16'],
  ['RFC 3526 group 17', MODP_6144, 6144, 'modp17'],
  ['RFC 3526 group 18', MODP_8192, 8192, 'modp18'],
];

for (const [what, group, bits, openssl] of GROUPS) {
  test(`${what}: ${bits} bits, generator 2, the prime OpenSSL knows as ${openssl}`, () => {
    assert.equal(group.bits, bits);
    assert.equal(group.p.toString(2).length, bits);
    assert.equal(group.g, 2n);
    assert.equal(group.p.toString(16), getDiffieHellman(openssl).getPrime('hex'));
    // RFC 3526 §1: the top and bottom 64 bits are all ones.
    const ones = (1n << 64n) - 1n;
    assert.equal(group.p >> BigInt(bits - 64), ones);
    assert.equal(group.p & ones, ones);
    // A safe prime with 2 generating the subgroup of order q: p = 7 mod 8 makes 2 a quadratic residue.
    assert.equal(group.p % 8n, 7n);
  });
}

for (const [what, group] of GROUPS.slice(0, 2)) {
  // Proving the larger primes takes OpenSSL seconds to minutes; these two stand for the construction.
  test(`${what}: p and (p-1)/2 are prime`, () => {
    assert.ok(checkPrimeSync(group.p, { checks: 8 }));
    assert.ok(checkPrimeSync((group.p - 1n) / 2n, { checks: 8 }));
  });
}

const env = testEnv();
function randomExponent(bits: number): bigint {
  let x = 0n;
  for (const b of env.random(bits / 8)) x = (x << 8n) | BigInt(b);
  return x | (1n << BigInt(bits - 1));
}

// Both backends of the adapter: OpenSSL's named-group path, and the key-object path for any other prime (here the
// Mersenne prime 2^1279 - 1, which OpenSSL does not know by name).
const M1279 = (1n << 1279n) - 1n;
for (const [what, p] of [
  ['named group (modp14)', MODP_2048.p],
  ['named group (modp18)', MODP_8192.p],
  ['other prime (2^1279 - 1)', M1279],
] as const) {
  test(`modular exponentiation, ${what}: equal to BigInt square-and-multiply`, () => {
    const x = randomExponent(512);
    const y = randomExponent(256);
    const gx = dhPublicValue(p, 2n, x);
    assert.equal(gx, modPow(2n, x, p));
    const gy = modPow(2n, y, p);
    assert.equal(dhSharedValue(p, 2n, x, gy), modPow(gy, x, p));
    assert.equal(dhSharedValue(p, 2n, x, gy), modPow(gx, y, p));
  });
}

test('modular exponentiation: private exponents outside (1, p-1) are refused', () => {
  assert.throws(() => dhPublicValue(MODP_2048.p, 2n, 1n), RangeError);
  assert.throws(() => dhPublicValue(MODP_2048.p, 2n, MODP_2048.p - 1n), RangeError);
});

// --- the fixed-group methods ---------------------------------------------------------------------------------------

const METHODS = [
  { name: 'diffie-hellman-group14-sha256', group: MODP_2048, hash: 'sha256' },
  { name: 'diffie-hellman-group16-sha512', group: MODP_4096, hash: 'sha512' },
  { name: 'diffie-hellman-group18-sha512', group: MODP_8192, hash: 'sha512' },
  { name: 'diffie-hellman-group14-sha1', group: MODP_2048, hash: 'sha1' },
  { name: 'diffie-hellman-group1-sha1', group: OAKLEY_GROUP_2, hash: 'sha1' },
] as const;

const mpint = (v: bigint): Uint8Array => new SshWriter().mpint(v).toBytes();

for (const m of METHODS) {
  const method = KEX_METHODS.get(m.name)!;
  const { p } = m.group;

  test(`${m.name}: registered with ${m.hash}`, () => assert.equal(method.hash, m.hash));

  test(`${m.name}: server side against a hand-made client: f, K, H`, () => {
    const inputs = kexInputs();
    const hostKey = recordingHostKey();
    const x = randomExponent(256);
    const e = modPow(2n, x, p);
    const { send, result } = method.server(inputs, hostKey).handle(new SshWriter().byte(KEXDH_MSG.INIT).mpint(e).toBytes());
    const r = new SshReader(send[0]);
    assert.equal(r.byte(), KEXDH_MSG.REPLY);
    assert.deepEqual(r.bytes(), hostKey.blob);
    const f = r.mpint();
    r.bytes();
    r.end();
    assert.ok(f > 1n && f < p - 1n);
    const k = mpint(modPow(f, x, p));
    assert.deepEqual(result?.sharedSecret, k);
    const h = expectedExchangeHash(m.hash, inputs, hostKey.blob, new Uint8Array([...mpint(e), ...mpint(f)]), k);
    assert.deepEqual(result?.exchangeHash, h);
    assert.deepEqual(hostKey.signed, [h]);
  });

  test(`${m.name}: client side against a hand-made server: e, K, H`, () => {
    const inputs = kexInputs();
    const client = method.client(inputs);
    const r = new SshReader(client.start()[0]);
    assert.equal(r.byte(), KEXDH_MSG.INIT);
    const e = r.mpint();
    r.end();
    assert.ok(e > 1n && e < p - 1n);
    const y = randomExponent(256);
    const f = modPow(2n, y, p);
    const reply = new SshWriter().byte(KEXDH_MSG.REPLY).string('K_S').mpint(f).string('sig').toBytes();
    const { result } = client.handle(reply);
    const k = mpint(modPow(e, y, p));
    assert.deepEqual(result?.sharedSecret, k);
    assert.deepEqual(result?.exchangeHash, expectedExchangeHash(m.hash, inputs, utf8('K_S'), new Uint8Array([...mpint(e), ...mpint(f)]), k));
  });
}

// RFC 4253 §8: values outside [1, p-1] MUST NOT be accepted; 1 and p-1 give a known K and are refused as well.
const p14 = MODP_2048.p;
const OUT_OF_RANGE: [string, bigint][] = [
  ['0', 0n],
  ['1', 1n],
  ['p-1', p14 - 1n],
  ['p', p14],
  ['p+1', p14 + 1n],
  ['-1', -1n],
  ['-p', -p14],
];
const group14 = KEX_METHODS.get('diffie-hellman-group14-sha256')!;

for (const [what, v] of OUT_OF_RANGE) {
  test(`diffie-hellman-group14-sha256: e = ${what} refused with KexError`, () => {
    const server = group14.server(kexInputs(), recordingHostKey());
    assert.throws(() => server.handle(new SshWriter().byte(KEXDH_MSG.INIT).mpint(v).toBytes()), KexError);
  });
  test(`diffie-hellman-group14-sha256: f = ${what} refused with KexError`, () => {
    const client = group14.client(kexInputs());
    client.start();
    const reply = new SshWriter().byte(KEXDH_MSG.REPLY).string('K_S').mpint(v).string('sig').toBytes();
    assert.throws(() => client.handle(reply), KexError);
  });
}

test('diffie-hellman-group14-sha256: trailing bytes, truncation and wrong message numbers are protocol errors', () => {
  const e = modPow(2n, randomExponent(256), p14);
  const init = new SshWriter().byte(KEXDH_MSG.INIT).mpint(e).toBytes();
  const server = group14.server(kexInputs(), recordingHostKey());
  assert.throws(() => server.handle(Uint8Array.of(...init, 0)), DecodeError);
  assert.throws(() => server.handle(init.subarray(0, init.length - 1)), DecodeError);
  assert.throws(() => server.handle(Uint8Array.of(KEXDH_MSG.REPLY, ...init.subarray(1))), ProtocolError);
  const client = group14.client(kexInputs());
  client.start();
  const reply = new SshWriter().byte(KEXDH_MSG.REPLY).string('K_S').mpint(e).string('sig').toBytes();
  assert.throws(() => client.handle(Uint8Array.of(...reply, 0)), DecodeError);
  assert.throws(() => client.handle(init), ProtocolError);
});

test('an mpint with a superfluous leading zero byte (non-minimal encoding) is a protocol error', () => {
  const init = new SshWriter().byte(KEXDH_MSG.INIT).string(Uint8Array.of(0, 0x12, 0x34)).toBytes();
  assert.throws(() => group14.server(kexInputs(), recordingHostKey()).handle(init), DecodeError);
});
