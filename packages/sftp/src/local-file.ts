// Local files as the two ends of a pipelined transfer: positional reads for an upload, positional writes for a
// download (replies may land out of order). Reads and writes are synchronous on the file's descriptor, as
// OpenSSH's sftp does them: a request handed to libuv's thread pool costs a thread wake-up and a context
// switch each (on 2 cores, ~0.25 s more client CPU per GiB uploaded than doing the copy here), while the copy
// into or out of the page cache is the same work on either thread. A download's reply goes out in one writev of
// the pieces it arrived in; an upload reads straight into the WRITE packet.
import { readSync, writeSync, writevSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { DownloadTarget, UploadSource } from '@tssh/ssh-protocol/sftp';

/** More pieces than this are joined first (writev takes at most IOV_MAX of them). */
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
function writeAll(fd: number, data: Uint8Array, offset: number): void {
  for (let done = 0; done < data.length; ) done += writeSync(fd, data, done, data.length - done, offset + done);
}

/** Writes the pieces in order from `offset`: one writev, then what a short one left. */
function writeChunksAll(fd: number, chunks: readonly Uint8Array[], offset: number, length: number): void {
  if (chunks.length === 1) return writeAll(fd, chunks[0], offset);
  if (chunks.length > MAX_PIECES) return writeAll(fd, join(chunks, length), offset);
  const n = writevSync(fd, chunks as Uint8Array[], offset);
  if (n < length) writeAll(fd, join(chunks, length).subarray(n), offset + n);
}

/** Runs `f` now; its result or its exception as a settled promise. */
function settled<T>(f: () => T): Promise<T> {
  try {
    return Promise.resolve(f());
  } catch (e) {
    return Promise.reject(e);
  }
}

export function fileTarget(fh: FileHandle): DownloadTarget {
  const fd = fh.fd;
  return {
    write: (offset, data) => settled(() => writeAll(fd, data, offset)),
    writeChunks: (offset, chunks, length) => settled(() => writeChunksAll(fd, chunks, offset, length)),
  };
}

/** Reads until `into` is full or the file ends; returns the count. */
function readFull(fd: number, into: Uint8Array, offset: number): number {
  let got = 0;
  while (got < into.length) {
    const n = readSync(fd, into, got, into.length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** One buffer for read(): upload() is done with the bytes of a read before it asks for the next. */
export function fileSource(fh: FileHandle): UploadSource {
  const fd = fh.fd;
  let buf = Buffer.alloc(0);
  return {
    read: (offset, length) =>
      settled(() => {
        if (buf.length < length) buf = Buffer.allocUnsafe(length);
        return new Uint8Array(buf.buffer, buf.byteOffset, readFull(fd, buf.subarray(0, length), offset));
      }),
    readInto: (offset, into) => settled(() => readFull(fd, into, offset)),
    // Not zeroed: only the bytes read into a WRITE packet are sent.
    allocate: (bytes) => Buffer.allocUnsafeSlow(bytes),
  };
}
