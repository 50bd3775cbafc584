// Local files as the two ends of a pipelined transfer: positional reads for an upload, positional writes for a
// download (replies may land out of order).
//
// An upload reads synchronously on the file's descriptor, as OpenSSH's sftp does, straight into the WRITE packet:
// a request handed to libuv's thread pool costs a thread wake-up and a context switch each (on 2 cores, ~0.25 s
// more client CPU per GiB uploaded than doing the copy here), and an upload measured no faster with it.
//
// A download writes through the thread pool: the copy into the page cache then runs beside the SSH work on the
// other core, as it does in OpenSSH, whose sftp and ssh are two processes. Measured, 1 GiB from OpenSSH's sshd to
// tmpfs (aes128-gcm, five interleaved pairs): 234 MB/s written synchronously, 273 MB/s through the pool. The pool
// has one thread in tsftp and tscp (their shebangs set UV_THREADPOOL_SIZE=1): the writes all go to one file, and
// Linux lets one writer into a file at a time (the inode's lock), so with four threads three spun on that lock
// (`perf`: rwsem_spin_on_owner) and burnt the CPU the SSH work needed. With one, the writes run in the order they
// were queued: 220-249 -> 254-282 MB/s (aes128-gcm) and 208-213 -> 222-237 (chacha20-poly1305) in interleaved
// runs. Limiting the writes in flight here instead (one or two at a time) was slower than either: each next write
// then waits for the busy main thread. Writes may finish before earlier offsets arrive: a transfer that fails or is
// interrupted is cut back to what landed in one piece (transfer-files.ts), as OpenSSH's sftp does. A reply goes
// out in one writev of the pieces it arrived in.
import { readSync, write as writeFd, writev as writevFd } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { PacketBufferPool } from '@tssh/ssh-protocol/node';
import { joinChunks, type DownloadTarget, type UploadSource } from '@tssh/ssh-protocol/sftp';

/** More pieces than this are joined first (writev takes at most IOV_MAX of them). */
const MAX_PIECES = 64;

/** Writes all of `data` at `offset` in the thread pool (a short write goes on from where it stopped). */
function writeAll(fd: number, data: Uint8Array, offset: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (done: number): void => {
      if (done === data.length) return resolve();
      writeFd(fd, data, done, data.length - done, offset + done, (e, n) => (e ? reject(e) : step(done + n)));
    };
    step(0);
  });
}

/** Writes the pieces in order from `offset`: one writev, then what a short one left. */
function writeChunksAll(fd: number, chunks: readonly Uint8Array[], offset: number, length: number): Promise<void> {
  if (chunks.length === 1) return writeAll(fd, chunks[0], offset);
  if (chunks.length > MAX_PIECES) return writeAll(fd, joinChunks(chunks), offset);
  return new Promise((resolve, reject) => {
    writevFd(fd, chunks as Uint8Array[], offset, (e, n) => {
      if (e) return reject(e);
      if (n === length) return resolve();
      writeAll(fd, joinChunks(chunks).subarray(n), offset + n).then(resolve, reject);
    });
  });
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
    write: (offset, data) => writeAll(fd, data, offset),
    writeChunks: (offset, chunks, length) => writeChunksAll(fd, chunks, offset, length),
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

/**
 * One buffer for read(): upload() is done with the bytes of a read before it asks for the next. WRITE packets come
 * from a pool and go back to it once the channel has sent them: a fresh 255 KiB buffer per WRITE cost page faults,
 * zeroed pages and malloc's trimming, about a tenth of an upload's CPU (`perf`).
 */
export function fileSource(fh: FileHandle): UploadSource {
  const fd = fh.fd;
  const packets = new PacketBufferPool();
  let buf = Buffer.alloc(0);
  return {
    read: (offset, length) =>
      settled(() => {
        if (buf.length < length) buf = Buffer.allocUnsafe(length);
        return new Uint8Array(buf.buffer, buf.byteOffset, readFull(fd, buf.subarray(0, length), offset));
      }),
    readInto: (offset, into) => settled(() => readFull(fd, into, offset)),
    // Not zeroed: only the bytes read into a WRITE packet are sent.
    allocate: (bytes) => packets.allocate(bytes),
    release: (bytes) => packets.release(bytes),
  };
}
