// Agent protocol codecs (RFC 9987): byte-exact encodings, every malformed reply refused, framing over any split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AGENT_MAX_MESSAGE,
  AgentFailureError,
  AgentFrameReader,
  decodeIdentitiesAnswer,
  decodeSignRequest,
  decodeSignResponse,
  encodeAgentFailure,
  encodeIdentitiesAnswer,
  encodeRequestIdentities,
  encodeSignRequest,
  encodeSignResponse,
  frameAgentMessage,
  signFlagsFor,
} from '@tssh/ssh-protocol/agent';
import { DecodeError, concatBytes, fromHex, toHex } from '@tssh/ssh-protocol/wire';

const BLOB = fromHex('0000000b7373682d6564323535313900000020654264bca53d6a513b19769992e11df46a7cbf9afd59bf73aaaf7bb34cdcfea3');

function assertAllPrefixesFail(encoded: Uint8Array, decode: (p: Uint8Array) => unknown): void {
  for (let n = 0; n < encoded.length; n++) assert.throws(() => decode(encoded.subarray(0, n)), DecodeError, `prefix of ${n} bytes`);
}

test('REQUEST_IDENTITIES is the single byte 11, framed as 00000001 0b', () => {
  assert.equal(toHex(encodeRequestIdentities()), '0b');
  assert.equal(toHex(frameAgentMessage(encodeRequestIdentities())), '000000010b');
});

test('IDENTITIES_ANSWER: byte-exact, round trip, malformed', () => {
  const keys = [
    { blob: BLOB, comment: 'alice@laptop' },
    { blob: Uint8Array.of(1, 2, 3), comment: '' },
  ];
  const bytes = encodeIdentitiesAnswer(keys);
  assert.equal(
    toHex(bytes),
    `0c00000002${'00000033'}${toHex(BLOB)}0000000c${Buffer.from('alice@laptop').toString('hex')}00000003010203${'00000000'}`,
  );
  assert.deepEqual(decodeIdentitiesAnswer(bytes), keys);
  assert.deepEqual(decodeIdentitiesAnswer(fromHex('0c00000000')), []);
  assertAllPrefixesFail(bytes, decodeIdentitiesAnswer);
  assert.throws(() => decodeIdentitiesAnswer(concatBytes(bytes, Uint8Array.of(0))), DecodeError);
  // A count no message could hold is refused before anything is allocated for it.
  assert.throws(() => decodeIdentitiesAnswer(fromHex('0cffffffff')), /keys in 0 bytes/);
  assert.throws(() => decodeIdentitiesAnswer(fromHex('0e00000000')), /unexpected agent message 14/);
});

test('SIGN_REQUEST: string blob, string data, uint32 flags', () => {
  const req = { blob: BLOB, data: fromHex('deadbeef'), flags: 4 };
  const bytes = encodeSignRequest(req);
  assert.equal(toHex(bytes), `0d00000033${toHex(BLOB)}00000004deadbeef00000004`);
  assert.deepEqual(decodeSignRequest(bytes), req);
  assertAllPrefixesFail(bytes, decodeSignRequest);
});

test('SIGN_RESPONSE: the signature blob; FAILURE is an AgentFailureError; trailing bytes refused', () => {
  const sig = fromHex('0000000b7373682d65643235353139000000020102');
  const bytes = encodeSignResponse(sig);
  assert.equal(toHex(bytes), `0e00000015${toHex(sig)}`);
  assert.deepEqual(decodeSignResponse(bytes), sig);
  assertAllPrefixesFail(bytes, decodeSignResponse);
  assert.throws(() => decodeSignResponse(concatBytes(bytes, Uint8Array.of(9))), DecodeError);
  assert.throws(() => decodeSignResponse(encodeAgentFailure()), AgentFailureError);
  assert.throws(() => decodeSignResponse(fromHex('1c')), AgentFailureError); // SSH_AGENT_EXTENSION_FAILURE
  assert.throws(() => decodeSignResponse(fromHex('0500')), DecodeError); // FAILURE has no contents
});

test('sign flags: SHA-2 RSA algorithms ask for them, everything else sends 0 (RFC 9987 §6.6.1)', () => {
  assert.equal(signFlagsFor('rsa-sha2-256'), 2);
  assert.equal(signFlagsFor('rsa-sha2-512'), 4);
  for (const alg of ['ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp256']) assert.equal(signFlagsFor(alg), 0);
});

test('frames: any split and any coalescing of chunks gives the same messages', () => {
  const messages = [encodeRequestIdentities(), encodeSignResponse(fromHex('00112233')), encodeIdentitiesAnswer([])];
  const stream = concatBytes(...messages.map(frameAgentMessage));
  for (let size = 1; size <= stream.length; size++) {
    const reader = new AgentFrameReader();
    const got: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i += size) got.push(...reader.push(stream.subarray(i, i + size)));
    assert.deepEqual(got.map(toHex), messages.map(toHex), `chunks of ${size}`);
    assert.equal(reader.buffered, 0);
  }
});

test('frames: an empty or oversized message is refused; a partial one waits', () => {
  assert.throws(() => new AgentFrameReader().push(fromHex('00000000')), /empty/);
  const big = new Uint8Array(4);
  new DataView(big.buffer).setUint32(0, AGENT_MAX_MESSAGE + 1);
  assert.throws(() => new AgentFrameReader().push(big), DecodeError);
  const r = new AgentFrameReader();
  assert.deepEqual(r.push(fromHex('0000000205')), []);
  assert.equal(r.buffered, 5);
  assert.throws(() => frameAgentMessage(new Uint8Array(0)), RangeError);
  assert.throws(() => frameAgentMessage(new Uint8Array(AGENT_MAX_MESSAGE + 1)), RangeError);
});
