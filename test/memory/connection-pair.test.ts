import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  Channel,
  ChannelClosedError,
  ChannelOpenError,
  encodeConnectionMessage,
  execRequest,
  type ChannelRequest,
  type IncomingChannelOpen,
} from '@tssh/ssh-protocol/connection';
import { ChannelOpenFailure, EXTENDED_DATA_STDERR, MSG, ProtocolError, fromUtf8, utf8 } from '@tssh/ssh-protocol/wire';
import { connectionPair, type ConnectionPair } from '../helpers/connection-pair.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

interface Received {
  data: Buffer;
  stderr: Buffer;
  eof: boolean;
  closeError: Error | undefined;
}

/** Everything a channel delivers until its 'close'. */
function collect(ch: Channel): Promise<Received> {
  const data: Buffer[] = [];
  const stderr: Buffer[] = [];
  let eof = false;
  ch.on('data', (d) => data.push(Buffer.from(d)));
  ch.on('extended-data', (t, d) => t === EXTENDED_DATA_STDERR && stderr.push(Buffer.from(d)));
  ch.on('eof', () => (eof = true));
  return new Promise((resolve) =>
    ch.on('close', (closeError) => resolve({ data: Buffer.concat(data), stderr: Buffer.concat(stderr), eof, closeError })),
  );
}

/** Writes `data` in pieces of varying size, waiting for 'drain' whenever write() says so, then sends EOF. */
async function pump(ch: Channel, data: Uint8Array, piece: number, stderrEvery = 0): Promise<number> {
  let maxQueued = 0;
  for (let off = 0, i = 0; off < data.length; i++) {
    const n = Math.min(data.length - off, 1 + ((i * 7919) % piece));
    const chunk = data.subarray(off, off + n);
    const ok = stderrEvery && i % stderrEvery === 0 ? ch.writeExtended(EXTENDED_DATA_STDERR, chunk) : ch.write(chunk);
    off += n;
    maxQueued = Math.max(maxQueued, ch.queuedBytes);
    if (!ok) await new Promise<void>((r) => ch.once('drain', r));
  }
  ch.eof();
  return maxQueued;
}

const acceptAll = (serve?: (ch: Channel, open: IncomingChannelOpen) => void) => ({
  onChannelOpen(open: IncomingChannelOpen): Channel {
    const ch = open.accept();
    serve?.(ch, open);
    return ch;
  },
});

function assertClean(p: ConnectionPair): void {
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.monitor.violations, []);
}

test('sessions open in both directions with their own ids and windows', async () => {
  const p = connectionPair({ a: { handler: acceptAll(), windowSize: 5000 }, b: { handler: acceptAll(), maxPacketSize: 700 } });
  const [fromA, fromA2, fromB] = await Promise.all([p.a.openSession(), p.a.openSession(), p.b.openSession()]);
  assert.deepEqual([fromA.localId, fromA2.localId, fromB.localId], [0, 1, 0]);
  assert.equal(fromA.type, 'session');
  assert.equal(fromB.remoteWindow, 5000); // a's window, as a accepted it
  assert.equal(fromA.localWindow, 5000);
  assert.equal(p.a.channelCount, 3); // two opened by a, one accepted from b
  assert.equal(p.b.channelCount, 3);
  assert.equal(p.b.channel(fromA.remoteId)?.remoteId, fromA.localId);
  assertClean(p);
});

