// mlkem768x25519-sha256 (draft-ietf-sshm-mlkem-hybrid-kex): ML-KEM-768 against the accumulated FIPS 203 vectors
// Go's crypto/mlkem checks, both halves of the method against a peer whose X25519 is node:crypto's, and the
// length, key-check and low-order-point refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  MLKEM768_CIPHERTEXT_LENGTH,
  MLKEM768_PUBLIC_KEY_LENGTH,
  MLKEM768_SECRET_KEY_LENGTH,
  mlkem768Decapsulate,
  mlkem768Encapsulate,
  mlkem768KeyPair,
} from '@tssh/ssh-protocol/crypto';
import { KEX_HYBRID_MSG, mlkem768x25519Sha256 } from '@tssh/ssh-protocol/kex';
import { DecodeError, KexError, ProtocolError, SshReader, SshWriter, concatBytes, utf8 } from '@tssh/ssh-protocol/wire';
import { testEnv } from '../helpers/env.js';
import { expectedExchangeHash, kexInputs, recordingHostKey } from '../helpers/kex-peer.js';

const random = testEnv().random;

test('ML-KEM-768: 100 accumulated vectors (SHAKE-128 stream in, SHAKE-128 of every output) match Go crypto/mlkem', () => {
  // Per vector: seed d||z (64), message m (32), a random ciphertext (1088) read from SHAKE-128(""); absorb ek, ct,
  // K, and the implicit-rejection key of the random ciphertext. Expected value from Go's TestAccumulated (-short).
  const n = 100;
  const stream = createHash('shake128', { outputLength: n * (64 + 32 + MLKEM768_CIPHERTEXT_LENGTH) }).digest();
  let offset = 0;
  const take = (len: number): Uint8Array => new Uint8Array(stream.subarray(offset, (offset += len)));
  const out = createHash('shake128', { outputLength: 32 });
  for (let i = 0; i < n; i++) {
    const { publicKey, secretKey } = mlkem768KeyPair(take(64));
    out.update(publicKey);
    const { cipherText, sharedSecret } = mlkem768Encapsulate(publicKey, take(32));
    out.update(cipherText).update(sharedSecret);
    assert.deepEqual(mlkem768Decapsulate(cipherText, secretKey), sharedSecret);
    out.update(mlkem768Decapsulate(take(MLKEM768_CIPHERTEXT_LENGTH), secretKey));
  }
  assert.equal(out.digest('hex'), '1114b1b6699ed191734fa339376afa7e285c9e6acf6ff0177d346696ce564415');
});

test('ML-KEM-768: sizes of FIPS 203 Table 3, and wrong sizes refused', () => {
  const { publicKey, secretKey } = mlkem768KeyPair(random(64));
  assert.equal(publicKey.length, MLKEM768_PUBLIC_KEY_LENGTH);
  assert.equal(secretKey.length, MLKEM768_SECRET_KEY_LENGTH);
  const { cipherText, sharedSecret } = mlkem768Encapsulate(publicKey, random(32));
  assert.equal(cipherText.length, MLKEM768_CIPHERTEXT_LENGTH);
  assert.equal(sharedSecret.length, 32);
  assert.throws(() => mlkem768KeyPair(random(63)), RangeError);
  assert.throws(() => mlkem768Encapsulate(publicKey.subarray(1), random(32)), RangeError);
  assert.throws(() => mlkem768Encapsulate(publicKey, random(31)), RangeError);
  assert.throws(() => mlkem768Decapsulate(cipherText.subarray(1), secretKey), RangeError);
  assert.throws(() => mlkem768Decapsulate(Uint8Array.of(...cipherText, 0), secretKey), RangeError);
});

/** An encapsulation key whose first coefficient is 4095 >= q: FIPS 203 §7.2's modulus check must refuse it. */
function unreducedKey(): Uint8Array {
  const ek = mlkem768KeyPair(random(64)).publicKey.slice();
  ek[0] = 0xff;
  ek[1] |= 0x0f;
  return ek;
}

test('ML-KEM-768: an encapsulation key failing the modulus check is refused', () => {
  assert.throws(() => mlkem768Encapsulate(unreducedKey(), random(32)));
});

// --- the SSH method ------------------------------------------------------------------------------------------------

function x25519KeyPair(): { priv: KeyObject; pub: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { priv: privateKey, pub: new Uint8Array(Buffer.from(jwk.x!, 'base64url')) };
}

function x25519(priv: KeyObject, peer: Uint8Array): Uint8Array {
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(peer).toString('base64url') }, format: 'jwk' });
  return new Uint8Array(diffieHellman({ privateKey: priv, publicKey }));
}

/** K = string(SHA-256(K_PQ || K_CL)). */
function expectedK(kPq: Uint8Array, kCl: Uint8Array): Uint8Array {
  return new SshWriter().string(createHash('sha256').update(kPq).update(kCl).digest()).toBytes();
}

function initPayload(cInit: Uint8Array): Uint8Array {
  return new SshWriter().byte(KEX_HYBRID_MSG.INIT).string(cInit).toBytes();
}

function replyPayload(sReply: Uint8Array): Uint8Array {
  return new SshWriter().byte(KEX_HYBRID_MSG.REPLY).string('K_S').string(sReply).string('sig').toBytes();
}

test('mlkem768x25519-sha256: registered as a SHA-256 method', () => {
  assert.equal(mlkem768x25519Sha256.name, 'mlkem768x25519-sha256');
  assert.equal(mlkem768x25519Sha256.hash, 'sha256');
});

