// Every key exchange method end to end through two in-memory transports, then a rekey with the same method.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEX_METHODS } from '@tssh/ssh-protocol/kex';
import { DisconnectReason, SshError } from '@tssh/ssh-protocol/wire';
import { transportPair } from '../helpers/transport-pair.js';

function payload(n: number): Uint8Array {
  const p = new Uint8Array(200);
  p[0] = 94;
  for (let i = 1; i < p.length; i++) p[i] = (i * 13 + n) & 0xff;
  return p;
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

for (const name of KEX_METHODS.keys()) {
  test(`${name}: key exchange, data both ways, rekey keeps the session id`, async () => {
    // The server offers only `name` too: the SHA-1 methods are not in its defaults.
    const pair = transportPair({ client: { algorithms: { kex: [name] } }, server: { algorithms: { kex: [name] } } });
    pair.client.transport.start();
    pair.server.transport.start();
    const failed = Promise.race([pair.client.done, pair.server.done]).then((e) => {
      throw new Error(`connection ended before the key exchange: ${String(e)}`);
    });
    await Promise.race([Promise.all([pair.client.ready, pair.server.ready]), failed]);
    assert.equal(pair.client.transport.negotiated?.kex, name);
    assert.equal(pair.server.transport.negotiated?.kex, name);
    const sid = pair.client.transport.sessionId;
    assert.deepEqual(pair.server.transport.sessionId, sid);
    pair.client.transport.send(payload(1));
    pair.server.transport.send(payload(2));
    pair.client.transport.rekey();
    pair.client.transport.send(payload(3));
    pair.server.transport.send(payload(4));
    await until(() => pair.server.payloads.length === 2 && pair.client.payloads.length === 2, 'payloads');
    assert.deepEqual(pair.server.payloads, [payload(1), payload(3)]);
    assert.deepEqual(pair.client.payloads, [payload(2), payload(4)]);
    assert.deepEqual(pair.client.transport.sessionId, sid);
    assert.equal(pair.client.closed, undefined);
    assert.equal(pair.server.closed, undefined);
  });
}

test('a client offering only diffie-hellman-group14-sha1 finds no match on a server with default KEX', async () => {
  const pair = transportPair({ client: { algorithms: { kex: ['diffie-hellman-group14-sha1'] } } });
  pair.client.transport.start();
  pair.server.transport.start();
  const end = await pair.server.done;
  assert.ok(end instanceof SshError);
  assert.equal(end.reason, DisconnectReason.KEY_EXCHANGE_FAILED);
});
