// ByteQueue: the chunk list every framer takes packets from (transport packets, SFTP requests and replies).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteQueue } from '@tssh/ssh-protocol/wire';

const bytes = (from: number, n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

/** The same 300 bytes as chunks of sizes cycling through `sizes`. */
function queueOf(sizes: number[]): ByteQueue {
  const q = new ByteQueue();
  for (let at = 0, i = 0; at < 300; i++) {
    const n = Math.min(sizes[i % sizes.length], 300 - at);
    q.push(bytes(at, n));
    at += n;
  }
  return q;
}

for (const sizes of [[300], [1], [7, 1, 64], [150, 150]]) {
  test(`take, takeParts, skip, peek and byteAt agree with the stream (chunks of ${sizes.join(',')})`, () => {
    const q = queueOf(sizes);
    assert.equal(q.length, 300);
    assert.equal(q.byteAt(299), 299 & 0xff);
    assert.equal(q.u32At(1), 0x01020304);
    assert.deepEqual(q.peek(10), bytes(0, 10));
    assert.deepEqual(q.take(10), bytes(0, 10));
    q.skip(5);
    const parts = q.takeParts(100);
    assert.ok(parts.every((p) => p.length > 0));
    assert.deepEqual(Buffer.concat(parts), Buffer.from(bytes(15, 100)));
    const scratch = new Uint8Array(200);
    const taken = q.take(185, scratch);
    assert.deepEqual(taken, bytes(115, 185));
    assert.equal(q.length, 0);
    assert.throws(() => q.take(1), RangeError);
    assert.throws(() => q.byteAt(0), RangeError);
  });
}

test('a view when the bytes lie in one chunk, a copy (in the scratch buffer when given) when they do not', () => {
  const q = new ByteQueue();
  const a = bytes(0, 8);
  q.push(a);
  q.push(bytes(8, 8));
  const view = q.take(4);
  assert.equal(view.buffer, a.buffer);
  const scratch = new Uint8Array(16);
  const joined = q.take(8, scratch);
  assert.equal(joined.buffer, scratch.buffer);
  assert.deepEqual(joined, bytes(4, 8));
  const small = new Uint8Array(2);
  assert.notEqual(q.take(4, small).buffer, small.buffer, 'too small a scratch buffer is not used');
});

test('a stream fed a byte at a time: skipped and taken piece by piece, every byte in order', () => {
  const q = new ByteQueue();
  const n = 50_000;
  for (let i = 0; i < n; i++) q.push(Uint8Array.of(i & 0xff));
  for (let i = 0; i < n / 2; i++) q.skip(1);
  assert.equal(q.byteAt(0), (n / 2) & 0xff);
  const parts = q.takeParts(n / 2);
  assert.equal(parts.length, n / 2);
  assert.ok(parts.every((p, i) => p.length === 1 && p[0] === ((n / 2 + i) & 0xff)));
  assert.equal(q.length, 0);
});

test('detach: what is left of the pushed chunks is copied, so that their owner may write over them', () => {
  const q = new ByteQueue();
  const a = bytes(0, 100);
  const b = bytes(100, 50);
  q.push(a);
  q.push(b);
  q.skip(70);
  q.detach();
  a.fill(0xee);
  b.fill(0xee);
  assert.equal(q.length, 80);
  assert.deepEqual(q.take(80), bytes(70, 80));
  q.detach(); // nothing left: nothing kept
  assert.equal(q.length, 0);
  q.push(bytes(1, 3));
  assert.deepEqual(q.take(3), bytes(1, 3));
});
