// ReusedReadBuffer (ssh-protocol's socket-reads.ts): a socket's reads into one buffer, lent to the sink attached
// later; what came before the sink is copied and goes first. Then the same through a real loopback socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type NetConnectOpts } from 'node:net';
import { ReusedReadBuffer } from '@tssh/ssh-protocol/node';

test('reads before the sink is attached are held as copies and delivered first, owned; later ones are lent', () => {
  const reads = new ReusedReadBuffer(16);
  const { buffer, callback } = reads.onread;
  buffer.set([1, 2, 3]);
  assert.equal(callback(3, buffer), true);
  buffer.fill(9); // the next read reuses the buffer
  buffer.set([4, 5]);
  callback(2, buffer);
  buffer.fill(9);
  const got: Array<{ bytes: number[]; lent: boolean }> = [];
  reads.attach((chunk, lent) => got.push({ bytes: [...chunk], lent }));
  buffer.set([6]);
  callback(1, buffer);
  assert.deepEqual(got, [
    { bytes: [1, 2, 3], lent: false },
    { bytes: [4, 5], lent: false },
    { bytes: [6], lent: true },
  ]);
});

test('through a loopback socket: 8 MiB arrive in order, each read in the same buffer', async () => {
  const data = Buffer.alloc(8 << 20);
  for (let i = 0; i < data.length; i += 4) data.writeUInt32LE(i, i);
  const server = createServer((s) => s.end(data));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const reads = new ReusedReadBuffer();
  const socket = connect(<NetConnectOpts>{ host: '127.0.0.1', port, onread: reads.onread });
  const received = Buffer.alloc(data.length);
  let at = 0;
  const buffers = new Set<ArrayBufferLike>();
  reads.attach((chunk) => {
    buffers.add(chunk.buffer);
    received.set(chunk, at);
    at += chunk.length;
  });
  await new Promise((resolve) => socket.on('end', resolve));
  server.close();
  assert.equal(at, data.length);
  assert.ok(received.equals(data));
  assert.ok(buffers.size <= 2, 'one buffer for every lent read (plus one held copy at most)');
});
