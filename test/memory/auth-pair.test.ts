import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthFailedError,
  decodeUserauthFailure,
  decodeUserauthRequest,
  type KbdintConversation,
  type KbdintPrompt,
  type KbdintStep,
} from '@tssh/ssh-protocol/auth';
import { DisconnectReason, MSG, bytesEqual, toHex } from '@tssh/ssh-protocol/wire';
import { authPair, capturingEnv, identityOf, newUserKey, numbers, tablePolicy } from '../helpers/auth-fixtures.js';

const { env } = capturingEnv();
const alice = newUserKey(env, 'alice@laptop');
const stranger = newUserKey(env, 'someone else');
const extra = [1, 2, 3, 4, 5].map((i) => newUserKey(env, `spare ${i}`));

const F = MSG.USERAUTH_FAILURE;
const S = MSG.USERAUTH_SUCCESS;
const PK_OK = MSG.USERAUTH_PK_OK;

test('publickey with an authorized ed25519 key: none, query, PK_OK, then one signature', async () => {
  const policy = tablePolicy({ alice: { keys: [alice.publicKey] } });
  const id = identityOf(alice);
  const p = authPair(policy, 'alice', { identities: () => [id] });
  const result = await p.client.start();
  const server = await p.server.result;
  assert.equal(result.method, 'publickey');
  assert.ok(bytesEqual(result.publicKey!.blob, alice.publicKey.blob));
  assert.equal(server.user, 'alice');
  assert.deepEqual(server.methodsUsed, ['publickey']);
  assert.ok(bytesEqual(server.publicKey!.blob, alice.publicKey.blob));
  assert.deepEqual(numbers(p.serverSent), [F, PK_OK, S]);
  const [none, query, signed] = p.clientSent.map(decodeUserauthRequest);
  assert.equal(none.method, 'none');
  assert.ok(query.method === 'publickey' && query.signature === undefined && query.algorithm === 'ssh-ed25519');
  assert.ok(signed.method === 'publickey' && signed.signature !== undefined);
  assert.equal(id.signed, 1);
  assert.equal(p.server.authenticated, true);
  const accepted = p.lines.find((l) => l.message.startsWith('Accepted publickey'));
  assert.match(accepted!.message, /^Accepted publickey for alice from 192\.0\.2\.7 port 50022 ssh2: ED25519 SHA256:[\w+/]{43}$/);
  assert.equal(accepted!.level, 'info');
  assert.ok(p.lines.some((l) => l.level === 'debug' && l.message.startsWith('Failed none for alice')));
});

test('an unauthorized key is refused without being signed with, then the authorized one works', async () => {
  const policy = tablePolicy({ alice: { keys: [alice.publicKey] } });
  const bad = identityOf(stranger);
  const good = identityOf(alice);
  const p = authPair(policy, 'alice', { identities: () => [bad, good] });
  const result = await p.client.start();
  assert.ok(bytesEqual(result.publicKey!.blob, alice.publicKey.blob));
  assert.equal(bad.signed, 0);
  assert.equal(good.signed, 1);
  assert.deepEqual(numbers(p.serverSent), [F, F, PK_OK, S]);
  assert.ok(p.lines.some((l) => /^Failed publickey for alice from 192\.0\.2\.7 port 50022 ssh2: ED25519 SHA256:/.test(l.message)));
});

test('password right', async () => {
  const policy = tablePolicy({ alice: { password: 'correct horse' } }, [['password']]);
  const prompts: string[] = [];
  const p = authPair(policy, 'alice', { askPassword: async (prompt) => (prompts.push(prompt), 'correct horse') }, {
    client: { host: 'example.org' },
  });
  const result = await p.client.start();
  assert.equal(result.method, 'password');
  assert.deepEqual(prompts, ["alice@example.org's password: "]);
  assert.ok(p.lines.some((l) => l.message === 'Accepted password for alice from 192.0.2.7 port 50022 ssh2'));
  assert.ok(!JSON.stringify(p.lines).includes('correct horse'), 'the password reached a log line');
});

test('password wrong: NumberOfPasswordPrompts tries, then Permission denied with the server methods', async () => {
  const policy = tablePolicy({ alice: { password: 'right' } }, [['publickey'], ['password']]);
  const attempts: number[] = [];
  const p = authPair(policy, 'alice', { askPassword: async (_prompt, attempt) => (attempts.push(attempt), 'wrong') });
  await assert.rejects(p.client.start(), (e: unknown) => {
    assert.ok(e instanceof AuthFailedError);
    assert.equal(e.message, 'Permission denied (publickey,password).');
    assert.equal(e.reason, DisconnectReason.NO_MORE_AUTH_METHODS_AVAILABLE);
    return true;
  });
  assert.deepEqual(attempts, [0, 1, 2]);
  const failed = p.lines.filter((l) => l.message.startsWith('Failed password for alice'));
  assert.equal(failed.length, 3);
  assert.ok(failed.every((l) => l.level === 'info'));
  assert.ok(!JSON.stringify(p.lines).includes('wrong'));
});

