// AgentClient against an agent in memory: listing (unusable keys set aside), signatures checked, RSA SHA-2
// flags, refusals, the connection ending with requests outstanding, replies split into single bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AGENT_MSG,
  AgentClient,
  AgentClosedError,
  AgentFailureError,
  AgentFrameReader,
  AgentSignatureError,
  decodeSignRequest,
  encodeAgentFailure,
  encodeIdentitiesAnswer,
  encodeSignResponse,
  frameAgentMessage,
} from '@tssh/ssh-protocol/agent';
import { parsePrivateKeyFile, type PrivateKey } from '@tssh/ssh-protocol/keys';
import { SshWriter, bytesEqual, utf8 } from '@tssh/ssh-protocol/wire';
import { keyFixture } from '../helpers/key-fixtures.js';

interface FakeAgentOptions {
  /** Sign RSA with SHA-1 whatever the flags say (an agent from before RFC 8332). */
  ignoreFlags?: boolean;
  /** Blobs listed besides the keys. */
  extraBlobs?: Uint8Array[];
  /** Deliver replies one byte at a time. */
  byteByByte?: boolean;
}

/** A client wired to an agent holding `keys`; `flags` records the flags of each sign request. */
function fakeAgent(keys: PrivateKey[], opts: FakeAgentOptions = {}) {
  const reader = new AgentFrameReader();
  const flags: number[] = [];
  const reply = (p: Uint8Array): Uint8Array => {
    if (p[0] === AGENT_MSG.REQUEST_IDENTITIES) {
      const listed = keys.map((k) => ({ blob: k.publicKey.blob, comment: k.comment }));
      for (const blob of opts.extraBlobs ?? []) listed.push({ blob, comment: 'other' });
      return encodeIdentitiesAnswer(listed);
    }
    const req = decodeSignRequest(p);
    flags.push(req.flags);
    const key = keys.find((k) => bytesEqual(k.publicKey.blob, req.blob));
    if (!key) return encodeAgentFailure();
    let algorithm = key.publicKey.signatureAlgorithms[0];
    if (key.publicKey.type === 'ssh-rsa') {
      algorithm = opts.ignoreFlags ? 'ssh-rsa' : req.flags & 4 ? 'rsa-sha2-512' : req.flags & 2 ? 'rsa-sha2-256' : 'ssh-rsa';
    }
    return encodeSignResponse(key.sign(req.data, algorithm));
  };
  const client: AgentClient = new AgentClient((bytes) =>
    queueMicrotask(() => {
      for (const p of reader.push(bytes)) {
        const framed = frameAgentMessage(reply(p));
        if (!opts.byteByByte) client.receive(framed);
        else for (const b of framed) client.receive(Uint8Array.of(b));
      }
    }),
  );
  return { client, flags };
}

const ed25519 = parsePrivateKeyFile(keyFixture('id_ed25519'));
const rsa = parsePrivateKeyFile(keyFixture('id_rsa'));
const ecdsa = parsePrivateKeyFile(keyFixture('id_ecdsa'));
const data = utf8('session id and request');

test('listKeys: usable keys parsed in the agent\'s order; a DSA key and a broken blob set aside', async () => {
  const dss = new SshWriter().string('ssh-dss').mpint(5n).mpint(7n).mpint(11n).mpint(13n).toBytes();
  const { client } = fakeAgent([ed25519, rsa, ecdsa], { extraBlobs: [dss, Uint8Array.of(0, 0)] });
  const list = await client.listKeys();
  assert.deepEqual(
    list.keys.map((k) => k.publicKey.type),
    ['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256'],
  );
  assert.deepEqual(list.keys.map((k) => k.comment), [ed25519.comment, rsa.comment, ecdsa.comment]);
  assert.deepEqual(list.skipped.map((s) => s.type), ['ssh-dss', '?']);
});

test('sign: ed25519 and ECDSA with no flags; the signature verifies', async () => {
  const { client, flags } = fakeAgent([ed25519, ecdsa]);
  for (const key of [ed25519, ecdsa]) {
    const alg = key.publicKey.signatureAlgorithms[0];
    const sig = await client.sign(key.publicKey, data, alg);
    assert.ok(key.publicKey.verify(data, sig));
  }
  assert.deepEqual(flags, [0, 0]);
});

test('sign: RSA asks for SHA-2 with SSH_AGENT_RSA_SHA2_256 / _512', async () => {
  const { client, flags } = fakeAgent([rsa]);
  for (const alg of ['rsa-sha2-256', 'rsa-sha2-512']) {
    const sig = await client.sign(rsa.publicKey, data, alg);
    assert.ok(rsa.publicKey.verify(data, sig), alg);
  }
  assert.deepEqual(flags, [2, 4]);
});

test('sign: an agent that answers SHA-1 to a SHA-2 request is caught', async () => {
  const { client } = fakeAgent([rsa], { ignoreFlags: true });
  await assert.rejects(client.sign(rsa.publicKey, data, 'rsa-sha2-512'), AgentSignatureError);
});

test('sign: a signature that does not verify is caught', async () => {
  const { client } = fakeAgent([ed25519]);
  // A key the agent does not hold: it refuses.
  await assert.rejects(client.sign(ecdsa.publicKey, data, 'ecdsa-sha2-nistp256'), AgentFailureError);
  const forged: AgentClient = new AgentClient(() =>
    queueMicrotask(() => forged.receive(frameAgentMessage(encodeSignResponse(ed25519.sign(utf8('other data')))))),
  );
  await assert.rejects(forged.sign(ed25519.publicKey, data, 'ssh-ed25519'), /does not verify/);
});

test('requests in flight are answered in order, with replies arriving a byte at a time', async () => {
  const { client } = fakeAgent([ed25519, rsa], { byteByByte: true });
  const [list, a, b] = await Promise.all([
    client.listKeys(),
    client.sign(rsa.publicKey, data, 'rsa-sha2-256'),
    client.sign(ed25519.publicKey, data, 'ssh-ed25519'),
  ]);
  assert.equal(list.keys.length, 2);
  assert.ok(rsa.publicKey.verify(data, a));
  assert.ok(ed25519.publicKey.verify(data, b));
});

test('the connection ending fails what is outstanding and everything after', async () => {
  const sent: Uint8Array[] = [];
  const client = new AgentClient((b) => sent.push(b));
  const pending = client.listKeys();
  client.end();
  await assert.rejects(pending, AgentClosedError);
  await assert.rejects(client.listKeys(), AgentClosedError);
  assert.equal(sent.length, 1);
  assert.ok(client.isClosed);
});

test('a message nobody asked for, or a malformed frame, ends the connection', async () => {
  const unasked = new AgentClient(() => {});
  unasked.receive(frameAgentMessage(encodeAgentFailure()));
  assert.ok(unasked.isClosed);
  const broken = new AgentClient(() => {});
  const pending = broken.listKeys();
  broken.receive(Uint8Array.of(0, 0, 0, 0));
  await assert.rejects(pending, /agent connection failed: agent message: empty/);
});
