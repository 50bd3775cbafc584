// Local files as the two ends of a pipelined transfer: positional reads for an upload, positional writes for a
// download (replies may land out of order). The callback API on the file's descriptor: no FileHandle promise
// machinery per request, and a download's reply goes out with one writev of the pieces it arrived in.
import { read, write, writev } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { DownloadTarget, UploadSource } from '@tssh/ssh-protocol/sftp';

/** More pieces than this are joined first (a writev takes up to IOV_MAX of them; libuv splits longer lists). */
const MAX_PIECES = 64;

function join(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Writes all of `data` at `offset` (a short write goes on from where it stopped). */
function writeAll(fd: number, data: Uint8Array, offset: number, done: (e: Error | null) => void): void {
  write(fd, data, 0, data.length, offset, (e, n) => {
    if (e) done(e);
    else if (n < data.length) writeAll(fd, data.subarray(n), offset + n, done);
    else done(null);
  });
}

/** Writes the pieces in order from `offset`: one writev, then what a short one left. */
function writeChunksAll(fd: number, chunks: readonly Uint8Array[], offset: number, length: number, done: (e: Error | null) => void): void {
  if (chunks.length === 1) return writeAll(fd, chunks[0], offset, done);
  writev(fd, chunks as Uint8Array[], offset, (e, n) => {
    if (e) return done(e);
    if (n >= length) return done(null);
    // A short writev: the rest, joined (rare; regular files take it all).
    const rest: Uint8Array[] = [];
    let skip = n;
    for (const c of chunks) {
      if (skip >= c.length) skip -= c.length;
      else {
        rest.push(skip > 0 ? c.subarray(skip) : c);
        skip = 0;
      }
    }
    writeAll(fd, join(rest, length - n), offset + n, done);
  });
}

export function fileTarget(fh: FileHandle): DownloadTarget {
  const fd = fh.fd;
  return {
    write: (offset, data) => new Promise((resolve, reject) => writeAll(fd, data, offset, (e) => (e ? reject(e) : resolve()))),
    writeChunks: (offset, chunks, length) =>
      new Promise((resolve, reject) => {
        const pieces = chunks.length > MAX_PIECES ? [join(chunks, length)] : chunks;
        writeChunksAll(fd, pieces, offset, length, (e) => (e ? reject(e) : resolve()));
      }),
  };
}

/** Reads until `into` is full or the file ends; calls back with the count. */
function readFull(fd: number, into: Uint8Array, offset: number, got: number, done: (e: Error | null, n: number) => void): void {
  read(fd, into, got, into.length - got, offset + got, (e, n) => {
    if (e) done(e, got);
    else if (n === 0 || got + n === into.length) done(null, got + n);
    else readFull(fd, into, offset, got + n, done);
  });
}

/** One buffer for read(): upload() is done with the bytes of a read before it asks for the next. */
export function fileSource(fh: FileHandle): UploadSource {
  const fd = fh.fd;
  let buf = Buffer.alloc(0);
  const readInto = (offset: number, into: Uint8Array): Promise<number> =>
    new Promise((resolve, reject) => {
      if (into.length === 0) return resolve(0);
      readFull(fd, into, offset, 0, (e, n) => (e ? reject(e) : resolve(n)));
    });
  return {
    async read(offset, length) {
      if (buf.length < length) buf = Buffer.allocUnsafe(length);
      const n = await readInto(offset, buf.subarray(0, length));
      return new Uint8Array(buf.buffer, buf.byteOffset, n);
    },
    readInto,
  };
}
