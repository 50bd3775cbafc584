import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Channel } from '@tssh/ssh-protocol/connection';
import { DEFAULT_CIPHERS } from '@tssh/ssh-protocol/transport';
import { DisconnectReason, SshError } from '@tssh/ssh-protocol/wire';
import { endpointPair } from '../helpers/endpoint-pair.js';
import { oneByteChunks } from '../helpers/transport-pair.js';

/** A server that answers `exec` by echoing stdin, then stderr text and exit-status 3. */
function echoServer() {
  return () => ({
    onChannelOpen: (open: { open: { kind: string }; accept(): Channel }) => {
      const ch = open.accept();
      ch.onRequest = (req) => {
        if (req.kind !== 'exec') return false;
        ch.on('data', (d) => ch.write(d));
        ch.on('eof', () => {
          ch.writeExtended(1, Buffer.from(`ran ${req.commandText}\n`));
          void ch.request({ kind: 'exit-status', status: 3 }, false);
          ch.eof();
          ch.close();
        });
        return true;
      };
      return ch;
    },
  });
}

async function runExec(pair: ReturnType<typeof endpointPair>, input: Uint8Array) {
  const { connection } = await pair.client.ready;
  const ch = await connection.openSession();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let status: number | undefined;
  ch.on('data', (d) => out.push(Buffer.from(d)));
  ch.on('extended-data', (_t, d) => err.push(Buffer.from(d)));
  ch.onRequest = (req) => {
    if (req.kind === 'exit-status') status = req.status;
    return true;
  };
  const closed = new Promise<void>((r) => ch.on('close', () => r()));
  assert.equal(await ch.request({ kind: 'exec', command: Buffer.from('cat'), commandText: 'cat' }, true), true);
  for (let i = 0; i < input.length; i += 10000) ch.write(input.subarray(i, i + 10000));
  ch.eof();
  await closed;
  return { out: Buffer.concat(out), err: Buffer.concat(err).toString(), status };
}

for (const cipher of DEFAULT_CIPHERS) {
  test(`whole connection over ${cipher}: auth, exec, 1 MiB both ways, exit status`, async () => {
    const pair = endpointPair({ cipher, serverHandler: echoServer() as never });
    const input = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 0xff);
    const r = await runExec(pair, input);
    assert.equal(createHash('sha256').update(r.out).digest('hex'), createHash('sha256').update(input).digest('hex'));
    assert.equal(r.err, 'ran cat\n');
    assert.equal(r.status, 3);
    pair.client.close();
    assert.equal(await pair.clientClosed, undefined);
    const s = await pair.serverClosed;
    assert.ok(s instanceof SshError && s.reason === DisconnectReason.BY_APPLICATION);
  });
}

test('whole connection with the client bytes split into 1-byte chunks', async () => {
  const pair = endpointPair({ serverHandler: echoServer() as never, clientToServer: oneByteChunks });
  const r = await runExec(pair, new Uint8Array(3000).fill(7));
  assert.equal(r.out.length, 3000);
  assert.equal(r.status, 3);
  pair.client.close();
});

/** Pieces of 1, 13, 4 096 and 40 000 bytes in turn: packets split everywhere, some pieces holding several. */
function oddChunks(chunk: Uint8Array): Uint8Array[] {
  const sizes = [1, 13, 4096, 40_000];
  const out: Uint8Array[] = [];
  for (let i = 0, k = 0; i < chunk.length; k++) {
    out.push(chunk.subarray(i, i + sizes[k % sizes.length]));
    i += sizes[k % sizes.length];
  }
  return out;
}

// receiveBorrowed: both sides read through one buffer each that is scribbled over after every call (the reuse of
// a socket's read buffer). Handshake, authentication, data and a re-exchange started by each side in the middle.
for (const cipher of DEFAULT_CIPHERS) {
  test(`received through one reused buffer over ${cipher}, with re-exchanges from both sides`, async () => {
    const pair = endpointPair({ cipher, serverHandler: echoServer() as never, borrowed: true, clientToServer: oddChunks });
    const input = new Uint8Array(3 << 20).map((_, i) => (i * 131 + (i >> 11)) & 0xff);
    await pair.client.ready;
    const rekeys = setTimeout(() => {
      pair.client.transport.rekey();
      setTimeout(() => pair.server.transport.rekey(), 5);
    }, 5);
    const r = await runExec(pair, input);
    clearTimeout(rekeys);
    assert.equal(createHash('sha256').update(r.out).digest('hex'), createHash('sha256').update(input).digest('hex'));
    assert.equal(r.status, 3);
    pair.client.close();
    assert.equal(await pair.clientClosed, undefined);
  });
}

test('several channels at once', async () => {
  const pair = endpointPair({ serverHandler: echoServer() as never });
  const inputs = [1, 2, 3, 4].map((n) => new Uint8Array(200_000 * n).fill(n));
  const results = await Promise.all(inputs.map((i) => runExec(pair, i)));
  results.forEach((r, i) => assert.deepEqual(new Uint8Array(r.out), inputs[i]));
  pair.client.close();
});

test('unauthorized key: the client gets AuthFailedError, the connection ends', async () => {
  const pair = endpointPair({ authorized: () => false });
  await assert.rejects(pair.client.ready, /Permission denied \(publickey\)/);
});
