// Two connection layers joined in memory: sessions and their requests (exec, exit-status and exit-signal, replies in
// order), EOF and CLOSE in every order, events held until someone listens, open refusals, global requests.
// Data flow, windows, protocol violations and destroy(): connection-flow.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Channel,
  ChannelClosedError,
  ChannelOpenError,
  execRequest,
  type ChannelRequest,
} from '@tssh/ssh-protocol/connection';
import { ChannelOpenFailure, EXTENDED_DATA_STDERR, MSG, fromUtf8, utf8 } from '@tssh/ssh-protocol/wire';
import { connectionPair } from '../helpers/connection-pair.js';
import { acceptAll, assertClean, collect, tick } from '../helpers/channel-traffic.js';

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
