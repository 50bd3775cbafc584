// The client state machine fed hand-made server messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClientAuth,
  decodeUserauthRequest,
  encodeUserauthBanner,
  encodeUserauthFailure,
  encodeUserauthPkOk,
  encodeUserauthSuccess,
  type ClientAuthOptions,
  type ClientCredentials,
  type ClientIdentity,
} from '@tssh/ssh-protocol/auth';
import type { PublicKey } from '@tssh/ssh-protocol/keys';
import { ProtocolError, SshWriter } from '@tssh/ssh-protocol/wire';
import { capturingEnv, identityOf, newUserKey } from '../helpers/auth-fixtures.js';

const { env } = capturingEnv();

function client(credentials: ClientCredentials, extra: Partial<ClientAuthOptions> = {}) {
  const sent: ReturnType<typeof decodeUserauthRequest>[] = [];
  const c = new ClientAuth({
    env,
    sessionId: env.random(32),
    username: 'alice',
    credentials,
    send: (p) => sent.push(decodeUserauthRequest(p)),
    ...extra,
  });
  return { c, sent };
}

const failure = (methods: string[], partialSuccess = false) => encodeUserauthFailure({ methods, partialSuccess });

/** A key type the server side cannot parse yet: only its names matter to the client. */
function rsaLikeIdentity(): ClientIdentity {
  const publicKey: PublicKey = {
    type: 'ssh-rsa',
    blob: new SshWriter().string('ssh-rsa').string(Uint8Array.of(1, 0, 1)).string(Uint8Array.of(0, 0xc3)).toBytes(),
    signatureAlgorithms: ['rsa-sha2-512', 'rsa-sha2-256'],
    verify: () => false,
  };
  return { publicKey, sign: async () => new Uint8Array(0) };
}

async function firstQueryAlgorithm(setup: (c: ClientAuth) => void, extra: Partial<ClientAuthOptions> = {}) {
  const t = client({ identities: () => [rsaLikeIdentity()] }, extra);
  setup(t.c);
  void t.c.start();
  await t.c.handle(failure(['publickey']));
  const q = t.sent[1];
  assert.ok(q.method === 'publickey' && q.signature === undefined);
  return q.algorithm;
}

test('signature algorithm: the key own first choice, unless server-sig-algs or our own list says otherwise', async () => {
  assert.equal(await firstQueryAlgorithm(() => {}), 'rsa-sha2-512');
  assert.equal(await firstQueryAlgorithm((c) => c.setServerSigAlgs(['ssh-ed25519', 'rsa-sha2-256'])), 'rsa-sha2-256');
  assert.equal(await firstQueryAlgorithm(() => {}, { pubkeyAcceptedAlgorithms: ['rsa-sha2-256'] }), 'rsa-sha2-256');
});

test('a key with no acceptable algorithm is skipped, not offered', async () => {
  const t = client({ identities: () => [rsaLikeIdentity()], askPassword: async () => 'pw' }, {
    pubkeyAcceptedAlgorithms: ['ssh-ed25519'],
  });
  void t.c.start();
  await t.c.handle(failure(['publickey', 'password']));
  assert.deepEqual(t.sent.map((r) => r.method), ['none', 'password']);
});

test('PK_OK for a key that was not offered is a protocol error', async () => {
  const a = newUserKey(env);
  const b = newUserKey(env);
  const t = client({ identities: () => [identityOf(a)] });
  const result = t.c.start();
  await t.c.handle(failure(['publickey']));
  await assert.rejects(t.c.handle(encodeUserauthPkOk({ algorithm: 'ssh-ed25519', blob: b.publicKey.blob })), ProtocolError);
  await assert.rejects(result, ProtocolError);
});

test('a signing failure (e.g. an agent refusing) moves on to the next identity', async () => {
  const a = newUserKey(env);
  const b = newUserKey(env);
  const refusing: ClientIdentity = { publicKey: a.publicKey, sign: async () => Promise.reject(new Error('agent refused')) };
  const t = client({ identities: () => [refusing, identityOf(b)] });
  void t.c.start();
  await t.c.handle(failure(['publickey']));
  await t.c.handle(encodeUserauthPkOk({ algorithm: 'ssh-ed25519', blob: a.publicKey.blob }));
  const last = t.sent.at(-1)!;
  assert.ok(last.method === 'publickey' && last.signature === undefined);
  assert.deepEqual(last.blob, b.publicKey.blob);
});

test('partial success restarts PreferredAuthentications against the new list', async () => {
  const a = newUserKey(env);
  const asked: string[] = [];
  const t = client({
    identities: () => [identityOf(a)],
    askPassword: async (prompt) => (asked.push(prompt), 'pw'),
    askInteractive: async () => [],
  }, { preferredAuthentications: ['password', 'publickey', 'keyboard-interactive'] });
  const result = t.c.start();
  await t.c.handle(failure(['publickey']));
  await t.c.handle(encodeUserauthPkOk({ algorithm: 'ssh-ed25519', blob: a.publicKey.blob }));
  await t.c.handle(failure(['keyboard-interactive', 'password'], true));
  assert.deepEqual(asked, ["alice's password: "]);
  await t.c.handle(encodeUserauthSuccess());
  assert.deepEqual((await result).methodsUsed, ['publickey', 'password']);
  assert.deepEqual(t.sent.map((r) => r.method), ['none', 'publickey', 'publickey', 'password']);
});

test('a banner is passed on; a server list with nothing we can do fails at once', async () => {
  const banners: string[] = [];
  const t = client({ onBanner: (text) => banners.push(text) });
  const result = t.c.start();
  await t.c.handle(encodeUserauthBanner({ message: 'hi', language: '' }));
  await assert.rejects(t.c.handle(failure(['gssapi-with-mic', 'hostbased'])), /Permission denied \(gssapi-with-mic,hostbased\)\./);
  await assert.rejects(result, /Permission denied/);
  assert.deepEqual(banners, ['hi']);
});

test('messages out of phase are protocol errors', async () => {
  await assert.rejects(client({}).c.handle(failure(['password'])), ProtocolError);
  const t = client({});
  void t.c.start();
  await assert.rejects(t.c.handle(encodeUserauthPkOk({ algorithm: 'a', blob: new Uint8Array(1) })), ProtocolError);
  const u = client({});
  void u.c.start();
  await u.c.handle(encodeUserauthSuccess());
  await assert.rejects(u.c.handle(encodeUserauthSuccess()), ProtocolError);
  assert.throws(() => u.c.start(), /already started/);
});
