// serveSftp() on a session channel between two in-memory connections: the subsystem end to end, the peer held
// by the channel window while the server is paused, and the exit-status, EOF and CLOSE that end the session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setImmediate as turn } from 'node:timers/promises';
import type { Channel, IncomingChannelOpen } from '@tssh/ssh-protocol/connection';
import { serveSftp, type ServeSftpOptions } from '@tssh/ssh-protocol/node';
import {
  FX,
  FXF,
  SftpFramer,
  decodeResponse,
  encodeRequest,
  type SftpIdRequest,
  type SftpResponse,
} from '@tssh/ssh-protocol/sftp';
import { utf8 } from '@tssh/ssh-protocol/wire';
import { connectionPair } from '../helpers/connection-pair.js';
import { testEnv } from '../helpers/env.js';
import { tempDir } from '../helpers/processes.js';
import { MemoryFs } from '../helpers/sftp-memory-fs.js';
import { as, expectStatus, type WithoutId } from '../helpers/sftp-driver.js';

const closeOf = (c: Channel): Promise<void> => new Promise((r) => c.on('close', () => r()));

/** A client on one side, serveSftp() behind `subsystem sftp` on the other. */
async function sftpPair(o: Omit<ServeSftpOptions, 'log'>, windowSize?: number, clientWindowSize?: number) {
  let served!: Promise<void>;
  let theirs!: Channel;
  const p = connectionPair({
    ...(clientWindowSize === undefined ? {} : { a: { windowSize: clientWindowSize } }),
    b: {
      ...(windowSize === undefined ? {} : { windowSize }),
      handler: {
        onChannelOpen: (open: IncomingChannelOpen) => {
          theirs = open.accept();
          theirs.onRequest = (req) => {
            if (req.kind !== 'subsystem' || req.name !== 'sftp') return false;
            served = serveSftp(theirs, { ...o, log: testEnv().log });
            return true;
          };
          return theirs;
        },
      },
    },
  });
  const mine = await p.a.openSession();
  assert.equal(await mine.request({ kind: 'subsystem', name: 'sftp' }, true), true);
  const framer = new SftpFramer();
  const responses = new Map<number, SftpResponse>();
  const waiters = new Map<number, (r: SftpResponse) => void>();
  mine.on('data', (d) => {
    framer.push(d);
    for (let x = framer.next(); x; x = framer.next()) {
      const r = decodeResponse(x);
      const id = r.kind === 'version' ? -1 : r.id;
      responses.set(id, r);
      waiters.get(id)?.(r);
    }
  });
  const wait = (id: number): Promise<SftpResponse> =>
    responses.has(id) ? Promise.resolve(responses.get(id)!) : new Promise((r) => waiters.set(id, r));
  let next = 1;
  const post = (m: WithoutId<SftpIdRequest>): number => {
    const id = next++;
    mine.write(encodeRequest({ ...m, id } as SftpIdRequest));
    return id;
  };
  mine.write(encodeRequest({ kind: 'init', version: 3, extensions: [] }));
  assert.equal(as(await wait(-1), 'version').version, 3);
  return { p, mine, theirs, served: () => served, wait, post, request: (m: WithoutId<SftpIdRequest>) => wait(post(m)) };
}

test('subsystem sftp on a channel: requests answered; client EOF ends it with exit-status 0 and CLOSE', async () => {
  const fs = new MemoryFs();
  fs.mkdirp('/home/alice');
  const s = await sftpPair({ fs, home: '/home/alice' });
  const h = as(await s.request({ kind: 'open', path: 'note', pflags: FXF.WRITE | FXF.CREAT, attrs: {} }), 'handle').handle;
  expectStatus(await s.request({ kind: 'write', handle: h, offset: 0, data: utf8('hello') }), FX.OK);
  assert.equal(as(await s.request({ kind: 'realpath', path: '.' }), 'name').names[0].filename, '/home/alice');
  const closed = closeOf(s.mine);
  s.mine.eof();
  await closed;
  await s.served();
  assert.equal(s.mine.exitStatus, 0);
  assert.equal(fs.openCount, 0, 'the open handle was closed at the end');
  assert.equal(Buffer.from(fs.readFile('/home/alice/note')).toString(), 'hello');
  assert.deepEqual(s.p.monitor.violations, []);
});

