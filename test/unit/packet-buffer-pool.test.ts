import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketBufferPool } from '@tssh/ssh-protocol/node';

test('a released buffer is handed out again for a packet of the same size class', () => {
  const pool = new PacketBufferPool();
  const a = pool.allocate(256 * 1024 + 13);
  assert.equal(a.length, 256 * 1024 + 13);
  assert.equal(a.buffer.byteLength, 272 * 1024, 'capacity is the next multiple of 16 KiB');
  pool.release(a.subarray(13, 100)); // any view of it names the same memory
  assert.equal(pool.held, 272 * 1024);
  const b = pool.allocate(270 * 1024);
  assert.equal(b.buffer, a.buffer);
  assert.equal(b.length, 270 * 1024);
  assert.equal(pool.held, 0);
  const c = pool.allocate(270 * 1024);
  assert.notEqual(c.buffer, a.buffer, 'a buffer in use is never handed out twice');
  pool.clear();
});

test('small replies and foreign buffers never enter the pool; a second release is ignored', () => {
  const pool = new PacketBufferPool();
  const small = pool.allocate(100);
  pool.release(small);
  pool.release(new Uint8Array(64 * 1024));
  assert.equal(pool.held, 0);
  const big = pool.allocate(32 * 1024);
  pool.release(big);
  pool.release(big);
  assert.equal(pool.held, 32 * 1024);
  const again = pool.allocate(32 * 1024);
  const other = pool.allocate(32 * 1024);
  assert.equal(again.buffer, big.buffer);
  assert.notEqual(other.buffer, big.buffer);
  pool.clear();
});

test('the pool keeps at most 16 MiB of free buffers and lets them go on clear()', () => {
  const pool = new PacketBufferPool();
  const taken = Array.from({ length: 40 }, () => pool.allocate(512 * 1024));
  for (const b of taken) pool.release(b);
  assert.equal(pool.held, 16 * 1024 * 1024);
  pool.clear();
  assert.equal(pool.held, 0);
  assert.notEqual(pool.allocate(512 * 1024).buffer, taken[0].buffer);
  pool.clear();
});