test('exec: replies in order, output, stderr, exit-status, then EOF and CLOSE', async () => {
  const seen: string[] = [];
  const p = connectionPair({
    record: true,
    b: {
      handler: acceptAll((ch) => {
        ch.onRequest = (req) => {
          seen.push(req.kind);
          if (req.kind === 'env') return req.name === 'LANG';
          if (req.kind !== 'exec') return false;
          setImmediate(() => {
            ch.write(utf8(`ran: ${req.commandText}\n`));
            ch.writeExtended(EXTENDED_DATA_STDERR, utf8('a warning\n'));
            void ch.request({ kind: 'exit-status', status: 3 }, false);
            ch.close();
          });
          return true;
        };
      }),
    },
  });
  const ch = await p.a.openSession();
  const received = collect(ch);
  const replies = await Promise.all([
    ch.request({ kind: 'env', name: 'LANG', value: 'C.UTF-8' }, true),
    ch.request({ kind: 'env', name: 'SECRET', value: 'x' }, true),
    ch.request({ kind: 'unknown', name: 'nonsense@example.com', data: new Uint8Array(0) }, true),
    ch.request(execRequest('uname -a'), true),
  ]);
  assert.deepEqual(replies, [true, false, false, true]);
  const r = await received;
  assert.equal(r.data.toString(), 'ran: uname -a\n');
  assert.equal(r.stderr.toString(), 'a warning\n');
  assert.equal(r.eof, true);
  assert.equal(r.closeError, undefined);
  assert.equal(ch.exitStatus, 3);
  assert.deepEqual(seen, ['env', 'env', 'unknown', 'exec']);
  // b sent EOF before CLOSE and after its data.
  const fromB = p.wire.filter((w) => w.from === 'b').map((w) => w.m.msg);
  assert.deepEqual(fromB.slice(-3), [MSG.CHANNEL_REQUEST, MSG.CHANNEL_EOF, MSG.CHANNEL_CLOSE]);
  await p.quiet();
  assert.equal(p.a.channelCount, 0);
  assert.equal(p.b.channelCount, 0);
  assertClean(p);
});

test('exit-signal is recorded with its parts', async () => {
  const p = connectionPair({
    b: {
      handler: acceptAll((ch) => {
        void ch.request({ kind: 'exit-signal', signal: 'KILL', coreDumped: false, message: 'killed', language: '' }, false);
        ch.close();
      }),
    },
  });
  const ch = await p.a.openSession();
  await collect(ch);
  assert.deepEqual(ch.exitSignal, { signal: 'KILL', coreDumped: false, message: 'killed' });
  assert.equal(ch.exitStatus, undefined);
  assertClean(p);
});

test('an async request handler keeps the replies in request order', async () => {
  const p = connectionPair({
    record: true,
    b: {
      handler: acceptAll((ch) => {
        ch.onRequest = (req) => {
          if (req.kind === 'signal' && req.signal === 'SLOW') return new Promise((r) => setTimeout(() => r(true), 30));
          if (req.kind === 'signal' && req.signal === 'FAILS') return Promise.reject(new Error('handler broke'));
          if (req.kind === 'signal' && req.signal === 'THROWS') throw new Error('handler threw');
          return req.kind === 'shell';
        };
      }),
    },
  });
  const ch = await p.a.openSession();
  const order: number[] = [];
  const asks: ChannelRequest[] = [
    { kind: 'signal', signal: 'SLOW' },
    { kind: 'signal', signal: 'FAILS' },
    { kind: 'window-change', cols: 1, rows: 1, widthPx: 0, heightPx: 0 },
    { kind: 'signal', signal: 'THROWS' },
    { kind: 'shell' },
  ];
  const replies = await Promise.all(asks.map((req, i) => ch.request(req, true).then((ok) => (order.push(i), ok))));
  assert.deepEqual(replies, [true, false, false, false, true]);
  assert.deepEqual(order, [0, 1, 2, 3, 4]);
  const fromB = p.wire.filter((w) => w.from === 'b' && w.m.msg !== MSG.CHANNEL_OPEN_CONFIRMATION).map((w) => w.m.msg);
  const S = MSG.CHANNEL_SUCCESS;
  const F = MSG.CHANNEL_FAILURE;
  assert.deepEqual(fromB, [S, F, F, F, S]);
  assertClean(p);
});

