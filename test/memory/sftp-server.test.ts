// The sans-IO SFTP server over an in-memory file system: every request, OpenSSH's extensions, errors and malformed
// input. Concurrency, ordering, backpressure and the end of a session: sftp-server-flow.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  FX,
  FXF,
  decodeLimitsReply,
  decodeStatVfsReply,
  decodeUsersGroupsReply,
  encodeRequest,
  type ExtendedRequest,
} from '@tssh/ssh-protocol/sftp';
import { fromHex, utf8 } from '@tssh/ssh-protocol/wire';
import { MemoryFs } from '../helpers/sftp-memory-fs.js';
import { SftpDriver, as, expectStatus } from '../helpers/sftp-driver.js';
import { recordingLog, started } from '../helpers/sftp-server-tools.js';

const W = FXF.WRITE | FXF.CREAT | FXF.TRUNC;

test('VERSION 3 advertises OpenSSH extensions with their versions', async () => {
  const d = new SftpDriver({ fs: new MemoryFs() });
  const v = await d.init();
  assert.equal(v.version, 3);
  assert.deepEqual(v.extensions, [
    { name: 'posix-rename@openssh.com', data: '1' },
    { name: 'statvfs@openssh.com', data: '2' },
    { name: 'fstatvfs@openssh.com', data: '2' },
    { name: 'hardlink@openssh.com', data: '1' },
    { name: 'fsync@openssh.com', data: '1' },
    { name: 'lsetstat@openssh.com', data: '1' },
    { name: 'limits@openssh.com', data: '1' },
    { name: 'expand-path@openssh.com', data: '1' },
    { name: 'copy-data', data: '1' },
    { name: 'home-directory', data: '1' },
    { name: 'users-groups-by-id@openssh.com', data: '1' },
  ]);
});

test('a file system without optional methods is not advertised their extensions', async () => {
  const fs = new MemoryFs();
  const bare = Object.create(fs) as MemoryFs & Record<string, unknown>;
  for (const m of ['posixRename', 'link', 'lsetstat', 'statvfs']) bare[m] = undefined;
  const d = new SftpDriver({ fs: bare });
  const names = (await d.init()).extensions.map((e) => e.name);
  assert.deepEqual(names, ['fsync@openssh.com', 'limits@openssh.com', 'expand-path@openssh.com', 'copy-data', 'home-directory', 'users-groups-by-id@openssh.com']);
  expectStatus(await d.request({ kind: 'extended', request: { kind: 'posix-rename@openssh.com', oldPath: 'a', newPath: 'b' } }), FX.OP_UNSUPPORTED);
});

test('write, read back, EOF, fstat, fsetstat and close', async () => {
  const { d, fs } = await started();
  const data = randomBytes(100_000);
  const h = await d.handle({ kind: 'open', path: 'f.bin', pflags: W, attrs: { permissions: 0o600 } });
  for (let off = 0; off < data.length; off += 32768) {
    await d.ok({ kind: 'write', handle: h, offset: off, data: data.subarray(off, off + 32768) });
  }
  await d.ok({ kind: 'close', handle: h });
  assert.deepEqual(Buffer.from(fs.readFile('/home/alice/f.bin')), data);

  const r = await d.handle({ kind: 'open', path: '/home/alice/f.bin', pflags: FXF.READ, attrs: {} });
  const first = as(await d.request({ kind: 'read', handle: r, offset: 0, length: 65536 }), 'data');
  assert.deepEqual(Buffer.from(first.data), data.subarray(0, 65536));
  const tail = as(await d.request({ kind: 'read', handle: r, offset: 65536, length: 65536 }), 'data');
  assert.equal(tail.data.length, data.length - 65536); // short at the end of the file
  expectStatus(await d.request({ kind: 'read', handle: r, offset: data.length, length: 10 }), FX.EOF, 'End of file');
  const st = as(await d.request({ kind: 'fstat', handle: r }), 'attrs').attrs;
  assert.equal(st.size, data.length);
  assert.equal(st.permissions, 0o100600);
  assert.deepEqual(st.owner, { uid: 1000, gid: 1000 });
  expectStatus(await d.request({ kind: 'write', handle: r, offset: 0, data: utf8('x') }), FX.PERMISSION_DENIED);
  await d.ok({ kind: 'fsetstat', handle: r, attrs: { size: 10, times: { atime: 5, mtime: 6 } } });
  const after = as(await d.request({ kind: 'stat', path: 'f.bin' }), 'attrs').attrs;
  assert.equal(after.size, 10);
  assert.deepEqual(after.times, { atime: 5, mtime: 6 });
  await d.ok({ kind: 'close', handle: r });
  expectStatus(await d.request({ kind: 'close', handle: r }), FX.FAILURE, 'Invalid handle');
  assert.equal(fs.openCount, 0);
});

