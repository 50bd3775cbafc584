// The server state machine fed hand-made requests: the cases a well-behaved client never produces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ServerAuth,
  decodeUserauthFailure,
  encodeInfoResponse,
  encodeUserauthRequest,
  publickeySignedData,
  type AuthPolicy,
  type UserauthMethod,
} from '@tssh/ssh-protocol/auth';
import type { Ed25519PrivateKey } from '@tssh/ssh-protocol/keys';
import { DisconnectReason, MSG, ProtocolError, SshError, SshWriter, bytesEqual } from '@tssh/ssh-protocol/wire';
import { PEER, capturingEnv, newUserKey, numbers, tablePolicy } from '../helpers/auth-fixtures.js';

const { env } = capturingEnv();
const keyA = newUserKey(env, 'A');
const keyB = newUserKey(env, 'B');
const SERVICE = 'ssh-connection';

function server(policy: AuthPolicy, extra: { maxAuthTries?: number } = {}) {
  const { env: e, lines } = capturingEnv();
  const sessionId = e.random(32);
  const sent: Uint8Array[] = [];
  const s = new ServerAuth({ env: e, sessionId, policy, peer: PEER, send: (p) => sent.push(p), ...extra });
  const req = (m: UserauthMethod, user = 'alice', service = SERVICE) => s.handle(encodeUserauthRequest({ user, service, ...m }));
  return { s, sent, lines, sessionId, req };
}

function query(key: Ed25519PrivateKey): UserauthMethod {
  return { method: 'publickey', algorithm: 'ssh-ed25519', blob: key.publicKey.blob };
}

/** A signed request for `blobKey`'s blob whose signature is made by `signer` over `sessionId`. */
function signed(blobKey: Ed25519PrivateKey, signer: Ed25519PrivateKey, sessionId: Uint8Array, user = 'alice'): UserauthMethod {
  const blob = blobKey.publicKey.blob;
  const signature = signer.sign(publickeySignedData(sessionId, user, SERVICE, 'ssh-ed25519', blob));
  return { method: 'publickey', algorithm: 'ssh-ed25519', blob, signature };
}

test('query for A (authorized) then a signed request for B (not authorized): refused', async () => {
  const policy = tablePolicy({ alice: { keys: [keyA.publicKey] } });
  const t = server(policy);
  await t.req(query(keyA));
  await t.req(signed(keyB, keyB, t.sessionId));
  assert.deepEqual(numbers(t.sent), [MSG.USERAUTH_PK_OK, MSG.USERAUTH_FAILURE]);
  assert.ok(bytesEqual(policy.calls.checkPublicKey[1].blob, keyB.publicKey.blob), 'B was checked, not A');
  assert.equal(t.s.authenticated, false);
});

test('query for A then B blob signed by A: the signature is verified with B and fails', async () => {
  const policy = tablePolicy({ alice: { keys: [keyA.publicKey, keyB.publicKey] } });
  const t = server(policy);
  await t.req(query(keyA));
  await t.req(signed(keyB, keyA, t.sessionId));
  assert.deepEqual(numbers(t.sent), [MSG.USERAUTH_PK_OK, MSG.USERAUTH_FAILURE]);
  assert.equal(t.s.authenticated, false);
});

test('query for A then a valid signed request for an authorized B: accepted with B', async () => {
  const policy = tablePolicy({ alice: { keys: [keyA.publicKey, keyB.publicKey] } });
  const t = server(policy);
  await t.req(query(keyA));
  await t.req(signed(keyB, keyB, t.sessionId));
  assert.deepEqual(numbers(t.sent), [MSG.USERAUTH_PK_OK, MSG.USERAUTH_SUCCESS]);
  const r = await t.s.result;
  assert.ok(bytesEqual(r.publicKey!.blob, keyB.publicKey.blob));
});

