import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Channel, IncomingChannelOpen } from '@tssh/ssh-protocol/connection';
import { connectionPair } from '../helpers/connection-pair.js';

function received(ch: Channel): Promise<Buffer> {
  const parts: Buffer[] = [];
  ch.on('data', (d) => parts.push(Buffer.from(d)));
  return new Promise((resolve) => ch.on('close', () => resolve(Buffer.concat(parts))));
}

// Channel.write() promises that the writer may reuse its memory once it returns. For a Node Buffer, slice() makes
// a view, not a copy: the part queued for the window must still be the bytes written, not what the writer put there later.
test('what waits for the window is a copy even when a Node Buffer was written, and the writer reuses it', async () => {
  const p = connectionPair({
    b: { windowSize: 500, maxPacketSize: 100, handler: { onChannelOpen: (open: IncomingChannelOpen) => open.accept() } },
  });
  const ch = await p.a.openSession();
  const got = received(p.b.channel(ch.remoteId)!);
  const reused = Buffer.allocUnsafe(1200).fill(1);
  ch.write(reused); // 500 within the window, 700 queued
  assert.equal(ch.queuedBytes, 700);
  reused.fill(2);
  ch.write(reused.subarray(0, 300));
  ch.close();
  const data = await got;
  assert.equal(data.length, 1500);
  assert.ok(data.subarray(0, 1200).every((b) => b === 1), 'the first write arrives as written');
  assert.ok(data.subarray(1200).every((b) => b === 2));
  assert.deepEqual(p.errors, []);
});