test('a READ longer than maxReadLength gets a shorter DATA', async () => {
  const { d, fs } = await started(new MemoryFs(), { limits: { maxReadLength: 1000 } });
  fs.writeFile('/home/alice/big', new Uint8Array(5000));
  const h = await d.handle({ kind: 'open', path: 'big', pflags: FXF.READ, attrs: {} });
  assert.equal(as(await d.request({ kind: 'read', handle: h, offset: 0, length: 4000 }), 'data').data.length, 1000);
});

test('open flags: EXCL refuses an existing file, APPEND writes at the end, no CREAT needs the file', async () => {
  const { d, fs } = await started();
  fs.writeFile('/home/alice/a', 'abc');
  expectStatus(await d.request({ kind: 'open', path: 'a', pflags: FXF.WRITE | FXF.CREAT | FXF.EXCL, attrs: {} }), FX.FAILURE);
  expectStatus(await d.request({ kind: 'open', path: 'nope', pflags: FXF.READ, attrs: {} }), FX.NO_SUCH_FILE, 'No such file');
  const h = await d.handle({ kind: 'open', path: 'a', pflags: FXF.WRITE | FXF.APPEND, attrs: {} });
  await d.ok({ kind: 'write', handle: h, offset: 0, data: utf8('de') });
  await d.ok({ kind: 'write', handle: h, offset: 0, data: utf8('f') });
  await d.ok({ kind: 'close', handle: h });
  assert.equal(Buffer.from(fs.readFile('/home/alice/a')).toString(), 'abcdef');
});

test('directories: mkdir, READDIR in batches with ls -l long names, EOF, rmdir', async () => {
  const { d, fs } = await started();
  await d.ok({ kind: 'mkdir', path: 'd', attrs: { permissions: 0o750 } });
  for (let i = 0; i < 250; i++) fs.writeFile(`/home/alice/d/f${i}`, 'x'.repeat(i));
  expectStatus(await d.request({ kind: 'rmdir', path: 'd' }), FX.FAILURE); // not empty
  const h = await d.handle({ kind: 'opendir', path: 'd' });
  const counts: number[] = [];
  const seen = new Map<string, string>();
  for (;;) {
    const r = await d.request({ kind: 'readdir', handle: h });
    if (r.kind === 'status') {
      expectStatus(r, FX.EOF);
      break;
    }
    const names = as(r, 'name').names;
    counts.push(names.length);
    for (const n of names) seen.set(n.filename, n.longname);
  }
  assert.deepEqual(counts, [100, 100, 50]);
  assert.match(seen.get('f12')!, /^-rw-r--r-- {4}1 alice {4}staff {10}12 \w{3} [ \d]\d \d\d:\d\d f12$/);
  expectStatus(await d.request({ kind: 'read', handle: h, offset: 0, length: 1 }), FX.FAILURE, 'Invalid handle');
  await d.ok({ kind: 'close', handle: h });
  for (let i = 0; i < 250; i++) await d.ok({ kind: 'remove', path: `d/f${i}` });
  expectStatus(await d.request({ kind: 'remove', path: 'd' }), FX.FAILURE); // a directory
  await d.ok({ kind: 'rmdir', path: 'd' });
  expectStatus(await d.request({ kind: 'rmdir', path: 'd' }), FX.NO_SUCH_FILE);
  expectStatus(await d.request({ kind: 'opendir', path: 'd' }), FX.NO_SUCH_FILE);
});

