// Our SFTP client against our SFTP server in memory: every typed operation, the server's statuses as errors,
// pipelined downloads and uploads (many requests in flight, bounded memory, short reads, resuming), and the end
// of a session with requests outstanding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  FX,
  FXF,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  SftpExtensionMissingError,
  SftpSessionClosedError,
  SftpStatusError,
  SftpTransferError,
  TransferAbortedError,
  download,
  upload,
  type DownloadTarget,
  type UploadSource,
} from '@tssh/ssh-protocol/sftp';
import { clientPair } from '../helpers/sftp-client-pair.js';
import { MemoryFs } from '../helpers/sftp-memory-fs.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const W = FXF.WRITE | FXF.CREAT | FXF.TRUNC;

function status(code: number) {
  return (e: unknown): boolean => e instanceof SftpStatusError && e.code === code;
}

/** A local file in memory, with a count of bytes given to it and not yet written. */
function memoryTarget(size: number, delayMs = 0) {
  const buf = new Uint8Array(size);
  let pending = 0;
  const t = {
    buf,
    maxPending: 0,
    writes: 0,
    async write(offset: number, data: Uint8Array): Promise<void> {
      pending += data.length;
      t.maxPending = Math.max(t.maxPending, pending);
      t.writes++;
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      buf.set(data, offset);
      pending -= data.length;
    },
  } satisfies DownloadTarget & Record<string, unknown>;
  return t;
}

function memorySource(data: Uint8Array): UploadSource {
  return { read: async (offset, length) => data.subarray(offset, Math.min(data.length, offset + length)) };
}

test('VERSION: version 3 and the extensions the server advertises', async () => {
  const { client } = await clientPair();
  assert.equal(client.server.version, 3);
  assert.equal(client.server.extensions.get('posix-rename@openssh.com'), '1');
  assert.equal(client.supports('limits@openssh.com'), true);
  assert.equal(client.supports('statvfs@openssh.com', '2'), true);
  assert.equal(client.supports('statvfs@openssh.com', '1'), false);
  assert.equal(client.supports('no-such@example.com'), false);
});

test('files: open, write, read, fstat, fsetstat, close; EOF reads as undefined', async () => {
  const { client, fs } = await clientPair({ maxPiece: 7 });
  const h = await client.open('notes.txt', W, { permissions: 0o600 });
  await client.write(h, 0, text('hello '));
  await client.write(h, 6, text('world'));
  assert.equal((await client.fstat(h)).size, 11);
  await client.fsetstat(h, { times: { atime: 1_000_000, mtime: 2_000_000 } });
  await client.close(h);
  assert.equal(new TextDecoder().decode(fs.readFile('/home/alice/notes.txt')), 'hello world');

  const r = await client.open('/home/alice/notes.txt', FXF.READ);
  assert.deepEqual(await client.read(r, 6, 100), text('world'));
  assert.equal(await client.read(r, 11, 100), undefined);
  await client.close(r);
  const st = await client.stat('notes.txt');
  assert.equal(st.permissions! & 0o777, 0o600);
  assert.deepEqual(st.times, { atime: 1_000_000, mtime: 2_000_000 });
  await assert.rejects(client.close(r), status(FX.FAILURE));
});

test('names: stat, lstat, setstat, symlink, readlink, realpath, hardlink, rename, remove', async () => {
  const { client, fs } = await clientPair();
  fs.writeFile('/home/alice/a', 'A');
  fs.writeFile('/home/alice/b', 'B');
  await client.symlink('a', 'link-to-a');
  assert.equal(await client.readlink('link-to-a'), 'a');
  assert.equal((await client.lstat('link-to-a')).permissions! & S_IFMT, S_IFLNK);
  assert.equal((await client.stat('link-to-a')).size, 1);
  await client.setstat('a', { permissions: 0o640 });
  assert.equal((await client.stat('a')).permissions! & 0o777, 0o640);
  assert.equal(await client.realpath('.'), '/home/alice');
  assert.equal(await client.realpath('x/../a'), '/home/alice/a');

  await client.hardlink('a', 'a2');
  assert.equal(new TextDecoder().decode(fs.readFile('/home/alice/a2')), 'A');
  // RENAME proper refuses an existing target; posix-rename (the default when advertised) replaces it.
  await assert.rejects(client.rename('a', 'b', false), status(FX.FAILURE));
  await client.rename('a', 'b');
  assert.equal(new TextDecoder().decode(fs.readFile('/home/alice/b')), 'A');
  assert.equal(fs.exists('/home/alice/a'), false);
  await client.remove('b');
  await assert.rejects(client.remove('b'), status(FX.NO_SUCH_FILE));
  await assert.rejects(client.stat('missing'), status(FX.NO_SUCH_FILE));
});