test('password change: PASSWD_CHANGEREQ, then the change form with old and new passwords', async () => {
  const changes: Array<[string, string]> = [];
  const policy = tablePolicy({ alice: {} }, [['password']], {
    checkPassword: (_u, pw) => (pw === 'expired' ? 'change' : false),
    changePassword: (_u, oldPw, newPw) => (changes.push([oldPw, newPw]), true),
  });
  const p = authPair(policy, 'alice', { askPassword: async () => 'expired', askNewPassword: async () => 'fresh' });
  const result = await p.client.start();
  assert.equal(result.method, 'password');
  assert.deepEqual(changes, [['expired', 'fresh']]);
  assert.deepEqual(numbers(p.serverSent), [F, MSG.USERAUTH_PASSWD_CHANGEREQ, S]);
});

/** Two rounds: a password, then a one-time code. */
function twoRounds(log: string[]): KbdintConversation {
  let round = 0;
  return {
    start: (): KbdintStep => ({
      kind: 'prompts',
      name: 'Login',
      instruction: 'Round one',
      prompts: [{ prompt: 'Password: ', echo: false }],
    }),
    respond(answers): KbdintStep {
      log.push(`round ${++round}: ${answers.length} answers`);
      if (round === 1) {
        if (answers[0] !== 'pw') return { kind: 'failure' };
        return { kind: 'prompts', name: '', instruction: 'Round two', prompts: [{ prompt: 'Code: ', echo: true }] };
      }
      return answers[0] === '123456' ? { kind: 'success' } : { kind: 'failure' };
    },
    abandon: () => log.push('abandoned'),
  };
}

test('keyboard-interactive with two rounds', async () => {
  const serverLog: string[] = [];
  const policy = tablePolicy({ alice: {} }, [['keyboard-interactive']], {
    keyboardInteractive: (_user, submethods) => (serverLog.push(`submethods "${submethods}"`), twoRounds(serverLog)),
  });
  const seen: Array<[string, KbdintPrompt[]]> = [];
  const p = authPair(policy, 'alice', {
    askInteractive: async (_name, instruction, prompts) => {
      seen.push([instruction, prompts]);
      return [prompts[0].echo ? '123456' : 'pw'];
    },
  }, { client: { kbdInteractiveDevices: 'pam' } });
  const result = await p.client.start();
  assert.equal(result.method, 'keyboard-interactive');
  assert.deepEqual(seen, [
    ['Round one', [{ prompt: 'Password: ', echo: false }]],
    ['Round two', [{ prompt: 'Code: ', echo: true }]],
  ]);
  assert.deepEqual(serverLog, ['submethods "pam"', 'round 1: 1 answers', 'round 2: 1 answers']);
  assert.deepEqual(numbers(p.serverSent), [F, MSG.USERAUTH_INFO_REQUEST, MSG.USERAUTH_INFO_REQUEST, S]);
});

test('a keyboard-interactive conversation is abandoned when the client moves on to another method', async () => {
  const serverLog: string[] = [];
  const policy = tablePolicy({ alice: { password: 'pw' } }, [['keyboard-interactive'], ['password']], {
    keyboardInteractive: () => twoRounds(serverLog),
  });
  const p = authPair(policy, 'alice', { askInteractive: async () => undefined, askPassword: async () => 'pw' });
  const result = await p.client.start();
  assert.equal(result.method, 'password');
  assert.deepEqual(serverLog, ['abandoned']);
});

test('AuthenticationMethods publickey,password: partial success, then password', async () => {
  const policy = tablePolicy({ alice: { keys: [alice.publicKey], password: 'pw' } }, [['publickey', 'password']]);
  const p = authPair(policy, 'alice', { identities: () => [identityOf(alice)], askPassword: async () => 'pw' });
  const result = await p.client.start();
  assert.deepEqual(result.methodsUsed, ['publickey', 'password']);
  assert.equal(result.method, 'password');
  const server = await p.server.result;
  assert.deepEqual(server.methodsUsed, ['publickey', 'password']);
  assert.ok(bytesEqual(server.publicKey!.blob, alice.publicKey.blob));
  assert.deepEqual(numbers(p.serverSent), [F, PK_OK, F, S]);
  assert.deepEqual(decodeUserauthFailure(p.serverSent[0]), { methods: ['publickey'], partialSuccess: false });
  assert.deepEqual(decodeUserauthFailure(p.serverSent[2]), { methods: ['password'], partialSuccess: true });
  assert.ok(p.lines.some((l) => l.message.startsWith('Partial publickey for alice from 192.0.2.7 port 50022 ssh2: ED25519')));
});

