// Diffie-Hellman group exchange (RFC 4419): the server's choice of group, both halves against a hand-made peer
// (with min/n/max, p and g in H, and n alone for the old request), and refusals of bad requests and groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GEX_MAX_BITS,
  GEX_MIN_BITS,
  GEX_PREFERRED_BITS,
  KEX_DH_GEX_MSG,
  KEX_METHODS,
  MODP_2048,
  MODP_3072,
  MODP_4096,
  MODP_8192,
  chooseGexGroup,
  type KexMethod,
} from '@tssh/ssh-protocol/kex';
import { DecodeError, KexError, ProtocolError, SshReader, SshWriter, utf8 } from '@tssh/ssh-protocol/wire';
import { testEnv } from '../helpers/env.js';
import { expectedExchangeHash, kexInputs, modPow, recordingHostKey } from '../helpers/kex-peer.js';

const env = testEnv();
function randomExponent(bits: number): bigint {
  let x = 0n;
  for (const b of env.random(bits / 8)) x = (x << 8n) | BigInt(b);
  return x | (1n << BigInt(bits - 1));
}
const mpint = (v: bigint): Uint8Array => new SshWriter().mpint(v).toBytes();
const u32 = (...v: number[]): Uint8Array => v.reduce((w, n) => w.u32(n), new SshWriter()).toBytes();
const cat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(parts.flatMap((p) => [...p]));

for (const [min, n, max, bits] of [
  [2048, 4096, 8192, 4096],
  [2048, 3000, 8192, 3072],
  [2048, 2048, 2048, 2048],
  [2048, 8192, 8192, 8192],
  [3000, 3000, 3500, 3072],
  [2048, 7000, 7000, 6144], // nothing of 7000 bits or more fits: the largest below
  [6144, 8192, 8192, 8192],
] as const) {
  test(`group choice: min ${min}, n ${n}, max ${max} gives ${bits} bits`, () => {
    assert.equal(chooseGexGroup(min, n, max).bits, bits);
  });
}

for (const [min, n, max] of [
  [1024, 1024, 1536],
  [4097, 5000, 6000],
] as const) {
  test(`group choice: nothing between ${min} and ${max} bits is a KexError`, () => {
    assert.throws(() => chooseGexGroup(min, n, max), KexError);
  });
}

const METHODS = [
  { name: 'diffie-hellman-group-exchange-sha256', hash: 'sha256' },
  { name: 'diffie-hellman-group-exchange-sha1', hash: 'sha1' },
] as const;

function groupOf(payload: Uint8Array): { p: bigint; g: bigint } {
  const r = new SshReader(payload);
  assert.equal(r.byte(), KEX_DH_GEX_MSG.GROUP);
  const group = { p: r.mpint(), g: r.mpint() };
  r.end();
  return group;
}

/** Run the server from `request` to its reply against a hand-made client; check K, H and the signed hash. */
function serverRun(method: KexMethod, hashName: 'sha1' | 'sha256', request: Uint8Array, hashedRequest: Uint8Array, bits: number): void {
  const inputs = kexInputs();
  const hostKey = recordingHostKey();
  const server = method.server(inputs, hostKey);
  const first = server.handle(request);
  assert.equal(first.result, undefined);
  const { p, g } = groupOf(first.send[0]);
  assert.equal(p.toString(2).length, bits);
  assert.equal(g, 2n);
  const x = randomExponent(256);
  const e = modPow(g, x, p);
  const { send, result } = server.handle(new SshWriter().byte(KEX_DH_GEX_MSG.INIT).mpint(e).toBytes());
  const r = new SshReader(send[0]);
  assert.equal(r.byte(), KEX_DH_GEX_MSG.REPLY);
  assert.deepEqual(r.bytes(), hostKey.blob);
  const f = r.mpint();
  r.bytes();
  r.end();
  const k = mpint(modPow(f, x, p));
  assert.deepEqual(result?.sharedSecret, k);
  const fields = cat(hashedRequest, mpint(p), mpint(g), mpint(e), mpint(f));
  const h = expectedExchangeHash(hashName, inputs, hostKey.blob, fields, k);
  assert.deepEqual(result?.exchangeHash, h);
  assert.deepEqual(hostKey.signed, [h]);
}