test('names: rename refuses to replace, posix-rename replaces, symlink in OpenSSH order, readlink, hardlink', async () => {
  const { d, fs } = await started();
  fs.writeFile('/home/alice/a', 'A');
  fs.writeFile('/home/alice/b', 'B');
  expectStatus(await d.request({ kind: 'rename', oldPath: 'a', newPath: 'b' }), FX.FAILURE);
  await d.ok({ kind: 'rename', oldPath: 'a', newPath: 'c' });
  await d.ok({ kind: 'extended', request: { kind: 'posix-rename@openssh.com', oldPath: 'c', newPath: 'b' } });
  assert.equal(Buffer.from(fs.readFile('/home/alice/b')).toString(), 'A');
  await d.ok({ kind: 'symlink', target: 'b', link: 'l' });
  assert.deepEqual(as(await d.request({ kind: 'readlink', path: 'l' }), 'name').names, [{ filename: 'b', longname: 'b', attrs: {} }]);
  assert.equal(as(await d.request({ kind: 'lstat', path: 'l' }), 'attrs').attrs.permissions, 0o120777);
  assert.equal(as(await d.request({ kind: 'stat', path: 'l' }), 'attrs').attrs.permissions, 0o100644);
  await d.ok({ kind: 'extended', request: { kind: 'hardlink@openssh.com', oldPath: 'b', newPath: 'h' } });
  assert.equal(as(await d.request({ kind: 'lstat', path: 'h' }), 'attrs').attrs.size, 1);
  expectStatus(await d.request({ kind: 'readlink', path: 'h' }), FX.BAD_MESSAGE); // EINVAL: not a link
});

test('REALPATH: "" is home, ".." climbs but never above "/", only the last component may be missing', async () => {
  const { d } = await started();
  const real = async (path: string): Promise<string> => as(await d.request({ kind: 'realpath', path }), 'name').names[0].filename;
  assert.equal(await real(''), '/home/alice');
  assert.equal(await real('.'), '/home/alice');
  assert.equal(await real('..'), '/home');
  assert.equal(await real('../../../..'), '/');
  assert.equal(await real('missing'), '/home/alice/missing');
  expectStatus(await d.request({ kind: 'realpath', path: 'missing/x' }), FX.NO_SUCH_FILE);
});

test('setstat and lsetstat change permissions, times and size', async () => {
  const { d, fs } = await started();
  fs.writeFile('/home/alice/f', 'hello');
  await d.ok({ kind: 'setstat', path: 'f', attrs: { permissions: 0o640, times: { atime: 100, mtime: 200 }, size: 2 } });
  const a = as(await d.request({ kind: 'stat', path: 'f' }), 'attrs').attrs;
  assert.deepEqual([a.permissions, a.times, a.size], [0o100640, { atime: 100, mtime: 200 }, 2]);
  await d.ok({ kind: 'symlink', target: 'f', link: 'l' });
  await d.ok({ kind: 'extended', request: { kind: 'lsetstat@openssh.com', path: 'l', attrs: { times: { atime: 1, mtime: 2 } } } });
  assert.deepEqual(as(await d.request({ kind: 'lstat', path: 'l' }), 'attrs').attrs.times, { atime: 1, mtime: 2 });
  assert.deepEqual(as(await d.request({ kind: 'stat', path: 'l' }), 'attrs').attrs.times, { atime: 100, mtime: 200 });
  expectStatus(await d.request({ kind: 'setstat', path: 'nope', attrs: { permissions: 0o600 } }), FX.NO_SUCH_FILE);
});