test('a paused server holds the peer by the window: the channel window runs dry, then everything is answered', async () => {
  let open = false;
  let active = 0;
  const waiting: Array<() => void> = [];
  const fs = new MemoryFs({
    hook: async (op) => {
      if (op !== 'write' || open) return;
      active++;
      await new Promise<void>((r) => waiting.push(r));
      active--;
    },
  });
  const s = await sftpPair({ fs, home: '/' }, 256 * 1024);
  const h = as(await s.request({ kind: 'open', path: 'f', pflags: FXF.WRITE | FXF.CREAT, attrs: {} }), 'handle').handle;
  const data = randomBytes(200 * 32768);
  const ids: number[] = [];
  for (let i = 0; i < 200; i++) {
    ids.push(s.post({ kind: 'write', handle: h, offset: i * 32768, data: data.subarray(i * 32768, (i + 1) * 32768) }));
  }
  for (let i = 0; i < 50 && s.theirs.localWindow > 0; i++) await turn();
  assert.equal(active, 64, 'requests in flight reached the cap');
  assert.equal(s.theirs.localWindow, 0, 'no credit given back while paused');
  assert.ok(s.mine.queuedBytes > 1024 * 1024, `the client is held back (${s.mine.queuedBytes} bytes queued)`);
  await turn();
  assert.equal(active, 64);
  open = true;
  for (const w of waiting.splice(0)) w();
  for (const id of ids) expectStatus(await s.wait(id), FX.OK);
  assert.deepEqual(Buffer.from(fs.readFile('/f')), data);
  assert.deepEqual(s.p.monitor.violations, []);
});

test('downloads held by a small client window: every DATA arrives whole and in order, and EOF right after the last READ still ends with exit-status 0 after them', async () => {
  const fs = new MemoryFs();
  const data = randomBytes(3 * 1024 * 1024 + 123);
  fs.writeFile('/big', data);
  const s = await sftpPair({ fs, home: '/' }, undefined, 40_000);
  const h = as(await s.request({ kind: 'open', path: 'big', pflags: FXF.READ, attrs: {} }), 'handle').handle;
  const step = 100_000;
  const ids: number[] = [];
  for (let off = 0; off < data.length + step; off += step) ids.push(s.post({ kind: 'read', handle: h, offset: off, length: step }));
  const closed = closeOf(s.mine);
  s.mine.eof();
  const got: Uint8Array[] = [];
  for (const id of ids) {
    const r = await s.wait(id);
    if (r.kind === 'status') expectStatus(r, FX.EOF);
    else got.push(as(r, 'data').data);
  }
  assert.deepEqual(Buffer.concat(got), data);
  await closed;
  await s.served();
  assert.equal(s.mine.exitStatus, 0);
  assert.deepEqual(s.p.monitor.violations, []);
});

test('a fatal protocol error closes the channel with exit-status 1', async () => {
  const s = await sftpPair({ fs: new MemoryFs(), home: '/' });
  const closed = closeOf(s.mine);
  s.mine.write(Uint8Array.of(0xff, 0xff, 0xff, 0xff));
  await closed;
  assert.equal(s.mine.exitStatus, 1);
});

test('under a root, a home that does not exist there becomes "/"', async () => {
  const dir = tempDir('tssh-sftp-root-');
  try {
    const s = await sftpPair({ root: dir.path, home: '/home/nobody' });
    assert.equal(as(await s.request({ kind: 'realpath', path: '' }), 'name').names[0].filename, '/');
    s.mine.eof();
    await s.served();
  } finally {
    dir.cleanup();
  }
});
