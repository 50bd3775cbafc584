import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Duplex, Readable } from 'node:stream';
import type { Channel, IncomingChannelOpen } from '@tssh/ssh-protocol/connection';
import { channelExtendedWritable, channelToDuplex } from '@tssh/ssh-protocol/node';
import { connectionPair, type SideOptions } from '../helpers/connection-pair.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** A pair where b accepts every session and hands the accepted channel over. */
async function openPair(a: SideOptions, b: SideOptions) {
  let accepted!: Channel;
  const p = connectionPair({
    a,
    b: { ...b, handler: { onChannelOpen: (o: IncomingChannelOpen) => (accepted = o.accept()) } },
  });
  const mine = await p.a.openSession();
  return { p, mine, theirs: accepted };
}

const closed = (s: Duplex): Promise<unknown> => (s.closed ? Promise.resolve() : once(s, 'close'));

/** Reads to the end without an async iterator, which would destroy a Duplex whose writable side is still open. */
function readAll(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  r.on('data', (chunk: Buffer) => parts.push(chunk));
  return new Promise((resolve, reject) => {
    r.once('end', () => resolve(Buffer.concat(parts)));
    r.once('error', reject);
  });
}

test('a slow reader stalls the writer: bounded queues end to end, data intact', async () => {
  const WINDOW = 64 * 1024;
  const CHANNEL_HWM = 8 * 1024;
  const READ_HWM = 16 * 1024;
  const PIECE = 10 * 1024;
  const { p, mine, theirs } = await openPair(
    { highWaterMark: CHANNEL_HWM },
    { windowSize: WINDOW, maxPacketSize: 8 * 1024 },
  );
  const writer = channelToDuplex(mine, { writableHighWaterMark: 16 * 1024 });
  const reader = channelToDuplex(theirs, { readableHighWaterMark: READ_HWM });
  reader.end(); // the reading side sends nothing: its EOF goes first
  const writerGotEof = readAll(writer);
  const payload = randomBytes(4 * 1024 * 1024);

  let accepted = 0;
  let maxQueued = 0;
  const writing = (async () => {
    for (let off = 0; off < payload.length; off += PIECE) {
      const ok = writer.write(payload.subarray(off, off + PIECE));
      accepted += Math.min(PIECE, payload.length - off);
      maxQueued = Math.max(maxQueued, mine.queuedBytes);
      if (!ok) await once(writer, 'drain');
      maxQueued = Math.max(maxQueued, mine.queuedBytes);
    }
    writer.end();
  })();

  // Nobody reads for a while: the writer must stall once the window and the buffers are full.
  await sleep(150);
  const stalledAt = accepted;
  const bound = WINDOW + READ_HWM + CHANNEL_HWM + 16 * 1024 + 2 * PIECE;
  assert.ok(stalledAt <= bound, `writer got ${stalledAt} bytes out with nobody reading (bound ${bound})`);
  assert.ok(reader.readableLength <= READ_HWM + WINDOW, `reader buffered ${reader.readableLength}`);
  assert.equal(theirs.localWindow, 0); // the peer is held by the window, not by anything else
  await sleep(50);
  assert.equal(accepted, stalledAt);

  // Now read slowly: pause after every chunk, for a turn, and for a millisecond every 16 chunks.
  const parts: Buffer[] = [];
  const ended = once(reader, 'end');
  reader.on('data', (chunk: Buffer) => {
    parts.push(chunk);
    reader.pause();
    if (parts.length % 16 === 0) setTimeout(() => reader.resume(), 1);
    else setImmediate(() => reader.resume());
  });
  await ended;
  await writing;
  assert.equal((await writerGotEof).length, 0);
  const got = Buffer.concat(parts);
  assert.equal(got.length, payload.length);
  assert.equal(sha256(got), sha256(payload));
  assert.ok(maxQueued <= CHANNEL_HWM + PIECE, `channel queue reached ${maxQueued}`);
  await Promise.all([closed(writer), closed(reader)]);
  await p.quiet();
  assert.deepEqual([p.a.channelCount, p.b.channelCount], [0, 0]);
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.monitor.violations, []);
});

test('stdout, stderr, EOF both ways, then the channel closes by itself', async () => {
  const { p, mine, theirs } = await openPair({}, { windowSize: 4096, maxPacketSize: 512 });
  const client = channelToDuplex(mine, { readableHighWaterMark: 1024 });
  const server = channelToDuplex(theirs);
  const errOut = channelExtendedWritable(theirs);
  const out = randomBytes(100_000);
  const err = randomBytes(30_000);
  const input = randomBytes(50_000);

  const clientGot = Promise.all([readAll(client), readAll(client.stderr)]);
  const serverGot = readAll(server);
  client.end(input);
  await new Promise<void>((r) => errOut.end(err, () => r()));
  server.end(out);

  const [stdout, stderr] = await clientGot;
  assert.equal(sha256(stdout), sha256(out));
  assert.equal(sha256(stderr), sha256(err));
  assert.equal(sha256(await serverGot), sha256(input));
  await Promise.all([closed(client), closed(server)]);
  assert.equal(mine.isOpen, false);
  assert.equal(theirs.isOpen, false);
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.monitor.violations, []);
});

test('destroying the stream closes the channel; a dying connection errors the stream', async () => {
  const { p, mine, theirs } = await openPair({}, {});
  const local = channelToDuplex(mine);
  const peerClosed = new Promise((r) => theirs.on('close', r));
  local.destroy();
  await peerClosed;
  assert.equal(mine.isOpen, false);

  const second = await p.a.openSession();
  const s = channelToDuplex(second);
  const failed = once(s, 'error');
  const gone = new Error('transport died');
  p.a.destroy(gone);
  const [e] = await failed;
  assert.equal(e, gone);
  assert.equal(s.destroyed, true);
});
