import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DisconnectReason, MacError, SshError } from '@tssh/ssh-protocol/wire';
import { DEFAULT_CIPHERS } from '@tssh/ssh-protocol/transport';
import { oneByteChunks, transportPair } from '../helpers/transport-pair.js';

const KEX = ['curve25519-sha256', 'curve25519-sha256@libssh.org'];

function payload(n: number, size: number): Uint8Array {
  const p = new Uint8Array(size);
  p[0] = 94;
  for (let i = 1; i < size; i++) p[i] = (i * 7 + n) & 0xff;
  return p;
}

async function exchange(pair: ReturnType<typeof transportPair>, count: number): Promise<void> {
  const { client, server } = pair;
  await Promise.all([client.ready, server.ready]);
  for (let i = 0; i < count; i++) client.transport.send(payload(i, 1 + ((i * 977) % 4000)));
  for (let i = 0; i < count; i++) server.transport.send(payload(i + 1, 1 + ((i * 331) % 3000)));
  const deadline = Date.now() + 5000;
  while ((server.payloads.length < count || client.payloads.length < count) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(server.payloads.length, count);
  assert.equal(client.payloads.length, count);
  for (let i = 0; i < count; i++) {
    assert.deepEqual(server.payloads[i], payload(i, 1 + ((i * 977) % 4000)));
    assert.deepEqual(client.payloads[i], payload(i + 1, 1 + ((i * 331) % 3000)));
  }
}

for (const cipher of DEFAULT_CIPHERS) {
  for (const kex of KEX) {
    test(`${kex} + ${cipher}: payloads both ways`, async () => {
      const pair = transportPair({ client: { algorithms: { ciphers: [cipher], kex: [kex] } } });
      pair.client.transport.start();
      pair.server.transport.start();
      await exchange(pair, 50);
      assert.equal(pair.client.transport.negotiated?.cipherC2S, cipher);
      assert.equal(pair.client.transport.negotiated?.kex, kex);
    });
  }

  test(`${cipher}: input split into 1-byte chunks`, async () => {
    const pair = transportPair({
      client: { algorithms: { ciphers: [cipher] } },
      clientToServer: oneByteChunks,
      serverToClient: oneByteChunks,
    });
    pair.client.transport.start();
    pair.server.transport.start();
    await exchange(pair, 5);
  });

  test(`${cipher}: one flipped bit gives a MAC error and a DISCONNECT`, async () => {
    let armed = false;
    const pair = transportPair({
      client: { algorithms: { ciphers: [cipher] } },
      clientToServer: (c) => {
        if (armed) {
          armed = false;
          c[c.length - 20] ^= 0x10;
        }
        return [c];
      },
    });
    pair.client.transport.start();
    pair.server.transport.start();
    await Promise.all([pair.client.ready, pair.server.ready]);
    armed = true;
    pair.client.transport.send(payload(1, 100));
    const serverEnd = await pair.server.done;
    assert.ok(serverEnd instanceof MacError, `server ended with ${String(serverEnd)}`);
    const clientEnd = await pair.client.done;
    assert.ok(clientEnd instanceof SshError);
    assert.equal(clientEnd.reason, DisconnectReason.MAC_ERROR);
  });
}

test('coalesced: everything the client sends arrives as one chunk', async () => {
  const held: Uint8Array[] = [];
  let holding = true;
  const pair = transportPair({ clientToServer: (c) => (holding ? (held.push(c), []) : [c]) });
  pair.client.transport.start();
  pair.server.transport.start();
  await new Promise((r) => setTimeout(r, 20));
  holding = false;
  assert.ok(held.length >= 2, 'version line and KEXINIT held back');
  pair.server.transport.receive(Buffer.concat(held));
  await Promise.all([pair.client.ready, pair.server.ready]);
});

test('rekey started by the client, with data in flight both ways, loses and reorders nothing', async () => {
  const pair = transportPair();
  pair.client.transport.start();
  pair.server.transport.start();
  await Promise.all([pair.client.ready, pair.server.ready]);
  const sid = pair.client.transport.sessionId;
  for (let i = 0; i < 20; i++) pair.client.transport.send(payload(i, 500));
  pair.client.transport.rekey();
  for (let i = 20; i < 40; i++) pair.client.transport.send(payload(i, 500));
  pair.server.transport.rekey();
  for (let i = 0; i < 40; i++) pair.server.transport.send(payload(i, 300));
  const deadline = Date.now() + 5000;
  while ((pair.server.payloads.length < 40 || pair.client.payloads.length < 40) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
  }
  for (let i = 0; i < 40; i++) assert.deepEqual(pair.server.payloads[i], payload(i, 500));
  for (let i = 0; i < 40; i++) assert.deepEqual(pair.client.payloads[i], payload(i, 300));
  assert.deepEqual(pair.client.transport.sessionId, sid);
});

test('rekey by byte limit happens on its own', async () => {
  const pair = transportPair({ client: { rekeyLimitBytes: 20_000 } });
  pair.client.transport.start();
  pair.server.transport.start();
  await Promise.all([pair.client.ready, pair.server.ready]);
  await exchange(pair, 60);
});

test('host key refused by the client ends the connection with HOST_KEY_NOT_VERIFIABLE', async () => {
  const pair = transportPair({ client: { verifyHostKey: async () => false } });
  pair.client.transport.start();
  pair.server.transport.start();
  const c = await pair.client.done;
  assert.ok(c instanceof SshError);
  assert.equal(c.reason, DisconnectReason.HOST_KEY_NOT_VERIFIABLE);
  const s = await pair.server.done;
  assert.ok(s instanceof SshError);
  assert.equal(s.reason, DisconnectReason.HOST_KEY_NOT_VERIFIABLE);
});

test('no common cipher: KEY_EXCHANGE_FAILED', async () => {
  const pair = transportPair({
    client: { algorithms: { ciphers: ['aes128-gcm@openssh.com'] } },
    server: { algorithms: { ciphers: ['aes256-gcm@openssh.com'] } },
  });
  pair.client.transport.start();
  pair.server.transport.start();
  const c = await pair.client.done;
  assert.ok(c instanceof SshError);
  assert.equal(c.reason, DisconnectReason.KEY_EXCHANGE_FAILED);
  assert.match(c.message, /no matching cipher/);
});

for (const mac of ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512', 'hmac-sha1', 'hmac-sha1-etm@openssh.com']) {
  for (const cipher of ['aes128-ctr', 'aes192-ctr', 'aes256-ctr']) {
    test(`${cipher} + ${mac}: payloads both ways, 1-byte chunks`, async () => {
      const pair = transportPair({
        client: { algorithms: { ciphers: [cipher], macs: [mac] } },
        server: { algorithms: { ciphers: [cipher], macs: [mac] } },
        clientToServer: oneByteChunks,
      });
      pair.client.transport.start();
      pair.server.transport.start();
      await exchange(pair, 20);
      assert.equal(pair.server.transport.negotiated?.macC2S, mac);
    });
  }
  test(`aes256-ctr + ${mac}: one flipped bit gives a MAC error`, async () => {
    let armed = false;
    const pair = transportPair({
      client: { algorithms: { ciphers: ['aes256-ctr'], macs: [mac] } },
      server: { algorithms: { ciphers: ['aes256-ctr'], macs: [mac] } },
      clientToServer: (c) => {
        if (armed) {
          armed = false;
          c[c.length - 1] ^= 1;
        }
        return [c];
      },
    });
    pair.client.transport.start();
    pair.server.transport.start();
    await Promise.all([pair.client.ready, pair.server.ready]);
    armed = true;
    pair.client.transport.send(payload(1, 100));
    assert.ok((await pair.server.done) instanceof MacError);
  });
}

for (const comp of ['zlib', 'zlib@openssh.com']) {
  test(`compression ${comp}: payloads both ways survive, rekey keeps the stream`, async () => {
    const pair = transportPair({
      client: { algorithms: { compression: [comp] } },
      server: { algorithms: { compression: [comp, 'none'] } },
    });
    pair.client.transport.start();
    pair.server.transport.start();
    await Promise.all([pair.client.ready, pair.server.ready]);
    pair.client.transport.startDelayedCompression();
    pair.server.transport.startDelayedCompression();
    await exchange(pair, 30);
    pair.client.transport.rekey();
    for (let i = 0; i < 10; i++) pair.client.transport.send(payload(i, 2000));
    const deadline = Date.now() + 5000;
    while (pair.server.payloads.length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.equal(pair.server.payloads.length, 40);
    assert.equal(pair.client.transport.negotiated?.compressionC2S, comp);
  });
}
