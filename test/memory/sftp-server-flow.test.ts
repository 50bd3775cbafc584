// The sans-IO SFTP server under load, over an in-memory file system: requests served concurrently with bounded
// memory, §6.1 ordering, a CLOSE after reads, output backpressure, and the end of a session (end, destroy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setImmediate as turn } from 'node:timers/promises';
import { FX, FXF, encodeRequest } from '@tssh/ssh-protocol/sftp';
import { utf8 } from '@tssh/ssh-protocol/wire';
import { MemoryFs } from '../helpers/sftp-memory-fs.js';
import { SftpDriver, as, expectStatus } from '../helpers/sftp-driver.js';
import { gate, started } from '../helpers/sftp-server-tools.js';

const W = FXF.WRITE | FXF.CREAT | FXF.TRUNC;

test('1000 pipelined reads: at most 64 in flight, input paused then resumed, every one answered', async () => {
  const g = gate();
  const fs = new MemoryFs({ hook: (op) => (op === 'read' ? g.hook() : undefined) });
  const { d } = await started(fs);
  const content = randomBytes(64 * 1024);
  fs.writeFile('/home/alice/f', content);
  const h = await d.handle({ kind: 'open', path: 'f', pflags: FXF.READ, attrs: {} });
  const ids: number[] = [];
  let accepted = true;
  for (let i = 0; i < 1000; i++) {
    const id = (1 << 20) + i;
    ids.push(id);
    accepted = d.raw(encodeRequest({ kind: 'read', id, handle: h, offset: (i % 64) * 1024, length: 1024 })) && accepted;
  }
  await turn();
  assert.equal(accepted, false, 'receive() reported the pause');
  assert.equal(d.server.paused, true);
  assert.equal(d.server.requestsInFlight, 64);
  assert.equal(g.active, 64, 'reads run concurrently, up to the cap');
  g.release();
  const replies = await Promise.all(ids.map((id) => d.wait(id)));
  for (const [i, r] of replies.entries()) {
    assert.deepEqual(Buffer.from(as(r, 'data').data), content.subarray((i % 64) * 1024, (i % 64) * 1024 + 1024));
  }
  assert.equal(g.max, 64);
  assert.equal(d.server.paused, false);
  assert.ok(d.resumedCount >= 1);
});

test('big writes are bounded by bytes in flight, not only by count', async () => {
  const g = gate();
  const fs = new MemoryFs({ hook: (op) => (op === 'write' ? g.hook() : undefined) });
  const { d } = await started(fs, { limits: { maxInFlightBytes: 1024 * 1024 } });
  const h = await d.handle({ kind: 'open', path: 'f', pflags: W, attrs: {} });
  const chunk = randomBytes(200 * 1024);
  const ids = [];
  for (let i = 0; i < 40; i++) ids.push(d.post({ kind: 'write', handle: h, offset: i * chunk.length, data: chunk }));
  await turn();
  assert.ok(d.server.requestsInFlight <= 6, `${d.server.requestsInFlight} writes in flight`);
  g.release();
  for (const id of ids) expectStatus(await d.wait(id), FX.OK);
  assert.equal(fs.readFile('/home/alice/f').length, 40 * chunk.length);
});

test('§6.1: an overlapping read waits for the write before it; a disjoint read runs, its reply kept in order', async () => {
  const g = gate();
  const order: string[] = [];
  const fs = new MemoryFs({
    hook: async (op) => {
      if (op === 'write') await g.hook();
      if (op === 'read' || op === 'write') order.push(op);
    },
  });
  const { d } = await started(fs);
  fs.writeFile('/home/alice/f', new Uint8Array(4096));
  const h = await d.handle({ kind: 'open', path: 'f', pflags: FXF.READ | FXF.WRITE, attrs: {} });
  const w = d.post({ kind: 'write', handle: h, offset: 0, data: new Uint8Array(1024).fill(9) });
  const overlapping = d.post({ kind: 'read', handle: h, offset: 512, length: 1024 });
  const disjoint = d.post({ kind: 'read', handle: h, offset: 2048, length: 1024 });
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(order, ['read'], 'the disjoint read ran while the write waits');
  // Replies leave in request order (as OpenSSH's sftp-server sends them): the read's waits for the write's.
  assert.equal(d.responses.some((r) => r.kind !== 'version' && (r.id === overlapping || r.id === disjoint)), false);
  g.release();
  expectStatus(await d.wait(w), FX.OK);
  assert.deepEqual(as(await d.wait(disjoint), 'data').data, new Uint8Array(1024));
  assert.deepEqual(d.responses.slice(-3).map((r) => (r.kind === 'version' ? -1 : r.id)), [w, overlapping, disjoint]);
  const r = as(await d.wait(overlapping), 'data').data;
  assert.deepEqual(r.subarray(0, 512), new Uint8Array(512).fill(9));
  assert.deepEqual(order, ['read', 'write', 'read']);
});

