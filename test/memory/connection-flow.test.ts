// Two connection layers joined in memory, moving data: many channels at once with small and odd windows and packet
// sizes (SHA-256 checked), write() backpressure, a peer that breaks the channel rules, and destroy().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeConnectionMessage } from '@tssh/ssh-protocol/connection';
import { MSG, ProtocolError, utf8 } from '@tssh/ssh-protocol/wire';
import { connectionPair } from '../helpers/connection-pair.js';
import { acceptAll, assertClean, collect, servedChannels, streamBothWays } from '../helpers/channel-traffic.js';

test('8 MiB each way through four channels at once, small windows, SHA-256 checked', async () => {
  const { handler, served } = servedChannels(4);
  let idleA = 0;
  let idleB = 0;
  const p = connectionPair({
    a: { windowSize: 48 * 1024, maxPacketSize: 3000, highWaterMark: 16 * 1024, handler: { onAllChannelsClosed: () => idleA++ } },
    b: { windowSize: 100_000, maxPacketSize: 16384, handler: { ...handler, onAllChannelsClosed: () => idleB++ } },
  });
  await streamBothWays(p, served, 4, 2 * 1024 * 1024, 20_000);
  await p.quiet();
  assertClean(p);
  assert.ok(p.monitor.windowAdjusts > 100, `only ${p.monitor.windowAdjusts} window adjusts`);
  assert.equal(p.monitor.largestData, 16384); // b's limit for a's writes; a's 3000 for b's
  assert.deepEqual([p.a.channelCount, p.b.channelCount, idleA, idleB], [0, 0, 1, 1]);
});

test('tiny odd windows and packets, data and stderr interleaved', async () => {
  const { handler, served } = servedChannels(3);
  const p = connectionPair({
    a: { windowSize: 1000, maxPacketSize: 33, highWaterMark: 100 },
    b: { windowSize: 777, maxPacketSize: 50, highWaterMark: 0, handler },
  });
  await streamBothWays(p, served, 3, 40_000, 3000, 3);
  assertClean(p);
  assert.equal(p.monitor.largestData, 50);
});

test('write() returns false above the high-water mark and drain fires once the peer catches up', async () => {
  const p = connectionPair({ a: { highWaterMark: 1000 }, b: { windowSize: 500, maxPacketSize: 100, handler: acceptAll() } });
  const ch = await p.a.openSession();
  const got = collect(p.b.channel(ch.remoteId)!);
  assert.equal(ch.write(new Uint8Array(1200)), true); // 500 sent, 700 queued
  assert.equal(ch.queuedBytes, 700);
  assert.equal(ch.remoteWindow, 0);
  assert.equal(ch.write(new Uint8Array(800)), false);
  let drained = 0;
  ch.on('drain', () => drained++);
  await new Promise<void>((r) => ch.once('drain', r));
  assert.ok(ch.queuedBytes < 1000);
  ch.close();
  const r = await got;
  assert.equal(r.data.length, 2000);
  assert.equal(drained, 1);
  assertClean(p);
});

test('protocol violations on a channel: data after EOF, beyond the packet size, beyond the window', async () => {
  const p = connectionPair({ b: { windowSize: 1000, maxPacketSize: 100, handler: acceptAll() } });
  const a = await p.a.openSession();
  const id = a.remoteId;
  const inject = (m: Parameters<typeof encodeConnectionMessage>[0]): void => p.b.handle(encodeConnectionMessage(m));
  const data = (n: number) => ({ msg: MSG.CHANNEL_DATA, recipient: id, data: new Uint8Array(n) }) as const;
  assert.throws(() => inject(data(101)), (e: unknown) => e instanceof ProtocolError && /maximum 100/.test(e.message));
  p.b.channel(id)!.autoConsume = false; // nobody consumes, so the window only shrinks
  p.b.channel(id)!.resume();
  for (let i = 0; i < 10; i++) inject(data(100));
  assert.throws(() => inject(data(1)), (e: unknown) => e instanceof ProtocolError && /exceed window 0/.test(e.message));
  assert.throws(
    () => inject({ msg: MSG.CHANNEL_WINDOW_ADJUST, recipient: id, bytes: 0xffffffff }),
    (e: unknown) => e instanceof ProtocolError && /overflows/.test(e.message),
  );
  inject({ msg: MSG.CHANNEL_EOF, recipient: id });
  assert.throws(() => inject(data(0)), (e: unknown) => e instanceof ProtocolError && /data after EOF/.test(e.message));
  assert.throws(() => inject({ msg: MSG.CHANNEL_EOF, recipient: id }), ProtocolError);
});

test('a peer that overruns the window over the wire is cut off with a ProtocolError', async () => {
  const p = connectionPair({ b: { windowSize: 64, maxPacketSize: 64, handler: acceptAll() } });
  const a = await p.a.openSession();
  // Pretend a's window bookkeeping is broken: send one packet the right size twice without an adjust.
  const raw = encodeConnectionMessage({ msg: MSG.CHANNEL_DATA, recipient: a.remoteId, data: new Uint8Array(64) });
  p.b.channel(a.remoteId)!.autoConsume = false;
  p.b.handle(raw);
  const closed = new Promise<Error | undefined>((r) => a.on('close', r));
  a.write(new Uint8Array(1)); // a believes the window is open; b's is now 0
  const err = await closed;
  assert.equal(p.errors.length, 1);
  assert.equal(p.errors[0].side, 'b');
  assert.ok(p.errors[0].error instanceof ProtocolError);
  assert.ok(err); // a learns of it as a lost connection
});

test('destroy(): channels close with the error, pending promises reject, nothing more is sent', async () => {
  const p = connectionPair({
    b: {
      handler: {
        onChannelOpen: (open) => (open.remoteId === 0 ? open.accept() : new Promise(() => {})),
        onGlobalRequest: () => new Promise(() => {}),
      },
    },
  });
  const ch = await p.a.openSession();
  p.b.channel(ch.remoteId)!.onRequest = () => new Promise(() => {});
  const closed = new Promise<Error | undefined>((r) => ch.on('close', r));
  const pendingOpen = p.a.openSession();
  const pendingGlobal = p.a.globalRequest({ kind: 'unknown', name: 'x@y', data: new Uint8Array(0) }, true);
  const pendingRequest = ch.request({ kind: 'shell' }, true);
  await p.quiet();
  const gone = new Error('transport died');
  p.a.destroy(gone);
  await assert.rejects(pendingOpen, gone);
  await assert.rejects(pendingGlobal, gone);
  await assert.rejects(pendingRequest, gone);
  assert.equal(await closed, gone);
  assert.equal(ch.isOpen, false);
  await assert.rejects(p.a.openSession(), gone);
  assert.equal(ch.write(utf8('x')), true);
  assert.equal(p.a.destroyedBy, gone);
  await p.quiet();
  assertClean(p);
});
