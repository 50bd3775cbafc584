// The client state machine with keys read only when their turn comes (a PEM file without `.pub`): signed at
// once without a query, skipped when they cannot be read; and banners that are not UTF-8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClientAuth,
  decodeUserauthRequest,
  encodeUserauthFailure,
  encodeUserauthSuccess,
  publickeySignedData,
  type ClientCredentials,
  type DeferredClientIdentity,
} from '@tssh/ssh-protocol/auth';
import { MSG, SshWriter, concatBytes, utf8 } from '@tssh/ssh-protocol/wire';
import { capturingEnv, identityOf, newUserKey } from '../helpers/auth-fixtures.js';

const { env, lines } = capturingEnv();
const failure = (methods: string[]) => encodeUserauthFailure({ methods, partialSuccess: false });

function client(credentials: ClientCredentials) {
  const sent: ReturnType<typeof decodeUserauthRequest>[] = [];
  const sessionId = env.random(32);
  const c = new ClientAuth({ env, sessionId, username: 'alice', credentials, send: (p) => sent.push(decodeUserauthRequest(p)) });
  return { c, sent, sessionId };
}

test('a deferred key is loaded at its turn and sent signed at once; the signature is over the request', async () => {
  const first = newUserKey(env, 'first');
  const later = newUserKey(env, 'later');
  let loads = 0;
  const deferred: DeferredClientIdentity = {
    comment: '/home/alice/.ssh/id_pem',
    load: async () => (loads++, identityOf(later)),
  };
  const t = client({ identities: () => [identityOf(first), deferred] });
  const result = t.c.start();
  await t.c.handle(failure(['publickey']));
  assert.equal(loads, 0, 'not read before its turn');
  await t.c.handle(failure(['publickey'])); // the first key's query refused
  assert.equal(loads, 1);
  const signed = t.sent.at(-1)!;
  assert.ok(signed.method === 'publickey' && signed.signature !== undefined, 'no query first');
  assert.deepEqual(signed.blob, later.publicKey.blob);
  const data = publickeySignedData(t.sessionId, 'alice', 'ssh-connection', 'ssh-ed25519', later.publicKey.blob);
  assert.ok(later.publicKey.verify(data, signed.signature));
  assert.ok(lines.some((l) => l.message === 'Trying private key: /home/alice/.ssh/id_pem'));
  await t.c.handle(encodeUserauthSuccess());
  assert.deepEqual((await result).publicKey?.blob, later.publicKey.blob);
});

test('a deferred key that cannot be read (no passphrase, bad file) is skipped for the next method', async () => {
  const prompts: string[] = [];
  const t = client({
    identities: () => [
      { comment: 'gave up', load: async () => undefined },
      { comment: 'broken', load: async () => Promise.reject(new Error('invalid format')) },
    ],
    askPassword: async (prompt) => (prompts.push(prompt), 'pw'),
  });
  void t.c.start();
  await t.c.handle(failure(['publickey', 'password']));
  assert.deepEqual(t.sent.map((r) => r.method), ['none', 'password']);
  assert.deepEqual(prompts, ["alice's password: "]);
});

test('a banner in Latin-1 reaches onBanner with its bytes; authentication goes on', async () => {
  const got: Array<{ text: string; raw: Uint8Array }> = [];
  const t = client({ onBanner: (text, _language, raw) => got.push({ text, raw }), askPassword: async () => 'pw' });
  void t.c.start();
  const raw = concatBytes(utf8('Willkommen, Gr'), Uint8Array.of(0xfc), utf8('\u00dfe\n'));
  await t.c.handle(new SshWriter().byte(MSG.USERAUTH_BANNER).string(raw).string('').toBytes());
  await t.c.handle(failure(['password']));
  assert.deepEqual(got[0].raw, raw);
  assert.equal(got[0].text, 'Willkommen, Gr\ufffd\u00dfe\n');
  assert.equal(t.sent.at(-1)!.method, 'password');
});