test('forged signatures are refused: wrong key, wrong session, wrong algorithm name, garbage', async () => {
  const policy = tablePolicy({ alice: { keys: [keyA.publicKey] } });
  const t = server(policy);
  const blob = keyA.publicKey.blob;
  const good = keyA.sign(publickeySignedData(t.sessionId, 'alice', SERVICE, 'ssh-ed25519', blob));
  const otherSession = keyA.sign(publickeySignedData(new Uint8Array(32), 'alice', SERVICE, 'ssh-ed25519', blob));
  const otherUser = keyA.sign(publickeySignedData(t.sessionId, 'bob', SERVICE, 'ssh-ed25519', blob));
  const flipped = good.slice();
  flipped[flipped.length - 1] ^= 1;
  const renamed = new SshWriter().string('ssh-ed25519x').raw(good.subarray(15)).toBytes();
  const forgeries = [keyB.sign(new Uint8Array(8)), otherSession, otherUser, flipped, renamed, new Uint8Array(3)];
  // Six forgeries against the default MaxAuthTries of 6: five FAILUREs, then the disconnect.
  for (const signature of forgeries.slice(0, 5)) {
    await t.req({ method: 'publickey', algorithm: 'ssh-ed25519', blob, signature });
  }
  await assert.rejects(t.req({ method: 'publickey', algorithm: 'ssh-ed25519', blob, signature: forgeries[5] }), /Too many/);
  assert.deepEqual(numbers(t.sent), [1, 2, 3, 4, 5].map(() => MSG.USERAUTH_FAILURE));
  assert.equal(t.s.authenticated, false);
  await assert.rejects(t.s.result, /Too many authentication failures/);
});

test('an algorithm outside acceptedAlgorithms or not matching the key is refused before any key check', async () => {
  const policy = tablePolicy({ alice: { keys: [keyA.publicKey] } });
  const t = server({ ...policy, acceptedAlgorithms: ['rsa-sha2-512'] });
  await t.req(query(keyA));
  await t.req({ method: 'publickey', algorithm: 'rsa-sha2-512', blob: keyA.publicKey.blob });
  await t.req({ method: 'publickey', algorithm: 'ssh-ed25519', blob: new Uint8Array([0, 0, 0, 1, 120]) });
  assert.deepEqual(numbers(t.sent), [MSG.USERAUTH_FAILURE, MSG.USERAUTH_FAILURE, MSG.USERAUTH_FAILURE]);
  assert.equal(policy.calls.checkPublicKey.length, 0);
});

test('a service other than ssh-connection: disconnect SERVICE_NOT_AVAILABLE', async () => {
  const t = server(tablePolicy({ alice: {} }));
  await assert.rejects(t.req({ method: 'none' }, 'alice', 'ssh-userauth'), (e: unknown) => {
    assert.ok(e instanceof SshError);
    assert.equal(e.reason, DisconnectReason.SERVICE_NOT_AVAILABLE);
    return true;
  });
  assert.deepEqual(t.sent, []);
});

test('changing user or service between requests is a protocol error', async () => {
  const t = server(tablePolicy({ alice: {}, bob: {} }));
  await t.req({ method: 'none' });
  await assert.rejects(t.req({ method: 'none' }, 'bob'), (e: unknown) => {
    assert.ok(e instanceof ProtocolError);
    assert.match(e.message, /^Change of username or service not allowed: \(alice,ssh-connection\) -> \(bob,ssh-connection\)$/);
    return true;
  });
  const u = server(tablePolicy({ alice: {} }));
  await u.req({ method: 'none' });
  await assert.rejects(u.req({ method: 'none' }, 'alice', 'x-other'), ProtocolError);
});

test('none: FAILURE listing the methods that can continue; only the first none is free', async () => {
  const t = server(tablePolicy({ alice: {} }, [['publickey', 'password'], ['keyboard-interactive']]), { maxAuthTries: 2 });
  await t.req({ method: 'none' });
  // keyboard-interactive is dropped: this policy cannot run it.
  assert.deepEqual(decodeUserauthFailure(t.sent[0]), { methods: ['publickey'], partialSuccess: false });
  await t.req({ method: 'none' });
  await assert.rejects(t.req({ method: 'none' }), /Too many authentication failures/);
  assert.equal(t.sent.length, 2);
});