test('mlkem768x25519-sha256: server side: S_REPLY = ciphertext || X25519 key, K and H as the draft defines them', () => {
  const inputs = kexInputs();
  const hostKey = recordingHostKey();
  const kem = mlkem768KeyPair(random(64));
  const ec = x25519KeyPair();
  const cInit = concatBytes(kem.publicKey, ec.pub);
  const { send, result } = mlkem768x25519Sha256.server(inputs, hostKey).handle(initPayload(cInit));
  const r = new SshReader(send[0]);
  assert.equal(r.byte(), KEX_HYBRID_MSG.REPLY);
  assert.deepEqual(r.bytes(), hostKey.blob);
  const sReply = r.bytes().slice();
  r.bytes();
  r.end();
  assert.equal(sReply.length, 1088 + 32);
  const kPq = mlkem768Decapsulate(sReply.subarray(0, 1088), kem.secretKey);
  const kCl = x25519(ec.priv, sReply.subarray(1088));
  const k = expectedK(kPq, kCl);
  assert.deepEqual(result?.sharedSecret, k);
  assert.equal(k.length, 4 + 32, 'K is a string, not an mpint');
  const h = expectedExchangeHash('sha256', inputs, hostKey.blob, new SshWriter().string(cInit).string(sReply).toBytes(), k);
  assert.deepEqual(result?.exchangeHash, h);
  assert.deepEqual(hostKey.signed, [h]);
});

test('mlkem768x25519-sha256: client side: C_INIT = encapsulation key || X25519 key, K and H', () => {
  const inputs = kexInputs();
  const client = mlkem768x25519Sha256.client(inputs);
  const r = new SshReader(client.start()[0]);
  assert.equal(r.byte(), KEX_HYBRID_MSG.INIT);
  const cInit = r.bytes().slice();
  r.end();
  assert.equal(cInit.length, 1184 + 32);
  const enc = mlkem768Encapsulate(cInit.subarray(0, 1184), random(32));
  const ec = x25519KeyPair();
  const sReply = concatBytes(enc.cipherText, ec.pub);
  const k = expectedK(enc.sharedSecret, x25519(ec.priv, cInit.subarray(1184)));
  const { result } = client.handle(replyPayload(sReply));
  assert.deepEqual(result?.sharedSecret, k);
  const h = expectedExchangeHash('sha256', inputs, utf8('K_S'), new SshWriter().string(cInit).string(sReply).toBytes(), k);
  assert.deepEqual(result?.exchangeHash, h);
});

function validCInit(): Uint8Array {
  return concatBytes(mlkem768KeyPair(random(64)).publicKey, x25519KeyPair().pub);
}

for (const [what, cInit] of [
  ['one byte short', () => validCInit().subarray(1)],
  ['one byte long', () => Uint8Array.of(...validCInit(), 0)],
  ['X25519 key only', () => x25519KeyPair().pub],
  ['encapsulation key failing the modulus check', () => concatBytes(unreducedKey(), x25519KeyPair().pub)],
  ['all-zero X25519 key (low order)', () => concatBytes(mlkem768KeyPair(random(64)).publicKey, new Uint8Array(32))],
] as const) {
  test(`mlkem768x25519-sha256: C_INIT ${what}: KexError`, () => {
    const server = mlkem768x25519Sha256.server(kexInputs(), recordingHostKey());
    assert.throws(() => server.handle(initPayload(cInit())), KexError);
  });
}

for (const [what, sReply] of [
  ['ciphertext one byte short', new Uint8Array(1088 - 1 + 32)],
  ['ciphertext one byte long', new Uint8Array(1088 + 1 + 32)],
  ['no X25519 key', new Uint8Array(1088)],
  ['all-zero X25519 key (low order)', concatBytes(random(1088), new Uint8Array(32))],
] as const) {
  test(`mlkem768x25519-sha256: S_REPLY ${what}: KexError`, () => {
    const client = mlkem768x25519Sha256.client(kexInputs());
    client.start();
    assert.throws(() => client.handle(replyPayload(sReply)), KexError);
  });
}

test('mlkem768x25519-sha256: trailing bytes and wrong message numbers are protocol errors', () => {
  const server = mlkem768x25519Sha256.server(kexInputs(), recordingHostKey());
  assert.throws(() => server.handle(Uint8Array.of(...initPayload(validCInit()), 0)), DecodeError);
  assert.throws(() => server.handle(replyPayload(validCInit())), ProtocolError);
  const client = mlkem768x25519Sha256.client(kexInputs());
  client.start();
  const sReply = concatBytes(random(1088), x25519KeyPair().pub);
  assert.throws(() => client.handle(Uint8Array.of(...replyPayload(sReply), 0)), DecodeError);
  assert.throws(() => client.handle(initPayload(sReply)), ProtocolError);
});

test('mlkem768x25519-sha256: a forged ciphertext yields different keys, not an error (FIPS 203 implicit rejection)', () => {
  const inputs = kexInputs();
  const client = mlkem768x25519Sha256.client(inputs);
  const cInit = new SshReader(client.start()[0]).rest().subarray(5);
  const server = mlkem768x25519Sha256.server(inputs, recordingHostKey());
  const reply = server.handle(initPayload(cInit));
  const r = new SshReader(reply.send[0]);
  r.byte();
  r.bytes();
  const sReply = r.bytes().slice();
  sReply[0] ^= 1;
  const { result } = client.handle(replyPayload(sReply));
  assert.notDeepEqual(result?.sharedSecret, reply.result?.sharedSecret);
});