test('extensions: statvfs, fstatvfs, fsync, limits, expand-path, home-directory, users-groups-by-id, copy-data', async () => {
  const { d, fs } = await started(new MemoryFs(), { limits: { maxOpenHandles: 100 } });
  const ext = (request: ExtendedRequest) => d.request({ kind: 'extended', request });
  const sv = decodeStatVfsReply(as(await ext({ kind: 'statvfs@openssh.com', path: '/' }), 'extended-reply').data);
  assert.equal(sv.bavail, 500n);
  fs.writeFile('/home/alice/src', randomBytes(200_000));
  const src = await d.handle({ kind: 'open', path: 'src', pflags: FXF.READ, attrs: {} });
  const dst = await d.handle({ kind: 'open', path: 'dst', pflags: W, attrs: {} });
  assert.equal(decodeStatVfsReply(as(await ext({ kind: 'fstatvfs@openssh.com', handle: src }), 'extended-reply').data).fsid, 7n);
  expectStatus(await ext({ kind: 'fsync@openssh.com', handle: dst }), FX.OK);
  const lim = decodeLimitsReply(as(await ext({ kind: 'limits@openssh.com' }), 'extended-reply').data);
  assert.deepEqual(lim, { maxPacketLength: 262144, maxReadLength: 261120, maxWriteLength: 261120, maxOpenHandles: 100 });
  const name = async (request: ExtendedRequest) => as(await ext(request), 'name').names[0].filename;
  fs.mkdirp('/home/alice/sub');
  assert.equal(await name({ kind: 'expand-path@openssh.com', path: '~' }), '/home/alice');
  assert.equal(await name({ kind: 'expand-path@openssh.com', path: '~/sub' }), '/home/alice/sub');
  assert.equal(await name({ kind: 'expand-path@openssh.com', path: '~alice/sub/..' }), '/home/alice');
  assert.equal(await name({ kind: 'expand-path@openssh.com', path: 'sub' }), '/home/alice/sub');
  expectStatus(await ext({ kind: 'expand-path@openssh.com', path: '~nobody/x' }), FX.FAILURE, 'No such user');
  assert.equal(await name({ kind: 'home-directory', username: '' }), '/home/alice');
  assert.equal(await name({ kind: 'home-directory', username: 'alice' }), '/home/alice');
  expectStatus(await ext({ kind: 'home-directory', username: 'mallory' }), FX.FAILURE);
  const ug = decodeUsersGroupsReply(as(await ext({ kind: 'users-groups-by-id@openssh.com', uids: [1000, 4242], gids: [1000] }), 'extended-reply').data);
  assert.deepEqual(ug, { users: ['alice', ''], groups: ['staff'] });

  await d.ok({ kind: 'extended', request: { kind: 'copy-data', readHandle: src, readOffset: 0, length: 0, writeHandle: dst, writeOffset: 0 } });
  await d.ok({ kind: 'extended', request: { kind: 'copy-data', readHandle: src, readOffset: 10, length: 5, writeHandle: dst, writeOffset: 200_000 } });
  const copied = fs.readFile('/home/alice/dst');
  assert.equal(copied.length, 200_005);
  assert.deepEqual(Buffer.from(copied.subarray(0, 200_000)), Buffer.from(fs.readFile('/home/alice/src')));
  assert.deepEqual(Buffer.from(copied.subarray(200_000)), Buffer.from(fs.readFile('/home/alice/src').subarray(10, 15)));
  const same = { kind: 'copy-data', readHandle: src, readOffset: 0, length: 0, writeHandle: src, writeOffset: 0 } as const;
  expectStatus(await ext(same), FX.FAILURE);
  const wrongWay = { kind: 'copy-data', readHandle: dst, readOffset: 0, length: 0, writeHandle: src, writeOffset: 0 } as const;
  expectStatus(await ext(wrongWay), FX.PERMISSION_DENIED);
  expectStatus(await ext({ kind: 'unknown', name: 'nonsense@example.com', data: fromHex('00') }), FX.OP_UNSUPPORTED);
});

test('unknown and forged handles are refused with FAILURE "Invalid handle"', async () => {
  const { d } = await started();
  for (const handle of [utf8('1'), utf8('999'), new Uint8Array(300), new Uint8Array(0)]) {
    expectStatus(await d.request({ kind: 'read', handle, offset: 0, length: 10 }), FX.FAILURE, 'Invalid handle');
    expectStatus(await d.request({ kind: 'fstat', handle }), FX.FAILURE, 'Invalid handle');
    expectStatus(await d.request({ kind: 'readdir', handle }), FX.FAILURE, 'Invalid handle');
    expectStatus(await d.request({ kind: 'extended', request: { kind: 'fsync@openssh.com', handle } }), FX.FAILURE, 'Invalid handle');
  }
});

