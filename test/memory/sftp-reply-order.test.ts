// The server's replies leave in request order even when the work behind them finishes out of order, as OpenSSH's
// sftp-server answers: OpenSSH's scp, writing a download in place, truncates the file at the first reply that
// arrives out of order. Held replies still count as in flight, so memory stays bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FX, FXF } from '@tssh/ssh-protocol/sftp';
import { MemoryFs } from '../helpers/sftp-memory-fs.js';
import { SftpDriver, as } from '../helpers/sftp-driver.js';

test('reads finishing in random order are answered in the order they were asked', async () => {
  const fs = new MemoryFs({ hook: (op) => (op === 'read' ? new Promise((r) => setTimeout(r, Math.random() * 15)) : undefined) });
  fs.mkdirp('/home/alice');
  const content = new Uint8Array(64 * 1024).map((_, i) => i % 251);
  fs.writeFile('/home/alice/f', content);
  const d = new SftpDriver({ fs, home: '/home/alice' });
  await d.init();
  const h = await d.handle({ kind: 'open', path: 'f', pflags: FXF.READ, attrs: {} });
  const ids: number[] = [];
  for (let i = 0; i < 60; i++) ids.push(d.post({ kind: 'read', handle: h, offset: (i % 64) * 1024, length: 1024 }));
  const badId = d.post({ kind: 'stat', path: 'no-such-file' });
  const replies = await Promise.all([...ids, badId].map((id) => d.wait(id)));
  const sent = d.responses.flatMap((r) => (r.kind === 'version' ? [] : [r.id]));
  assert.deepEqual(sent.slice(-61), [...ids, badId]);
  replies.slice(0, 60).forEach((r, i) => assert.deepEqual(as(r, 'data').data, content.subarray((i % 64) * 1024, (i % 64 + 1) * 1024)));
  assert.equal(as(replies[60], 'status').code, FX.NO_SUCH_FILE);
});

test('a slow first request holds the replies after it, and they keep counting against the in-flight cap', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let first = true;
  const fs = new MemoryFs({
    hook: (op) => {
      if (op !== 'read' || !first) return undefined;
      first = false;
      return held;
    },
  });
  fs.mkdirp('/home/alice');
  fs.writeFile('/home/alice/f', new Uint8Array(4096));
  const d = new SftpDriver({ fs, home: '/home/alice', limits: { maxInFlight: 8 } });
  await d.init();
  const h = await d.handle({ kind: 'open', path: 'f', pflags: FXF.READ, attrs: {} });
  const ids: number[] = [];
  for (let i = 0; i < 20; i++) ids.push(d.post({ kind: 'read', handle: h, offset: 0, length: 16 }));
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(d.responses.filter((r) => r.kind === 'data').length, 0, 'nothing overtakes the first reply');
  assert.equal(d.server.requestsInFlight, 8, 'held replies keep their places in flight');
  assert.equal(d.server.paused, true);
  release();
  await Promise.all(ids.map((id) => d.wait(id)));
  assert.deepEqual(d.responses.filter((r) => r.kind === 'data').map((r) => (r.kind === 'data' ? r.id : -1)), ids);
  assert.equal(d.server.requestsInFlight, 0);
});
