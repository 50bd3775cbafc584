// Local files as the two ends of a pipelined transfer: positional reads for an upload, positional writes for a
// download (replies may land out of order).
import type { FileHandle } from 'node:fs/promises';
import type { DownloadTarget, UploadSource } from '@tssh/ssh-protocol/sftp';

export function fileTarget(fh: FileHandle): DownloadTarget {
  return {
    async write(offset, data) {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await fh.write(data, done, data.length - done, offset + done);
        done += bytesWritten;
      }
    },
  };
}

/** One buffer for all reads: upload() is done with the bytes of a read before it asks for the next. */
export function fileSource(fh: FileHandle): UploadSource {
  let buf = Buffer.alloc(0);
  return {
    async read(offset, length) {
      if (buf.length < length) buf = Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return new Uint8Array(buf.buffer, buf.byteOffset, got);
    },
  };
}
