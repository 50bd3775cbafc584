// sntrup761x25519-sha512 through two in-memory transports: the client asks for it, the server offers its defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KexError } from '@tssh/ssh-protocol/wire';
import { oneByteChunks, transportPair } from '../helpers/transport-pair.js';

const NAMES = ['sntrup761x25519-sha512', 'sntrup761x25519-sha512@openssh.com'];

function payload(n: number, size: number): Uint8Array {
  const p = new Uint8Array(size);
  p[0] = 94;
  for (let i = 1; i < size; i++) p[i] = (i * 11 + n) & 0xff;
  return p;
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function exchange(pair: ReturnType<typeof transportPair>, name: string): Promise<void> {
  const { client, server } = pair;
  client.transport.start();
  server.transport.start();
  const failed = Promise.race([client.done, server.done]).then((e) => {
    throw new Error(`connection ended before the key exchange: ${String(e)}`);
  });
  await Promise.race([Promise.all([client.ready, server.ready]), failed]);
  assert.equal(client.transport.negotiated?.kex, name);
  assert.equal(server.transport.negotiated?.kex, name);
  for (let i = 0; i < 5; i++) client.transport.send(payload(i, 100 + i * 700));
  for (let i = 0; i < 5; i++) server.transport.send(payload(i + 7, 50 + i * 900));
  await until(() => server.payloads.length === 5 && client.payloads.length === 5, 'payloads');
  for (let i = 0; i < 5; i++) {
    assert.deepEqual(server.payloads[i], payload(i, 100 + i * 700));
    assert.deepEqual(client.payloads[i], payload(i + 7, 50 + i * 900));
  }
}

for (const name of NAMES) {
  test(`${name}: key exchange and payloads both ways`, async () => {
    await exchange(transportPair({ client: { algorithms: { kex: [name] } } }), name);
  });

  test(`${name}: every byte in its own chunk`, async () => {
    const pair = transportPair({
      client: { algorithms: { kex: [name] } },
      clientToServer: oneByteChunks,
      serverToClient: oneByteChunks,
    });
    await exchange(pair, name);
  });
}

test('a flipped bit in the server ciphertext: different K on each side, the client refuses the signature', async () => {
  // S_REPLY's string length, 1039 + 32 = 0x42f, is easy to find in the cleartext ECDH_REPLY packet.
  const marker = [0, 0, 0x04, 0x2f];
  let flipped = false;
  const pair = transportPair({
    client: { algorithms: { kex: [NAMES[0]] } },
    serverToClient: (chunk) => {
      for (let i = 0; !flipped && i + marker.length + 600 < chunk.length; i++) {
        if (marker.every((b, k) => chunk[i + k] === b)) {
          chunk[i + marker.length + 600] ^= 0x20;
          flipped = true;
        }
      }
      return [chunk];
    },
  });
  pair.client.transport.start();
  pair.server.transport.start();
  const end = await pair.client.done;
  assert.ok(flipped, 'the reply was found and changed');
  assert.ok(end instanceof KexError, `client ended with ${String(end)}`);
  assert.match(end.message, /signature/);
});