test('open handles are bounded', async () => {
  const { d, fs } = await started(new MemoryFs(), { limits: { maxOpenHandles: 4 } });
  fs.writeFile('/home/alice/f', 'x');
  const hs = [];
  for (let i = 0; i < 4; i++) hs.push(await d.handle({ kind: 'open', path: 'f', pflags: FXF.READ, attrs: {} }));
  expectStatus(await d.request({ kind: 'open', path: 'f', pflags: FXF.READ, attrs: {} }), FX.FAILURE, 'Too many open handles');
  expectStatus(await d.request({ kind: 'opendir', path: '.' }), FX.FAILURE, 'Too many open handles');
  await d.ok({ kind: 'close', handle: hs[0] });
  await d.handle({ kind: 'opendir', path: '.' });
  assert.notDeepEqual(hs[1], hs[0]);
});

test('malformed requests with a readable id get BAD_MESSAGE, unknown types OP_UNSUPPORTED; the session goes on', async () => {
  const log = recordingLog();
  const { d } = await started(new MemoryFs(), { log });
  const packet = (hex: string): Uint8Array => {
    const body = fromHex(hex);
    return Uint8Array.of(0, 0, body.length >> 8, body.length & 0xff, ...body);
  };
  d.raw(packet('11 00000007 0000000a 2f')); // STAT with a truncated path
  expectStatus(await d.wait(7), FX.BAD_MESSAGE, 'Bad message');
  d.raw(packet('11 00000008 00000001 2f 00')); // STAT with a trailing byte
  expectStatus(await d.wait(8), FX.BAD_MESSAGE);
  d.raw(packet('09 00000009 00000001 2f 00000010')); // SETSTAT with unknown ATTRS bits
  expectStatus(await d.wait(9), FX.BAD_MESSAGE);
  d.raw(packet('c8 0000000a')); // EXTENDED without a name
  expectStatus(await d.wait(10), FX.BAD_MESSAGE);
  d.raw(packet('77 0000000b'));
  expectStatus(await d.wait(11), FX.OP_UNSUPPORTED);
  d.raw(packet('65 0000000c 00000000')); // a response type from the client
  expectStatus(await d.wait(12), FX.OP_UNSUPPORTED);
  d.raw(encodeRequest({ kind: 'stat', id: 13, path: '/' }));
  as(await d.wait(13), 'attrs');
  assert.ok(log.lines.some((l) => /bad message type 17 id 7/.test(l)));
});

for (const [label, bytes, pattern] of [
  ['no room for an id', '00000002 0300', /too short for a request id/],
  ['a length over 256 KiB', '00040001 11', /exceeds the maximum of 262144/],
  ['a second INIT', '00000005 01 00000003', /INIT received twice/],
  ['a zero length', '00000000', /length 0/],
] as const) {
  test(`fatal input (${label}) closes the session with a log line, never a crash`, async () => {
    const log = recordingLog();
    const { d, fs } = await started(new MemoryFs(), { log });
    fs.writeFile('/home/alice/f', 'x');
    await d.handle({ kind: 'open', path: 'f', pflags: FXF.READ, attrs: {} });
    const before = d.responses.length;
    d.raw(fromHex(bytes));
    const err = await d.closed;
    assert.match(String(err?.message), pattern);
    assert.ok(log.lines.some((l) => l.startsWith('error ') && pattern.test(l)), log.lines.join('\n'));
    d.raw(encodeRequest({ kind: 'stat', id: 99, path: '/' }));
    await d.server.finished;
    assert.equal(d.responses.length, before);
    assert.equal(fs.openCount, 0);
  });
}

test('anything before INIT ends the session', async () => {
  const d = new SftpDriver({ fs: new MemoryFs(), log: recordingLog() });
  d.raw(encodeRequest({ kind: 'stat', id: 1, path: '/' }));
  assert.match(String((await d.closed)?.message), /expected INIT, got packet type 17/);
  assert.equal(d.responses.length, 0);
});

test('a file system that throws something odd gives FAILURE and an error log line', async () => {
  const log = recordingLog();
  const fs = new MemoryFs();
  fs.stat = async () => {
    throw new TypeError('boom');
  };
  const { d } = await started(fs, { log });
  expectStatus(await d.request({ kind: 'stat', path: 'x' }), FX.FAILURE, 'Failure');
  assert.ok(log.lines.some((l) => /^error sftp: stat \(id \d+\) failed: boom/.test(l)));
  expectStatus(await d.request({ kind: 'lstat', path: 'x' }), FX.NO_SUCH_FILE);
});
