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

test('released: at once for what is sent or copied, and for owned data only once its last byte has gone out', async () => {
  const p = connectionPair({
    b: { windowSize: 500, maxPacketSize: 100, handler: { onChannelOpen: (open: IncomingChannelOpen) => open.accept() } },
  });
  const ch = await p.a.openSession();
  const got = received(p.b.channel(ch.remoteId)!);
  const log: string[] = [];
  ch.write(new Uint8Array(200).fill(1), true, () => log.push('within the window'));
  assert.deepEqual(log, ['within the window']);
  ch.write(new Uint8Array(400).fill(2), false, () => log.push('copied'));
  assert.deepEqual(log, ['within the window', 'copied'], 'a copy lets go of the caller at once');
  const owned = new Uint8Array(700).fill(3);
  ch.write(owned, true, () => log.push(`owned, ${ch.queuedBytes} left queued`));
  assert.equal(log.length, 2, 'owned data still waits for the window');
  ch.close();
  const data = await got;
  assert.equal(data.length, 1300);
  assert.ok(data.subarray(600).every((b) => b === 3));
  assert.deepEqual(log, ['within the window', 'copied', 'owned, 0 left queued']);
});

test('released: owned data dropped by a forced close is let go too', async () => {
  const p = connectionPair({
    b: { windowSize: 100, maxPacketSize: 100, handler: { onChannelOpen: (open: IncomingChannelOpen) => open.accept() } },
  });
  const ch = await p.a.openSession();
  let released = 0;
  ch.write(new Uint8Array(1000), true, () => released++);
  assert.equal(released, 0);
  ch.close(true);
  assert.equal(released, 1);
});