test('unknown and hostbased methods fail and count', async () => {
  const t = server(tablePolicy({ alice: {} }), { maxAuthTries: 2 });
  await t.req({ method: 'unknown', name: 'gssapi-with-mic', data: new Uint8Array(4) });
  const blob = keyA.publicKey.blob;
  await assert.rejects(
    t.req({ method: 'hostbased', algorithm: 'ssh-ed25519', blob, hostname: 'h.', hostUser: 'u', signature: new Uint8Array(1) }),
    /Too many/,
  );
});

test('requests after SUCCESS are silently ignored (RFC 4252 §5.1)', async () => {
  const t = server(tablePolicy({ alice: { password: 'pw' } }));
  await t.req({ method: 'password', password: 'pw' });
  await t.req({ method: 'password', password: 'pw' }, 'bob');
  await t.s.handle(encodeInfoResponse([]));
  await t.s.handle(Uint8Array.of(79));
  assert.deepEqual(numbers(t.sent), [MSG.USERAUTH_SUCCESS]);
  await assert.rejects(t.s.handle(Uint8Array.of(MSG.CHANNEL_OPEN)), ProtocolError);
});

test('keyboard-interactive: INFO_RESPONSE out of turn or with the wrong count is a protocol error', async () => {
  const policy = tablePolicy({ alice: {} }, [['keyboard-interactive']], {
    keyboardInteractive: () => ({
      start: () => ({ kind: 'prompts', name: '', instruction: '', prompts: [{ prompt: 'A: ', echo: true }] }),
      respond: () => ({ kind: 'success' }),
    }),
  });
  await assert.rejects(server(policy).s.handle(encodeInfoResponse(['x'])), ProtocolError);
  const t = server(policy);
  await t.req({ method: 'keyboard-interactive', language: '', submethods: '' });
  assert.deepEqual(numbers(t.sent), [MSG.USERAUTH_INFO_REQUEST]);
  await assert.rejects(t.s.handle(encodeInfoResponse(['x', 'y'])), /2 responses to 1 prompts/);
});

test('messages a client must not send are protocol errors', async () => {
  for (const n of [MSG.USERAUTH_FAILURE, MSG.USERAUTH_SUCCESS, MSG.USERAUTH_PK_OK]) {
    await assert.rejects(server(tablePolicy({})).s.handle(Uint8Array.of(n)), ProtocolError);
  }
  await assert.rejects(server(tablePolicy({})).s.handle(new Uint8Array(0)), ProtocolError);
});

test('messages are processed in order even while the policy is slow', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const policy = tablePolicy({ alice: { password: 'pw' } }, [['password']], {
    checkPassword: async (_u, pw) => (await gate, pw === 'pw'),
  });
  const t = server(policy);
  const first = t.req({ method: 'password', password: 'no' });
  const second = t.req({ method: 'password', password: 'pw' });
  assert.deepEqual(t.sent, []);
  release();
  await Promise.all([first, second]);
  assert.deepEqual(numbers(t.sent), [MSG.USERAUTH_FAILURE, MSG.USERAUTH_SUCCESS]);
});

test('log lines: failures at verbose for a valid user until half of MaxAuthTries', async () => {
  const t = server(tablePolicy({ alice: { keys: [keyA.publicKey] } }), { maxAuthTries: 4 });
  for (let i = 0; i < 3; i++) await t.req(query(keyB));
  const failed = t.lines.filter((l) => l.message.startsWith('Failed publickey for alice from 192.0.2.7 port 50022 ssh2: ED25519 '));
  assert.deepEqual(failed.map((l) => l.level), ['verbose', 'verbose', 'info']);
});

test('user names with control characters are escaped in log lines', async () => {
  const t = server(tablePolicy({}));
  await t.req({ method: 'password', password: 'x' }, 'evil\nAccepted password for root');
  assert.ok(t.lines.some((l) => l.message === 'Invalid user evil\\012Accepted password for root from 192.0.2.7 port 50022'));
  assert.ok(t.lines.every((l) => !l.message.includes('\n')));
});