test('a CLOSE waits for the reads sent before it, and later requests find the handle gone', async () => {
  const g = gate();
  const fs = new MemoryFs({ hook: (op) => (op === 'read' ? g.hook() : undefined) });
  const { d } = await started(fs);
  fs.writeFile('/home/alice/f', 'data');
  const h = await d.handle({ kind: 'open', path: 'f', pflags: FXF.READ, attrs: {} });
  const r = d.post({ kind: 'read', handle: h, offset: 0, length: 4 });
  const c = d.post({ kind: 'close', handle: h });
  const late = d.post({ kind: 'fstat', handle: h });
  await turn();
  assert.equal(fs.openCount, 1);
  g.release();
  assert.equal(Buffer.from(as(await d.wait(r), 'data').data).toString(), 'data');
  expectStatus(await d.wait(c), FX.OK);
  expectStatus(await d.wait(late), FX.FAILURE, 'Invalid handle');
});

test('output backpressure: send() false holds new work until outputDrained()', async () => {
  let full = false;
  const fs = new MemoryFs();
  fs.mkdirp('/home/alice');
  const d = new SftpDriver({ fs, home: '/home/alice', send: () => !full });
  await d.init();
  full = true;
  const a = d.post({ kind: 'stat', path: '/' });
  await d.wait(a); // its reply went out, and send() said "full"
  assert.equal(d.server.paused, true);
  const b = d.post({ kind: 'stat', path: '/' });
  await turn();
  assert.equal(d.responses.length, 2);
  full = false;
  d.server.outputDrained();
  as(await d.wait(b), 'attrs');
});

test('end(): requests already received are answered, then handles close and the session ends', async () => {
  const g = gate();
  const fs = new MemoryFs({ hook: (op) => (op === 'write' ? g.hook() : undefined) });
  const { d } = await started(fs);
  const h = await d.handle({ kind: 'open', path: 'f', pflags: W, attrs: {} });
  const w = d.post({ kind: 'write', handle: h, offset: 0, data: utf8('last words') });
  d.server.end();
  await turn();
  assert.equal(fs.openCount, 1);
  g.release();
  expectStatus(await d.wait(w), FX.OK);
  assert.equal(await d.closed, undefined);
  await d.server.finished;
  assert.equal(fs.openCount, 0);
  assert.equal(Buffer.from(fs.readFile('/home/alice/f')).toString(), 'last words');
});

test('destroy(): nothing more is sent or done, and handles close once running requests return', async () => {
  const g = gate();
  const fs = new MemoryFs({ hook: (op) => (op === 'read' ? g.hook() : undefined) });
  const { d } = await started(fs);
  fs.writeFile('/home/alice/f', 'x');
  const h = await d.handle({ kind: 'open', path: 'f', pflags: FXF.READ | FXF.WRITE, attrs: {} });
  await d.handle({ kind: 'opendir', path: '.' });
  d.post({ kind: 'read', handle: h, offset: 0, length: 1 });
  d.post({ kind: 'write', handle: h, offset: 0, data: utf8('Y') }); // waits for the read (§6.1)
  const sent = d.responses.length;
  d.server.destroy();
  g.release();
  await d.server.finished;
  assert.equal(d.responses.length, sent);
  assert.equal(fs.openCount, 0);
  assert.equal(Buffer.from(fs.readFile('/home/alice/f')).toString(), 'x', 'the waiting write was dropped');
});