test('password alone is not offered before publickey in a publickey,password list', async () => {
  const policy = tablePolicy({ alice: { password: 'pw' } }, [['publickey', 'password']]);
  let asked = 0;
  const p = authPair(policy, 'alice', { askPassword: async () => (asked++, 'pw') });
  await assert.rejects(p.client.start(), /^AuthFailedError: Permission denied \(publickey\)\.$/);
  assert.equal(asked, 0);
});

test('publickey,publickey needs two different keys; the first key is not accepted twice', async () => {
  const bob2 = newUserKey(env);
  const policy = tablePolicy({ bob: { keys: [alice.publicKey, bob2.publicKey] } }, [['publickey', 'publickey']]);
  const p = authPair(policy, 'bob', { identities: () => [identityOf(alice), identityOf(bob2)] });
  const result = await p.client.start();
  assert.deepEqual(result.methodsUsed, ['publickey', 'publickey']);
  assert.ok(bytesEqual(result.publicKey!.blob, bob2.publicKey.blob));
});

test('MaxAuthTries: the last failure is a disconnect with NO_MORE_AUTH_METHODS_AVAILABLE', async () => {
  const policy = tablePolicy({ alice: { keys: [alice.publicKey] } });
  const p = authPair(policy, 'alice', { identities: () => extra.map(identityOf) }, { server: { maxAuthTries: 3 } });
  void p.client.start();
  const err = (await p.serverError) as { reason: number; message: string };
  assert.equal(err.reason, DisconnectReason.NO_MORE_AUTH_METHODS_AVAILABLE);
  assert.equal(err.message, 'Too many authentication failures');
  await assert.rejects(p.server.result, /Too many authentication failures/);
  // none (free) + two refused keys get FAILURE; the third refusal is the disconnect.
  assert.deepEqual(numbers(p.serverSent), [F, F, F]);
  assert.equal(p.clientSent.length, 4);
  assert.ok(p.lines.some((l) => l.level === 'error' && l.message.startsWith('maximum authentication attempts exceeded for alice')));
});

test('an unknown user gets byte-for-byte the replies of a known user with a wrong key', async () => {
  const run = async (user: string) => {
    const policy = tablePolicy({ alice: { keys: [alice.publicKey], password: 'pw' } });
    const p = authPair(policy, user, { identities: () => [identityOf(stranger)], askPassword: async () => 'guess' }, {
      server: { banner: 'hello\r\n' },
    });
    await assert.rejects(p.client.start(), AuthFailedError);
    return { sent: p.serverSent.map(toHex), policy, lines: p.lines };
  };
  const known = await run('alice');
  const unknown = await run('mallory');
  assert.deepEqual(unknown.sent, known.sent);
  // Same steps: the policy was consulted for the unknown user exactly as for the known one.
  assert.equal(unknown.policy.calls.checkPublicKey.length, known.policy.calls.checkPublicKey.length);
  assert.equal(unknown.policy.calls.checkPassword.length, known.policy.calls.checkPassword.length);
  assert.ok(unknown.lines.some((l) => l.message === 'Invalid user mallory from 192.0.2.7 port 50022'));
  assert.ok(unknown.lines.some((l) => l.message.startsWith('Failed password for invalid user mallory from 192.0.2.7')));
  assert.ok(!known.lines.some((l) => l.message.startsWith('Invalid user')));
});

test('an unknown user is refused even when the policy would authorize the key', async () => {
  const policy = tablePolicy({}, [['publickey']], { checkPublicKey: () => true, checkPassword: () => true });
  const id = identityOf(alice);
  const p = authPair(policy, 'ghost', { identities: () => [id] });
  await assert.rejects(p.client.start(), /Permission denied \(publickey\)/);
  assert.equal(id.signed, 0);
  assert.deepEqual(numbers(p.serverSent), [F, F]);
});

test('the banner is delivered once, before the first reply', async () => {
  const policy = tablePolicy({ alice: { password: 'pw' } }, [['password']]);
  const banners: string[] = [];
  let bannersAtPrompt = -1;
  const p = authPair(policy, 'alice', {
    onBanner: (text) => banners.push(text),
    askPassword: async () => (bannersAtPrompt = banners.length, 'pw'),
  }, { server: { banner: 'Authorized use only.\r\n' } });
  await p.client.start();
  assert.deepEqual(banners, ['Authorized use only.\r\n']);
  assert.equal(bannersAtPrompt, 1);
  assert.deepEqual(numbers(p.serverSent), [MSG.USERAUTH_BANNER, F, S]);
});

test('onSuccess fires once with the result', async () => {
  const policy = tablePolicy({ alice: { password: 'pw' } }, [['password']]);
  const results: string[] = [];
  const p = authPair(policy, 'alice', { askPassword: async () => 'pw' }, {
    server: { onSuccess: (r) => results.push(`${r.user}/${r.method}`) },
  });
  await p.client.start();
  assert.deepEqual(results, ['alice/password']);
});
