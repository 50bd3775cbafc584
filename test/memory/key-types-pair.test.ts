// Every host key and user key type end to end in memory: the server holds one host key of each type and signs
// with the one the negotiated host key algorithm names (RFC 8332 §3.1: rsa-sha2-* for an ssh-rsa key); user keys of
// each type authenticate with each of their signature algorithms the server accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeUserauthRequest } from '@tssh/ssh-protocol/auth';
import { parsePrivateKeyFile, type PrivateKey, type PublicKey } from '@tssh/ssh-protocol/keys';
import { SUPPORTED, defaultAlgorithms } from '@tssh/ssh-protocol/transport';
import { DisconnectReason, SshError, SshReader, bytesEqual } from '@tssh/ssh-protocol/wire';
import { authPair, identityOf, tablePolicy } from '../helpers/auth-fixtures.js';
import { keyFixture } from '../helpers/key-fixtures.js';
import { transportPair } from '../helpers/transport-pair.js';

const key = (name: string): PrivateKey => parsePrivateKeyFile(keyFixture(name));
const HOST_KEYS: readonly PrivateKey[] = ['id_ed25519', 'id_ecdsa', 'id_ecdsa384', 'id_ecdsa521', 'id_rsa_pem'].map(key);

async function negotiateWith(alg: string, serverHostKeyAlgorithms: readonly string[]) {
  let seen: PublicKey | undefined;
  const pair = transportPair({
    client: {
      algorithms: { hostKey: [alg] },
      verifyHostKey: (k: PublicKey) => {
        seen = k;
        return true;
      },
    },
    server: { hostKeys: HOST_KEYS, algorithms: { hostKey: serverHostKeyAlgorithms } },
  });
  pair.client.transport.start();
  pair.server.transport.start();
  return { pair, seen: () => seen };
}

for (const alg of SUPPORTED.hostKey) {
  test(`host key algorithm ${alg}: the server signs with the matching key and the client verifies it`, async () => {
    const { pair, seen } = await negotiateWith(alg, SUPPORTED.hostKey);
    await Promise.all([pair.client.ready, pair.server.ready]);
    assert.equal(pair.client.transport.negotiated?.hostKey, alg);
    const expected = HOST_KEYS.find((k) => k.publicKey.signatureAlgorithms.includes(alg))!;
    assert.ok(bytesEqual(seen()!.blob, expected.publicKey.blob));
  });
}

test('ssh-rsa (SHA-1) is not offered by default: a client asking only for it fails the key exchange', async () => {
  assert.ok(!defaultAlgorithms().hostKey.includes('ssh-rsa'));
  const { pair } = await negotiateWith('ssh-rsa', defaultAlgorithms().hostKey);
  const end = await pair.client.done;
  assert.ok(end instanceof SshError);
  assert.equal(end.reason, DisconnectReason.KEY_EXCHANGE_FAILED);
  assert.match(end.message, /host key/);
});