for (const m of METHODS) {
  const method = KEX_METHODS.get(m.name)!;

  test(`${m.name}: registered with ${m.hash}`, () => assert.equal(method.hash, m.hash));

  test(`${m.name}: server: REQUEST 2048/3072/8192 gets the 3072-bit group; H holds min, n, max, p, g`, () => {
    const request = new SshWriter().byte(KEX_DH_GEX_MSG.REQUEST).u32(2048).u32(3072).u32(8192).toBytes();
    serverRun(method, m.hash, request, u32(2048, 3072, 8192), 3072);
  });

  test(`${m.name}: server: values outside our range are clamped, and H keeps them as sent`, () => {
    const request = new SshWriter().byte(KEX_DH_GEX_MSG.REQUEST).u32(1024).u32(1024).u32(16384).toBytes();
    serverRun(method, m.hash, request, u32(1024, 1024, 16384), 2048);
  });

  test(`${m.name}: server: the old request (n only) is accepted, and H holds n alone`, () => {
    const request = new SshWriter().byte(KEX_DH_GEX_MSG.REQUEST_OLD).u32(2048).toBytes();
    serverRun(method, m.hash, request, u32(2048), 2048);
  });

  test(`${m.name}: client: asks for ${GEX_MIN_BITS}/${GEX_PREFERRED_BITS}/${GEX_MAX_BITS}, then e, K and H`, () => {
    const inputs = kexInputs();
    const client = method.client(inputs);
    const [request] = client.start();
    assert.deepEqual(request, cat(Uint8Array.of(KEX_DH_GEX_MSG.REQUEST), u32(GEX_MIN_BITS, GEX_PREFERRED_BITS, GEX_MAX_BITS)));
    const { p, g } = MODP_4096;
    const step = client.handle(new SshWriter().byte(KEX_DH_GEX_MSG.GROUP).mpint(p).mpint(g).toBytes());
    assert.equal(step.result, undefined);
    const r = new SshReader(step.send[0]);
    assert.equal(r.byte(), KEX_DH_GEX_MSG.INIT);
    const e = r.mpint();
    r.end();
    assert.ok(e > 1n && e < p - 1n);
    const y = randomExponent(256);
    const f = modPow(g, y, p);
    const { result } = client.handle(new SshWriter().byte(KEX_DH_GEX_MSG.REPLY).string('K_S').mpint(f).string('sig').toBytes());
    const k = mpint(modPow(e, y, p));
    assert.deepEqual(result?.sharedSecret, k);
    const fields = cat(u32(GEX_MIN_BITS, GEX_PREFERRED_BITS, GEX_MAX_BITS), mpint(p), mpint(g), mpint(e), mpint(f));
    assert.deepEqual(result?.exchangeHash, expectedExchangeHash(m.hash, inputs, utf8('K_S'), fields, k));
  });
}

const gex = KEX_METHODS.get('diffie-hellman-group-exchange-sha256')!;

for (const [what, min, n, max] of [
  ['max below min', 4096, 4096, 2048],
  ['n below min', 4096, 2048, 8192],
  ['n above max', 2048, 8192, 4096],
  ['max below 2048 bits', 1024, 1024, 1024],
] as const) {
  test(`server: a request with ${what} is a KexError`, () => {
    const server = gex.server(kexInputs(), recordingHostKey());
    const request = new SshWriter().byte(KEX_DH_GEX_MSG.REQUEST).u32(min).u32(n).u32(max).toBytes();
    assert.throws(() => server.handle(request), KexError);
  });
}

test('server: trailing bytes, truncation and messages out of order are protocol errors', () => {
  const request = new SshWriter().byte(KEX_DH_GEX_MSG.REQUEST).u32(2048).u32(2048).u32(8192).toBytes();
  assert.throws(() => gex.server(kexInputs(), recordingHostKey()).handle(Uint8Array.of(...request, 0)), DecodeError);
  assert.throws(() => gex.server(kexInputs(), recordingHostKey()).handle(request.subarray(0, 9)), DecodeError);
  const e = modPow(2n, randomExponent(256), MODP_2048.p);
  const init = new SshWriter().byte(KEX_DH_GEX_MSG.INIT).mpint(e).toBytes();
  assert.throws(() => gex.server(kexInputs(), recordingHostKey()).handle(init), ProtocolError);
  const server = gex.server(kexInputs(), recordingHostKey());
  server.handle(request);
  assert.throws(() => server.handle(request), ProtocolError);
});

test('server: e out of range in GEX_INIT is a KexError', () => {
  for (const e of [0n, 1n, MODP_2048.p - 1n, MODP_2048.p]) {
    const server = gex.server(kexInputs(), recordingHostKey());
    server.handle(new SshWriter().byte(KEX_DH_GEX_MSG.REQUEST).u32(2048).u32(2048).u32(2048).toBytes());
    assert.throws(() => server.handle(new SshWriter().byte(KEX_DH_GEX_MSG.INIT).mpint(e).toBytes()), KexError);
  }
});

function clientAfterRequest() {
  const client = gex.client(kexInputs());
  client.start();
  return client;
}
const groupPayload = (p: bigint, g: bigint): Uint8Array => new SshWriter().byte(KEX_DH_GEX_MSG.GROUP).mpint(p).mpint(g).toBytes();

for (const [what, p, g] of [
  ['a 1024-bit group (below the requested minimum)', (1n << 1023n) + 1155n, 2n],
  ['a group larger than 8192 bits', (1n << 8200n) + 1n, 2n],
  ['an even modulus', MODP_3072.p + 1n, 2n],
  ['generator 1', MODP_3072.p, 1n],
  ['generator p-1', MODP_3072.p, MODP_3072.p - 1n],
  ['generator 0', MODP_3072.p, 0n],
] as const) {
  test(`client: the server offering ${what} is a KexError`, () => {
    assert.throws(() => clientAfterRequest().handle(groupPayload(p, g)), KexError);
  });
}

test('client: f out of range, trailing bytes and messages out of order', () => {
  const { p, g } = MODP_8192;
  for (const f of [0n, 1n, p - 1n, p]) {
    const client = clientAfterRequest();
    client.handle(groupPayload(p, g));
    const reply = new SshWriter().byte(KEX_DH_GEX_MSG.REPLY).string('K_S').mpint(f).string('sig').toBytes();
    assert.throws(() => client.handle(reply), KexError);
  }
  assert.throws(() => clientAfterRequest().handle(Uint8Array.of(...groupPayload(p, g), 0)), DecodeError);
  const reply = new SshWriter().byte(KEX_DH_GEX_MSG.REPLY).string('K_S').mpint(5n).string('sig').toBytes();
  assert.throws(() => clientAfterRequest().handle(reply), ProtocolError);
  const client = clientAfterRequest();
  client.handle(groupPayload(p, g));
  assert.throws(() => client.handle(groupPayload(p, g)), ProtocolError);
});
