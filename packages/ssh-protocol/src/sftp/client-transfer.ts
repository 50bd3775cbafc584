// Pipelined file transfers over an open handle: many READs (or WRITEs) in flight at once, as §3 allows ("a client
// may send several requests without waiting for responses"), with memory bounded by the number of requests and
// their length. The local side comes in as an interface, so that this stays sans-IO.
import { SftpReplyError } from './client-errors.js';
import type { SftpClient } from './client.js';
import { joinChunks } from './client-framer.js';
import { PreparedWrite } from './client-write-packet.js';

/** The local file a download writes into; writes may complete out of order. */
export interface DownloadTarget {
  write(offset: number, data: Uint8Array): Promise<void>;
  /**
   * The same for data in pieces (in order, the first at `offset`, `length` bytes in all), as a reply arrived. The
   * pieces are the target's to keep until the write is done. Without it, the pieces are joined for write().
   */
  writeChunks?(offset: number, chunks: readonly Uint8Array[], length: number): Promise<void>;
}

/**
 * The local file an upload reads from: up to `length` bytes at `offset`, none at the end. The bytes returned need
 * only stay valid until the next read: upload() has encoded them into a WRITE by then.
 */
export interface UploadSource {
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Up to `into.length` bytes at `offset`, read straight into `into` (the data room of a WRITE packet); resolves
   * with the count, 0 at the end. Used instead of read() when present: the bytes are not copied again.
   */
  readInto?(offset: number, into: Uint8Array): Promise<number>;
  /** Memory for a WRITE packet that readInto() fills (need not be zeroed); a zeroed Uint8Array without it. */
  allocate?(bytes: number): Uint8Array;
  /** Memory from allocate() (`bytes` is a view of it) that nothing refers to any more: it may be used again. */
  release?(bytes: Uint8Array): void;
}

export interface TransferOptions {
  /** Bytes per request. */
  length: number;
  /** Requests in flight at most. */
  requests: number;
  /** Where to start: 0, or the size already transferred when resuming (reget, reput). */
  offset?: number;
  /** Bytes moved so far in this transfer (not counting `offset`). */
  onProgress?(bytes: number): void;
  /** Stops the transfer (no new requests; those in flight settle), which then fails with TransferAbortedError. */
  signal?: AbortSignal;
}

/** The transfer was stopped through its AbortSignal (sftp's "Interrupt"). */
export class TransferAbortedError extends Error {
  override name = 'TransferAbortedError';
  constructor() {
    super('Interrupted');
  }
}

export interface DownloadOptions extends TransferOptions {
  /**
   * The remote file's size, when known. Up to it reads go out in parallel; past it one read at a time finds the
   * end (a file that grew meanwhile is read to its new end).
   */
  size?: number;
}

/** A transfer failed; `contiguous` bytes from the start are known to be in place (a later resume starts there). */
export class SftpTransferError extends Error {
  override name = 'SftpTransferError';
  constructor(
    override readonly cause: Error,
    readonly contiguous: number,
  ) {
    super(cause.message);
  }
}

/** The smallest READ worth sending after a server answered with less than asked (OpenSSH's MIN_READ_SIZE). */
const MIN_READ = 512;

/** Tracks which ranges have landed, to know the contiguous prefix. */
class Landed {
  private readonly ranges = new Map<number, number>();
  constructor(public contiguous: number) {}

  add(offset: number, end: number): void {
    if (offset !== this.contiguous) {
      this.ranges.set(offset, end);
      return;
    }
    this.contiguous = end;
    for (let next = this.ranges.get(end); next !== undefined; next = this.ranges.get(this.contiguous)) {
      this.ranges.delete(this.contiguous);
      this.contiguous = next;
    }
  }
}

/**
 * Reads the remote file behind `handle` into `target`, starting at `offset`. Resolves with the offset where the
 * file ended (its size). On failure, waits for every request to settle, then throws SftpTransferError.
 */