test('the server offers only algorithms it has keys for, in its own order', async () => {
  let offered: string[] = [];
  const pair = transportPair({
    client: { verifyHostKey: () => true },
    server: { hostKeys: [key('id_rsa_pem'), key('id_ecdsa384')], algorithms: { hostKey: SUPPORTED.hostKey } },
    serverToClient: (chunk) => {
      const text = Buffer.from(chunk).toString('latin1');
      const m = /(?:ssh-ed25519|ecdsa-sha2|rsa-sha2|ssh-rsa)[\w@.,-]*/.exec(text);
      if (m && offered.length === 0) offered = m[0].split(',');
      return [chunk];
    },
  });
  pair.client.transport.start();
  pair.server.transport.start();
  await Promise.all([pair.client.ready, pair.server.ready]);
  assert.deepEqual(offered, ['ecdsa-sha2-nistp384', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  assert.equal(pair.client.transport.negotiated?.hostKey, 'ecdsa-sha2-nistp384');
});

// ---- user authentication ----

const USER_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['id_ecdsa', 'ecdsa-sha2-nistp256'],
  ['id_ecdsa384', 'ecdsa-sha2-nistp384'],
  ['id_ecdsa521', 'ecdsa-sha2-nistp521'],
  ['id_rsa_pem', 'rsa-sha2-512'],
  ['id_rsa_pem', 'rsa-sha2-256'],
  ['id_rsa_pem', 'ssh-rsa'],
];

for (const [name, alg] of USER_KEYS) {
  test(`publickey with a ${name} user key signing ${alg}`, async () => {
    const userKey = key(name);
    const policy = tablePolicy({ alice: { keys: [userKey.publicKey] } }, [['publickey']], { acceptedAlgorithms: [alg] });
    const id = identityOf(userKey);
    const p = authPair(policy, 'alice', { identities: () => [id] }, { client: { pubkeyAcceptedAlgorithms: [alg] } });
    const result = await p.client.start();
    assert.equal(result.method, 'publickey');
    const signed = p.clientSent.map(decodeUserauthRequest).find((r) => r.method === 'publickey' && r.signature);
    assert.ok(signed?.method === 'publickey' && signed.algorithm === alg);
    assert.equal(new SshReader(signed.signature!).string(), alg);
    const label = userKey.publicKey.type === 'ssh-rsa' ? 'RSA' : 'ECDSA';
    assert.ok(p.lines.some((l) => new RegExp(`^Accepted publickey for alice from \\S+ port \\d+ ssh2: ${label} SHA256:`).test(l.message)));
  });
}

test('RSA: the client prefers rsa-sha2-512, and uses what server-sig-algs allows', async () => {
  const userKey = key('id_rsa_pem');
  const run = async (serverSigAlgs: string[] | undefined, accepted: string[]) => {
    const policy = tablePolicy({ alice: { keys: [userKey.publicKey] } }, [['publickey']], { acceptedAlgorithms: accepted });
    const p = authPair(policy, 'alice', { identities: () => [identityOf(userKey)] }, {
      client: { pubkeyAcceptedAlgorithms: defaultAlgorithms().hostKey },
    });
    if (serverSigAlgs) p.client.setServerSigAlgs(serverSigAlgs);
    await p.client.start();
    const signed = p.clientSent.map(decodeUserauthRequest).find((r) => r.method === 'publickey' && r.signature);
    return signed?.method === 'publickey' ? signed.algorithm : undefined;
  };
  assert.equal(await run(undefined, ['rsa-sha2-512', 'rsa-sha2-256']), 'rsa-sha2-512');
  assert.equal(await run(['ssh-ed25519', 'rsa-sha2-256'], ['rsa-sha2-256']), 'rsa-sha2-256');
});

test('the server refuses a signature algorithm it does not accept, even for an authorized key', async () => {
  const userKey = key('id_rsa_pem');
  const policy = tablePolicy({ alice: { keys: [userKey.publicKey] } }, [['publickey']], {
    acceptedAlgorithms: defaultAlgorithms().hostKey,
  });
  const id = identityOf(userKey);
  const p = authPair(policy, 'alice', { identities: () => [id] }, { client: { pubkeyAcceptedAlgorithms: ['ssh-rsa'] } });
  await assert.rejects(p.client.start());
  assert.equal(id.signed, 0);
  assert.ok(p.lines.some((l) => /signature algorithm ssh-rsa not accepted for RSA/.test(l.message)));
});

test('a signature whose algorithm differs from the request is refused (rsa-sha2-256 inside a rsa-sha2-512 request)', async () => {
  const userKey = key('id_rsa_pem');
  const policy = tablePolicy({ alice: { keys: [userKey.publicKey] } }, [['publickey']], { acceptedAlgorithms: ['rsa-sha2-512'] });
  const liar = { ...identityOf(userKey), sign: async (data: Uint8Array) => userKey.sign(data, 'rsa-sha2-256') };
  const p = authPair(policy, 'alice', { identities: () => [liar] }, { client: { pubkeyAcceptedAlgorithms: ['rsa-sha2-512'] } });
  await assert.rejects(p.client.start());
  assert.equal(p.server.authenticated, false);
});