async function streamBothWays(
  p: ConnectionPair,
  served: Promise<Channel[]>,
  channels: number,
  bytesEach: number,
  piece: number,
  stderrEvery = 0,
): Promise<void> {
  const up = Array.from({ length: channels }, () => randomBytes(bytesEach));
  const down = Array.from({ length: channels }, () => randomBytes(bytesEach));
  const mine = await Promise.all(Array.from({ length: channels }, () => p.a.openSession()));
  const theirs = await served;
  const byId = (ch: Channel): number => mine.findIndex((m) => m.localId === ch.remoteId);
  const runSide = async (ch: Channel, out: Uint8Array): Promise<Received> => {
    const got = collect(ch);
    const peerEof = new Promise<void>((r) => ch.on('eof', r));
    await pump(ch, out, piece, stderrEvery);
    await peerEof;
    ch.close();
    return got;
  };
  const results = await Promise.all([
    ...mine.map((ch, i) => runSide(ch, up[i])),
    ...theirs.map((ch) => runSide(ch, down[byId(ch)])),
  ]);
  for (let i = 0; i < channels; i++) {
    const atA = results[i];
    const atB = results[channels + theirs.findIndex((t) => byId(t) === i)];
    const both = (r: Received): Buffer => (stderrEvery ? Buffer.concat([r.data, r.stderr]) : r.data);
    assert.equal(both(atA).length, bytesEach);
    assert.equal(both(atB).length, bytesEach);
    if (!stderrEvery) {
      assert.equal(sha256(atA.data), sha256(down[i]), `channel ${i} b->a`);
      assert.equal(sha256(atB.data), sha256(up[i]), `channel ${i} a->b`);
    }
  }
}

function servedChannels(count: number): { handler: ReturnType<typeof acceptAll>; served: Promise<Channel[]> } {
  const list: Channel[] = [];
  let done!: (v: Channel[]) => void;
  const served = new Promise<Channel[]>((r) => (done = r));
  const handler = acceptAll((ch) => {
    list.push(ch);
    if (list.length === count) done(list);
  });
  return { handler, served };
}

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

test('EOF and CLOSE in every order, ids freed and reused', async (t) => {
  const idle: string[] = [];
  const p = connectionPair({
    a: { handler: { onAllChannelsClosed: () => idle.push('a') } },
    b: { handler: { ...acceptAll(), onAllChannelsClosed: () => idle.push('b') }, windowSize: 1000, maxPacketSize: 100 },
  });
  const open = async (): Promise<[Channel, Channel]> => {
    const a = await p.a.openSession();
    return [a, p.b.channel(a.remoteId)!];
  };

  await t.test('EOF both ways, then CLOSE from the opener', async () => {
    const [a, b] = await open();
    const [ra, rb] = [collect(a), collect(b)];
    a.write(utf8('ping'));
    a.eof();
    await new Promise<void>((r) => b.on('eof', () => r()));
    b.write(utf8('pong'));
    b.eof();
    await new Promise<void>((r) => a.on('eof', () => r()));
    a.close();
    const [xa, xb] = await Promise.all([ra, rb]);
    assert.equal(fromUtf8(xa.data), 'pong');
    assert.equal(fromUtf8(xb.data), 'ping');
    assert.ok(xa.eof && xb.eof);
    assert.throws(() => a.write(utf8('late')), ChannelClosedError);
  });

  await t.test('CLOSE without EOF from the acceptor while the opener still has data queued', async () => {
    const [a, b] = await open();
    const ra = collect(a);
    a.write(new Uint8Array(5000)); // b's window is 1000: most of it waits
    assert.ok(a.queuedBytes > 0);
    b.close(true);
    const x = await ra;
    assert.equal(x.eof, false);
    assert.equal(a.queuedBytes, 0);
    assert.equal(a.write(utf8('dropped')), true); // the peer closed: nothing more goes out
    await assert.rejects(a.request({ kind: 'shell' }, true), ChannelClosedError);
  });

  await t.test('both sides CLOSE in the same turn', async () => {
    const [a, b] = await open();
    const both = Promise.all([collect(a), collect(b)]);
    a.close();
    b.close();
    const [xa, xb] = await both;
    // Each sent EOF and CLOSE before the other's arrived; after our own CLOSE the peer's EOF is not delivered.
    assert.deepEqual([xa.eof, xb.eof, xa.closeError, xb.closeError], [false, false, undefined, undefined]);
  });

  await t.test('a graceful close waits for the queued data', async () => {
    const [a, b] = await open();
    const rb = collect(b);
    a.write(new Uint8Array(10_000).fill(7));
    a.close();
    const x = await rb;
    assert.equal(x.data.length, 10_000);
    assert.ok(x.eof);
  });

  await p.quiet();
  assert.deepEqual([p.a.channelCount, p.b.channelCount], [0, 0]);
  assert.equal((await p.a.openSession()).localId, 0);
  assert.equal(idle.filter((s) => s === 'a').length, 4);
  assert.equal(idle.filter((s) => s === 'b').length, 4);
  assertClean(p);
});

