import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sntrup761Decapsulate, sntrup761KeyPair, x25519SharedSecret } from '@tssh/ssh-protocol/crypto';
import { DEFAULT_KEX, KEX_METHODS, type KexInputs, type KexMethod, type ServerHostKey } from '@tssh/ssh-protocol/kex';
import { KexError, ProtocolError, SshReader, SshWriter, silentLogger, toHex, utf8 } from '@tssh/ssh-protocol/wire';
import { NistDrbg } from '../helpers/nist-drbg.js';

const NAMES = ['sntrup761x25519-sha512', 'sntrup761x25519-sha512@openssh.com'];

function inputs(seedByte: number): KexInputs {
  const drbg = new NistDrbg(new Uint8Array(48).fill(seedByte));
  return {
    clientVersion: 'SSH-2.0-client',
    serverVersion: 'SSH-2.0-server',
    clientKexInit: Uint8Array.of(20, 1, 2, 3),
    serverKexInit: Uint8Array.of(20, 4, 5, 6),
    env: { random: drbg.random, now: () => 0, log: silentLogger },
  };
}

/** A stand-in host key: its "signature" is H itself, so the test can read H back. */
const hostKey: ServerHostKey = { blob: utf8('host key blob'), sign: (h) => h.slice() };

function method(name: string): KexMethod {
  const m = KEX_METHODS.get(name);
  assert.ok(m, `${name} is registered`);
  return m;
}

/** Message number, then the string fields of an ECDH_INIT / ECDH_REPLY payload. */
function fields(payload: Uint8Array): { msg: number; strings: Uint8Array[] } {
  const r = new SshReader(payload, 'test');
  const msg = r.byte();
  const strings: Uint8Array[] = [];
  while (r.remaining > 0) strings.push(r.bytes().slice());
  return { msg, strings };
}

function initWith(cInit: Uint8Array): Uint8Array {
  return new SshWriter().byte(30).string(cInit).toBytes();
}

test('both names are registered, with SHA-512, right after mlkem768x25519-sha256 in the defaults', () => {
  for (const name of NAMES) assert.equal(method(name).hash, 'sha512');
  const i = DEFAULT_KEX.indexOf('mlkem768x25519-sha256');
  assert.deepEqual(DEFAULT_KEX.slice(i + 1, i + 3), NAMES);
});

for (const name of NAMES) {
  test(`${name}: messages, K as a string of SHA-512(K_PQ || K_CL), and H recomputed independently`, () => {
    const m = method(name);
    const ci = inputs(1);
    const client = m.client(ci);
    const [init] = client.start();
    const sent = fields(init);
    assert.equal(sent.msg, 30);
    assert.equal(sent.strings.length, 1);
    const [cInit] = sent.strings;
    assert.equal(cInit.length, 1158 + 32);

    const server = m.server(inputs(2), hostKey);
    const { send, result: serverResult } = server.handle(init);
    assert.ok(serverResult);
    const reply = fields(send[0]);
    assert.equal(reply.msg, 31);
    const [blob, sReply, signature] = reply.strings;
    assert.deepEqual(blob, hostKey.blob);
    assert.equal(sReply.length, 1039 + 32);

    const { result } = client.handle(send[0]);
    assert.ok(result);
    assert.deepEqual(result.sharedSecret, serverResult.sharedSecret);
    assert.deepEqual(result.exchangeHash, serverResult.exchangeHash);
    assert.deepEqual(result.signature, serverResult.exchangeHash);
    assert.equal(result.exchangeHash.length, 64);

    // Replay the client's randomness: its sntrup761 key pair, then its X25519 secret.
    const replay = new NistDrbg(new Uint8Array(48).fill(1));
    const kem = sntrup761KeyPair(replay.random);
    const ecSecret = replay.random(32);
    assert.deepEqual(cInit.subarray(0, 1158), kem.publicKey);
    const kPq = sntrup761Decapsulate(sReply.subarray(0, 1039), kem.secretKey);
    const kCl = x25519SharedSecret(ecSecret, sReply.subarray(1039));
    const digest = createHash('sha512').update(kPq).update(kCl).digest();
    assert.equal(toHex(result.sharedSecret), `00000040${digest.toString('hex')}`);

    const str = (b: Uint8Array | string): Buffer => Buffer.from(new SshWriter().string(b).toBytes());
    const h = createHash('sha512');
    for (const part of [ci.clientVersion, ci.serverVersion, ci.clientKexInit, ci.serverKexInit, blob, cInit, sReply]) {
      h.update(str(part));
    }
    h.update(str(digest));
    assert.equal(toHex(result.exchangeHash), h.digest('hex'));
    assert.deepEqual(signature, result.exchangeHash);
  });

  test(`${name}: the server refuses a client key of the wrong size`, () => {
    const m = method(name);
    for (const n of [0, 32, 1158, 1189, 1191]) {
      assert.throws(() => m.server(inputs(2), hostKey).handle(initWith(new Uint8Array(n))), KexError, `${n} bytes`);
    }
  });

  test(`${name}: the client refuses a server reply of the wrong size`, () => {
    const m = method(name);
    const client = m.client(inputs(1));
    client.start();
    for (const n of [0, 32, 1039, 1070, 1072]) {
      const reply = new SshWriter().byte(31).string(hostKey.blob).string(new Uint8Array(n)).string(utf8('sig')).toBytes();
      assert.throws(() => client.handle(reply), KexError, `${n} bytes`);
    }
  });

  test(`${name}: an all-zero X25519 share is refused, trailing bytes and other messages too`, () => {
    const m = method(name);
    const client = m.client(inputs(1));
    const [init] = client.start();
    const cInit = fields(init).strings[0];
    const zeroPoint = cInit.slice();
    zeroPoint.fill(0, 1158);
    assert.throws(() => m.server(inputs(2), hostKey).handle(initWith(zeroPoint)), KexError);
    const trailing = new Uint8Array(init.length + 1);
    trailing.set(init);
    assert.throws(() => m.server(inputs(2), hostKey).handle(trailing), ProtocolError);
    assert.throws(() => m.server(inputs(2), hostKey).handle(Uint8Array.of(31, ...init.subarray(1))), ProtocolError);
    const { send } = m.server(inputs(2), hostKey).handle(init);
    const reply = send[0].slice();
    reply.fill(0, reply.length - (64 + 4) - 32, reply.length - (64 + 4));
    assert.throws(() => client.handle(reply), KexError);
  });

  test(`${name}: a changed ciphertext gives the client a different K (implicit rejection), not an exception`, () => {
    const m = method(name);
    const client = m.client(inputs(1));
    const [init] = client.start();
    const { send, result: serverResult } = m.server(inputs(2), hostKey).handle(init);
    const reply = send[0].slice();
    reply[reply.length - (64 + 4) - 32 - 500] ^= 1;
    const { result } = client.handle(reply);
    assert.ok(result && serverResult);
    assert.notDeepEqual(result.sharedSecret, serverResult.sharedSecret);
    assert.notDeepEqual(result.exchangeHash, serverResult.exchangeHash);
  });
}