test('directories: mkdir, opendir/readdir to the end, listDirectory, rmdir', async () => {
  const { client, fs } = await clientPair({ limits: { readdirBatch: 3 } });
  await client.mkdir('d', { permissions: 0o750 });
  for (let i = 0; i < 8; i++) fs.writeFile(`/home/alice/d/f${i}`, String(i));
  const st = await client.stat('d');
  assert.equal(st.permissions! & S_IFMT, S_IFDIR);
  const h = await client.opendir('d');
  const batches: number[] = [];
  for (let names = await client.readdir(h); names; names = await client.readdir(h)) batches.push(names.length);
  await client.close(h);
  assert.ok(batches.every((n) => n <= 3) && batches.length >= 3, String(batches));
  const names = (await client.listDirectory('d')).map((n) => n.filename).filter((n) => n.startsWith('f'));
  assert.deepEqual(names.sort(), ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7']);
  await assert.rejects(client.rmdir('d'), status(FX.FAILURE));
  for (let i = 0; i < 8; i++) await client.remove(`d/f${i}`);
  await client.rmdir('d');
  assert.equal(fs.exists('/home/alice/d'), false);
  assert.equal(fs.openCount, 0);
});

test('extensions: statvfs, fstatvfs, fsync, lsetstat, limits, expand-path, home-directory, copy-data', async () => {
  const { client, fs } = await clientPair();
  fs.writeFile('/home/alice/src', 'copy me please');
  assert.equal((await client.statvfs('/')).bavail, 500n);
  const h = await client.open('src', FXF.READ | FXF.WRITE);
  assert.equal((await client.fstatvfs(h)).namemax, 255n);
  await client.fsync(h);
  const out = await client.open('dst', W);
  await client.copyData(h, 5, 0, out, 0);
  await client.close(out);
  await client.close(h);
  assert.equal(new TextDecoder().decode(fs.readFile('/home/alice/dst')), 'me please');
  const l = await client.limits();
  assert.equal(l.maxPacketLength, 256 * 1024);
  assert.equal(l.maxOpenHandles, 512);
  assert.equal(await client.expandPath('~/x'), '/home/alice/x');
  assert.equal(await client.homeDirectory(), '/home/alice');
  await client.symlink('src', 'ln');
  await client.lsetstat('ln', { times: { atime: 5, mtime: 6 } });
  assert.equal((await client.lstat('ln')).times!.mtime, 6);
});

test('an extension the server did not advertise is refused without asking', async () => {
  const fs = new MemoryFs();
  Object.defineProperty(fs, 'posixRename', { value: undefined });
  Object.defineProperty(fs, 'link', { value: undefined });
  const { client } = await clientPair({ fs });
  fs.writeFile('/home/alice/a', 'A');
  fs.writeFile('/home/alice/b', 'B');
  assert.equal(client.supports('posix-rename@openssh.com'), false);
  await assert.rejects(client.rename('a', 'b', true), SftpExtensionMissingError);
  await assert.rejects(client.hardlink('a', 'c'), /does not support the hardlink@openssh.com extension/);
  // Without posix-rename the plain RENAME goes out, and refuses the existing target.
  await assert.rejects(client.rename('a', 'b'), status(FX.FAILURE));
  await client.rename('a', 'c');
  assert.equal(fs.exists('/home/alice/c'), true);
});

test('download: many READs in flight, content equal, memory bounded by requests x length', async () => {
  const pair = await clientPair({ maxPiece: 40_000 });
  const { client, fs } = pair;
  const data = randomBytes(3 * 1024 * 1024 + 12_345);
  fs.writeFile('/home/alice/big', data);
  const h = await client.open('big', FXF.READ);
  const size = (await client.fstat(h)).size!;
  const target = memoryTarget(size, 1);
  const progress: number[] = [];
  const end = await download(client, h, target, { length: 32768, requests: 16, size, onProgress: (n) => progress.push(n) });
  await client.close(h);
  assert.equal(end, data.length);
  assert.equal(sha(target.buf), sha(data));
  assert.ok(pair.maxServerInFlight >= 8, `only ${pair.maxServerInFlight} requests in flight at the server`);
  assert.ok(target.maxPending <= 16 * 32768, `target held ${target.maxPending} bytes`);
  assert.equal(progress.at(-1), data.length);
  assert.ok(progress.every((n, i) => i === 0 || n > progress[i - 1]));
});

test('download into a target taking pieces, upload from a source reading into the WRITE: content equal', async () => {
  const pair = await clientPair({ maxPiece: 5_000 });
  const { client, fs } = pair;
  const data = randomBytes(1024 * 1024 + 4321);
  fs.writeFile('/home/alice/big', data);
  const h = await client.open('big', FXF.READ);
  const buf = new Uint8Array(data.length);
  let pieces = 0;
  const target: DownloadTarget = {
    write: () => Promise.reject(new Error('write() with writeChunks() there')),
    async writeChunks(offset, chunks, length) {
      let at = offset;
      for (const c of chunks) {
        buf.set(c, at);
        at += c.length;
      }
      assert.equal(at - offset, length);
      pieces += chunks.length;
    },
  };
  assert.equal(await download(client, h, target, { length: 32768, requests: 8, size: data.length }), data.length);
  await client.close(h);
  assert.equal(sha(buf), sha(data));
  assert.ok(pieces > data.length / 32768, 'replies came in pieces');

  const source: UploadSource = {
    read: () => Promise.reject(new Error('read() with readInto() there')),
    async readInto(offset, into) {
      const n = Math.min(into.length, data.length - offset, 20_000); // short reads too
      into.set(data.subarray(offset, offset + n));
      return Math.max(0, n);
    },
    allocate: (n) => new Uint8Array(n).fill(0xee), // not zeroed: nothing past the bytes read may be sent
  };
  const u = await client.open('up', W);
  assert.equal(await upload(client, u, source, { length: 32768, requests: 8 }), data.length);
  await client.close(u);
  assert.equal(sha(fs.readFile('/home/alice/up')), sha(data));
});

test('download: short reads (a server capping READ) are asked again for the rest', async () => {
  const { client, fs } = await clientPair({ limits: { maxReadLength: 10_000 } });
  const data = randomBytes(200_003);
  fs.writeFile('/home/alice/f', data);
  const h = await client.open('f', FXF.READ);
  const target = memoryTarget(data.length);
  assert.equal(await download(client, h, target, { length: 32768, requests: 8, size: data.length }), data.length);
  assert.equal(sha(target.buf), sha(data));
});

test('download: resuming at an offset (reget), an empty file, a file larger than its size hint', async () => {
  const { client, fs } = await clientPair();
  const data = randomBytes(500_000);
  fs.writeFile('/home/alice/f', data);
  fs.writeFile('/home/alice/empty', '');

  const h = await client.open('f', FXF.READ);
  const target = memoryTarget(data.length);
  target.buf.set(data.subarray(0, 123_456));
  let moved = 0;
  const end = await download(client, h, target, { length: 32768, requests: 8, offset: 123_456, size: data.length, onProgress: (n) => (moved = n) });
  assert.equal(end, data.length);
  assert.equal(moved, data.length - 123_456);
  assert.equal(sha(target.buf), sha(data));

  const grown = memoryTarget(data.length);
  assert.equal(await download(client, h, grown, { length: 32768, requests: 8, size: 1000 }), data.length);
  assert.equal(sha(grown.buf), sha(data));
  const unknown = memoryTarget(data.length);
  assert.equal(await download(client, h, unknown, { length: 32768, requests: 8 }), data.length);
  assert.equal(sha(unknown.buf), sha(data));
  await client.close(h);

  const e = await client.open('empty', FXF.READ);
  const none = memoryTarget(0);
  assert.equal(await download(client, e, none, { length: 32768, requests: 8, size: 0 }), 0);
  assert.equal(none.writes, 0);
  await client.close(e);
});

test('download: a failing READ ends the transfer after every request settled, with the contiguous prefix', async () => {
  let reads = 0;
  const fs = new MemoryFs({
    hook: (op) => {
      if (op === 'read' && ++reads > 20) throw Object.assign(new Error('EIO'), { code: 'EIO' });
    },
  });
  const { client } = await clientPair({ fs });
  fs.writeFile('/home/alice/f', randomBytes(2 * 1024 * 1024));
  const h = await client.open('f', FXF.READ);
  const target = memoryTarget(2 * 1024 * 1024);
  const err = await download(client, h, target, { length: 32768, requests: 8, size: 2 * 1024 * 1024 }).then(
    () => assert.fail('download succeeded'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof SftpTransferError, String(err));
  assert.ok(err.cause instanceof SftpStatusError && err.cause.code === FX.FAILURE);
  assert.ok(err.contiguous > 0 && err.contiguous <= 20 * 32768 && err.contiguous % 32768 === 0, String(err.contiguous));
  assert.equal(client.inFlight, 0);
});

test('upload: many WRITEs in flight, content equal; resuming at the remote size (reput)', async () => {
  const pair = await clientPair({ maxPiece: 70_000 });
  const { client, fs } = pair;
  const data = randomBytes(2 * 1024 * 1024 + 777);
  const h = await client.open('up', W);
  const progress: number[] = [];
  assert.equal(await upload(client, h, memorySource(data), { length: 32768, requests: 16, onProgress: (n) => progress.push(n) }), data.length);
  await client.close(h);
  assert.equal(sha(fs.readFile('/home/alice/up')), sha(data));
  assert.ok(pair.maxServerInFlight >= 8, `only ${pair.maxServerInFlight} requests in flight at the server`);
  assert.equal(progress.at(-1), data.length);

  fs.writeFile('/home/alice/partial', data.subarray(0, 1_000_000));
  const p = await client.open('partial', FXF.WRITE);
  const start = (await client.fstat(p)).size!;
  assert.equal(await upload(client, p, memorySource(data), { length: 32768, requests: 8, offset: start }), data.length);
  await client.close(p);
  assert.equal(sha(fs.readFile('/home/alice/partial')), sha(data));

  const e = await client.open('empty', W);
  assert.equal(await upload(client, e, memorySource(new Uint8Array(0)), { length: 32768, requests: 8 }), 0);
  await client.close(e);
  assert.equal(fs.readFile('/home/alice/empty').length, 0);
});

test('upload: a refused WRITE fails the transfer once the rest settled', async () => {
  const { client } = await clientPair();
  const h = await client.open('ro', FXF.CREAT | FXF.READ);
  const err = await upload(client, h, memorySource(randomBytes(300_000)), { length: 32768, requests: 4 }).then(
    () => assert.fail('upload succeeded'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof SftpTransferError && err.cause instanceof SftpStatusError, String(err));
  assert.equal(err.contiguous, 0);
  assert.equal(client.inFlight, 0);
});

test('the session ends: requests outstanding fail with SftpSessionClosedError, later ones at once', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const fs = new MemoryFs({ hook: (op) => (op === 'stat' ? held : undefined) });
  const { client } = await clientPair({ fs });
  const waiting = client.stat('/');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(client.inFlight, 1);
  client.end();
  await assert.rejects(waiting, SftpSessionClosedError);
  await assert.rejects(client.realpath('.'), SftpSessionClosedError);
  assert.equal(await client.closed, undefined);
  release();
});

test('an AbortSignal stops a download and an upload: nothing new goes out, what is in flight settles', async () => {
  const { client, fs } = await clientPair();
  fs.writeFile('/home/alice/big', randomBytes(4 * 1024 * 1024));
  const h = await client.open('big', FXF.READ);
  const controller = new AbortController();
  const target = memoryTarget(4 * 1024 * 1024);
  const moved: number[] = [];
  const err = await download(client, h, target, {
    length: 32768,
    requests: 8,
    size: 4 * 1024 * 1024,
    signal: controller.signal,
    onProgress: (n) => {
      moved.push(n);
      if (n >= 10 * 32768) controller.abort();
    },
  }).then(
    () => assert.fail('download finished'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof SftpTransferError && err.cause instanceof TransferAbortedError, String(err));
  assert.ok(moved.at(-1)! < 4 * 1024 * 1024 && err.contiguous >= 10 * 32768, `${moved.at(-1)} ${err.contiguous}`);
  assert.equal(client.inFlight, 0);
  await client.close(h);

  const up = await client.open('up', W);
  const stop = new AbortController();
  stop.abort();
  const upErr = await upload(client, up, memorySource(randomBytes(1_000_000)), { length: 32768, requests: 4, signal: stop.signal }).then(
    () => assert.fail('upload finished'),
    (e: unknown) => e,
  );
  assert.ok(upErr instanceof SftpTransferError && upErr.cause instanceof TransferAbortedError);
  assert.equal(fs.readFile('/home/alice/up').length, 0);
  await client.close(up);
});