export function download(client: SftpClient, handle: Uint8Array, target: DownloadTarget, opts: DownloadOptions): Promise<number> {
  const start = opts.offset ?? 0;
  const requests = Math.max(1, opts.requests);
  const maxBuffered = requests * opts.length;
  const landed = new Landed(start);
  let length = Math.max(1, opts.length);
  let sizeHint = opts.size ?? start;
  let next = start;
  let inFlight = 0;
  /** Bytes asked for by READs in flight, and bytes handed to the target and not yet written: together bounded. */
  let reserved = 0;
  let buffered = 0;
  let moved = 0;
  let end = start;
  let eof = false;
  let failure: Error | undefined;

  return new Promise((resolve, reject) => {
    const settle = (): void => {
      if (inFlight > 0 || buffered > 0 || !(eof || failure)) return;
      opts.signal?.removeEventListener('abort', pump);
      if (failure) reject(new SftpTransferError(failure, landed.contiguous));
      else resolve(end);
    };
    const fail = (e: unknown): void => {
      failure ??= e instanceof Error ? e : new Error(String(e));
      settle();
    };
    const store = (offset: number, chunks: Uint8Array[], n: number): void => {
      buffered += n;
      const written = target.writeChunks ? target.writeChunks(offset, chunks, n) : target.write(offset, joinChunks(chunks));
      written.then(
        () => {
          buffered -= n;
          moved += n;
          end = Math.max(end, offset + n);
          landed.add(offset, offset + n);
          opts.onProgress?.(moved);
          pump();
        },
        (e: unknown) => {
          buffered -= n;
          fail(e);
        },
      );
    };
    const issue = (offset: number, want: number): void => {
      inFlight++;
      reserved += want;
      const answered = (chunks: Uint8Array[] | undefined): void => {
        if (chunks === undefined) {
          eof = true;
          return;
        }
        let n = 0;
        for (const c of chunks) n += c.length;
        if (n === 0) throw new SftpReplyError(`sftp: read at ${offset}: empty data`);
        if (offset + n > sizeHint) sizeHint = Number.MAX_SAFE_INTEGER; // it grew: read on to EOF
        store(offset, chunks, n);
        // §6.4: fewer bytes than asked is not the end; ask again for the rest, and smaller from now on.
        if (n < want) {
          issue(offset + n, want - n);
          if (offset + n < sizeHint) length = Math.max(MIN_READ, n);
        }
      };
      client.readChunks(handle, offset, want).then(
        (chunks) => {
          inFlight--;
          reserved -= want;
          try {
            answered(chunks);
          } catch (e) {
            fail(e);
          }
          pump();
        },
        (e: unknown) => {
          inFlight--;
          reserved -= want;
          fail(e);
        },
      );
    };
    // READs go out in groups, one channel write each, once a group's worth of slots is free: fewer packets than
    // one READ per reply, and the pipeline stays nearly full.
    const group = Math.max(1, Math.floor(requests / 8));
    const pump = (): void => {
      if (opts.signal?.aborted) failure ??= new TransferAbortedError();
      if (inFlight > 0 && requests - inFlight < group && next < sizeHint) return settle();
      client.cork();
      try {
        issueReads();
      } finally {
        client.uncork();
      }
      settle();
    };
    const issueReads = (): void => {
      while (!eof && !failure && inFlight < requests) {
        // Past the size known, one read at a time until the end shows.
        if (next >= sizeHint && inFlight > 0) break;
        const want = next < sizeHint ? Math.min(length, sizeHint - next) : length;
        if (reserved + buffered + want > maxBuffered && (inFlight > 0 || buffered > 0)) break;
        issue(next, want);
        next += want;
      }
    };
    opts.signal?.addEventListener('abort', pump, { once: true });
    pump();
  });
}

/**
 * Writes `source` from `offset` on into the remote file behind `handle`. Resolves with the offset after the last
 * byte written. On failure, waits for every request to settle, then throws SftpTransferError.
 */
export async function upload(client: SftpClient, handle: Uint8Array, source: UploadSource, opts: TransferOptions): Promise<number> {
  const requests = Math.max(1, opts.requests);
  const length = Math.max(1, opts.length);
  const landed = new Landed(opts.offset ?? 0);
  let offset = opts.offset ?? 0;
  let inFlight = 0;
  let moved = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const settled = (): void => {
    inFlight--;
    wake?.();
  };
  const slot = (): Promise<void> => new Promise((r) => (wake = r));

  const aborted = (): void => {
    failure ??= new TransferAbortedError();
    wake?.();
  };
  opts.signal?.addEventListener('abort', aborted, { once: true });
  if (opts.signal?.aborted) aborted();
  try {
    for (;;) {
      while (inFlight >= requests && !failure) await slot();
      if (failure) break;
      if (!client.writable) await client.waitWritable();
      let written: Promise<void>;
      let n: number;
      const at = offset;
      if (source.readInto) {
        // The file's bytes go straight into the WRITE packet: a fresh one each time, or one the channel has let go.
        const w = new PreparedWrite(handle, length, source.allocate?.bind(source));
        n = await source.readInto(offset, w.data);
        if (n === 0) {
          source.release?.(w.data);
          break;
        }
        written = client.writePrepared(w, at, n, source.release && (() => source.release!(w.data)));
      } else {
        const data = await source.read(offset, length);
        n = data.length;
        if (n === 0) break;
        written = client.write(handle, at, data);
      }
      offset += n;
      inFlight++;
      written.then(
        () => {
          moved += n;
          landed.add(at, at + n);
          opts.onProgress?.(moved);
          settled();
        },
        (e: Error) => {
          failure ??= e;
          settled();
        },
      );
    }
  } catch (e) {
    failure ??= e instanceof Error ? e : new Error(String(e));
  }
  while (inFlight > 0) await slot();
  opts.signal?.removeEventListener('abort', aborted);
  if (failure) throw new SftpTransferError(failure, landed.contiguous);
  return offset;
}