test('events that arrive before anyone listens are held, in order', async () => {
  const p = connectionPair({
    b: {
      handler: acceptAll((ch) => {
        ch.write(utf8('early'));
        void ch.request({ kind: 'exit-status', status: 0 }, false);
        ch.close();
      }),
    },
  });
  const ch = await p.a.openSession();
  await p.quiet(); // the data, exit-status, EOF and CLOSE have all been handled
  const events: string[] = [];
  ch.onRequest = (req) => (events.push(req.kind), true);
  ch.on('data', (d) => events.push(`data ${fromUtf8(d)}`));
  ch.on('eof', () => events.push('eof'));
  await new Promise((r) => ch.on('close', r));
  assert.deepEqual(events, ['data early', 'exit-status', 'eof']);
  assertClean(p);
});

test('open refusals carry the reason; the default refuses everything', async () => {
  const p = connectionPair({
    b: {
      handler: {
        async onChannelOpen(open) {
          await tick();
          if (open.open.kind === 'direct-tcpip') return { reject: ChannelOpenFailure.CONNECT_FAILED, description: 'no route' };
          return { reject: ChannelOpenFailure.RESOURCE_SHORTAGE };
        },
      },
    },
  });
  const direct = { kind: 'direct-tcpip', host: 'h', port: 9, originatorAddress: '127.0.0.1', originatorPort: 5 } as const;
  await assert.rejects(p.a.openChannel(direct), (e: unknown) => e instanceof ChannelOpenError && e.reason === 2 && e.description === 'no route');
  await assert.rejects(p.a.openSession(), (e: unknown) => e instanceof ChannelOpenError && e.reason === 4);
  await assert.rejects(p.b.openSession(), (e: unknown) => e instanceof ChannelOpenError && e.reason === 1);
  await assert.rejects(
    p.b.openChannel({ kind: 'unknown', type: 'weird@example.com', data: new Uint8Array(0) }),
    (e: unknown) => e instanceof ChannelOpenError && e.reason === 3,
  );
  assert.deepEqual([p.a.channelCount, p.b.channelCount], [0, 0]);
  assertClean(p);
});

test('global requests: tcpip-forward port 0 returns the bound port, replies stay in order', async () => {
  const p = connectionPair({
    b: {
      handler: {
        async onGlobalRequest(req) {
          if (req.kind === 'tcpip-forward') {
            await new Promise((r) => setTimeout(r, 20));
            return { ok: true, port: req.port === 0 ? 43210 : req.port };
          }
          return req.kind === 'cancel-tcpip-forward';
        },
      },
    },
  });
  const keepalive = { kind: 'unknown', name: 'keepalive@openssh.com', data: new Uint8Array(0) } as const;
  const [any, fixed, cancel, ka, none] = await Promise.all([
    p.a.globalRequest({ kind: 'tcpip-forward', address: 'localhost', port: 0 }, true),
    p.a.globalRequest({ kind: 'tcpip-forward', address: 'localhost', port: 8022 }, true),
    p.a.globalRequest({ kind: 'cancel-tcpip-forward', address: 'localhost', port: 8022 }, true),
    p.a.globalRequest(keepalive, true),
    p.a.globalRequest(keepalive, false),
  ]);
  assert.deepEqual(any, { ok: true, data: Uint8Array.of(0, 0, 0xa8, 0xca), port: 43210 });
  assert.deepEqual(fixed, { ok: true, data: new Uint8Array(0) }); // RFC 4254 §7.1: no port unless 0 was asked
  assert.deepEqual(cancel, { ok: true, data: new Uint8Array(0) });
  assert.deepEqual(ka, { ok: false });
  assert.deepEqual(none, { ok: true });
  assert.deepEqual(await p.b.globalRequest(keepalive, true), { ok: false }); // a has no handler
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
