// One file each way, as OpenSSH's do_download() and do_upload() do it: open both ends, pick up where a partial
// copy ended when resuming, move the bytes with many requests in flight, then set modes and times when asked.
// Each returns false after printing what went wrong; a lost session is thrown, as nothing more can be done.
import { constants } from 'node:fs';
import { open, utimes, chmod, type FileHandle } from 'node:fs/promises';
import {
  FXF,
  S_IFMT,
  S_IFREG,
  SftpStatusError,
  SftpTransferError,
  TransferAbortedError,
  download,
  upload,
  type SftpAttrs,
} from '@tssh/ssh-protocol/sftp';
import { errorText, isSessionLost } from './error-text.js';
import { fileSource, fileTarget } from './local-file.js';
import { ProgressMeter } from './progress-meter.js';
import { baseName } from './remote-path.js';
import type { FileOptions, TransferContext } from './transfer-context.js';

/** Rethrows what ends the session; anything else is for the caller to report. */
function rethrowIfLost(e: unknown): void {
  if (isSessionLost(e)) throw e;
}

async function closeQuietly(fh: FileHandle | undefined): Promise<void> {
  await fh?.close().catch(() => {});
}

function meterFor(ctx: TransferContext, path: string, start: number, total: number): ProgressMeter | undefined {
  return ctx.progress && total !== 0 ? new ProgressMeter(baseName(path), start, total, ctx.meter) : undefined;
}

/** Downloads `remote` to `local`. `attrs` are the remote file's, when the caller has them already. */
export async function getFile(ctx: TransferContext, remote: string, local: string, o: FileOptions, attrs?: SftpAttrs): Promise<boolean> {
  const { client } = ctx;
  let a = attrs;
  if (a === undefined) {
    try {
      a = await client.stat(remote);
    } catch (e) {
      rethrowIfLost(e);
      ctx.error(`stat remote: ${errorText(e)}`);
      return false;
    }
  }
  if (a.permissions !== undefined && (a.permissions & S_IFMT) !== S_IFREG) {
    ctx.error(`download ${remote}: not a regular file`);
    return false;
  }
  const mode = a.permissions !== undefined ? a.permissions & 0o777 : 0o666;
  let handle: Uint8Array;
  try {
    handle = await client.open(remote, FXF.READ);
  } catch (e) {
    rethrowIfLost(e);
    ctx.error(`remote open "${remote}": ${errorText(e)}`);
    return false;
  }
  let fh: FileHandle | undefined;
  let meter: ProgressMeter | undefined;
  let ok = false;
  try {
    try {
      const flags = constants.O_WRONLY | constants.O_CREAT | (o.resume ? 0 : constants.O_TRUNC);
      fh = await open(local, flags, mode | 0o200);
    } catch (e) {
      ctx.error(`open local "${local}": ${errorText(e)}`);
      return false;
    }
    let offset = 0;
    if (o.resume) {
      offset = (await fh.stat()).size;
      if (a.size !== undefined && offset > a.size) {
        ctx.error(`Unable to resume download of "${local}": local file is larger than remote`);
        return false;
      }
    }
    const total = a.size ?? 0;
    meter = meterFor(ctx, remote, offset, total);
    let end: number;
    try {
      end = await download(client, handle, fileTarget(fh), {
        length: ctx.tuning.readLength,
        requests: ctx.tuning.requests,
        offset,
        size: a.size,
        onProgress: meter ? (n) => meter!.update(offset + n) : undefined,
        signal: ctx.signal,
      });
    } catch (e) {
      rethrowIfLost(e);
      meter?.stop();
      meter = undefined;
      // Keep what arrived in one piece, so that a reget can go on from there.
      if (e instanceof SftpTransferError) await fh.truncate(e.contiguous).catch(() => {});
      const cause = e instanceof SftpTransferError ? e.cause : e;
      if (cause instanceof TransferAbortedError) return false;
      if (cause instanceof SftpStatusError) ctx.error(`Couldn't read from remote file "${remote}" : ${errorText(cause)}`);
      else ctx.error(`write local "${local}": ${errorText(cause)}`);
      return false;
    }
    // A file that shrank since it was opened for writing (no resume: truncated already; resume: past the end).
    if (o.resume) await fh.truncate(end);
    if (o.preserve) {
      await fh.chmod(mode).catch((e: unknown) => ctx.error(`Couldn't set mode on "${local}": ${errorText(e)}`));
    }
    if (o.fsync) await fh.sync();
    ok = true;
  } finally {
    meter?.stop();
    await closeQuietly(fh);
    try {
      await client.close(handle);
    } catch (e) {
      rethrowIfLost(e);
      ctx.error(`close remote "${remote}": ${errorText(e)}`);
      ok = false;
    }
  }
  if (ok && o.preserve && a.times !== undefined) {
    try {
      await utimes(local, a.times.atime, a.times.mtime);
    } catch (e) {
      ctx.error(`Can't set times on local file "${local}": ${errorText(e)}`);
    }
  }
  return ok;
}

/** Uploads `local` to `remote`. */
export async function putFile(ctx: TransferContext, local: string, remote: string, o: FileOptions): Promise<boolean> {
  const { client } = ctx;
  let fh: FileHandle;
  try {
    fh = await open(local, 'r');
  } catch (e) {
    ctx.error(`open local "${local}": ${errorText(e)}`);
    return false;
  }
  let handle: Uint8Array | undefined;
  let meter: ProgressMeter | undefined;
  let ok = false;
  try {
    const st = await fh.stat();
    if (!st.isFile()) {
      ctx.error(`local "${local}" is not a regular file`);
      return false;
    }
    let offset = 0;
    if (o.resume) {
      let remoteSize: number;
      try {
        remoteSize = (await client.stat(remote)).size ?? 0;
      } catch (e) {
        rethrowIfLost(e);
        ctx.error(`stat remote: ${errorText(e)}`);
        return false;
      }
      if (remoteSize >= st.size) {
        ctx.error(`resume "${local}": destination file same size or larger`);
        return false;
      }
      offset = remoteSize;
    }
    try {
      const flags = FXF.WRITE | FXF.CREAT | (o.resume ? 0 : FXF.TRUNC);
      handle = await client.open(remote, flags, { permissions: st.mode & 0o777 });
    } catch (e) {
      rethrowIfLost(e);
      ctx.error(`dest open "${remote}": ${errorText(e)}`);
      return false;
    }
    meter = meterFor(ctx, local, offset, st.size);
    try {
      await upload(client, handle, fileSource(fh), {
        length: ctx.tuning.writeLength,
        requests: ctx.tuning.requests,
        offset,
        onProgress: meter ? (n) => meter!.update(offset + n) : undefined,
        signal: ctx.signal,
      });
    } catch (e) {
      rethrowIfLost(e);
      const cause = e instanceof SftpTransferError ? e.cause : e;
      if (cause instanceof TransferAbortedError) return false;
      if (cause instanceof SftpStatusError) ctx.error(`Couldn't write to remote file "${remote}": ${errorText(cause)}`);
      else ctx.error(`read local "${local}": ${errorText(cause)}`);
      return false;
    }
    if (o.preserve) {
      const attrs: SftpAttrs = {
        permissions: st.mode & 0o777,
        times: { atime: Math.floor(st.atimeMs / 1000), mtime: Math.floor(st.mtimeMs / 1000) },
      };
      try {
        await client.fsetstat(handle, attrs);
      } catch (e) {
        rethrowIfLost(e);
        ctx.error(`remote fsetstat "${remote}": ${errorText(e)}`);
      }
    }
    if (o.fsync && client.supports('fsync@openssh.com')) await client.fsync(handle);
    ok = true;
  } finally {
    meter?.stop();
    await closeQuietly(fh);
    if (handle) {
      try {
        await client.close(handle);
      } catch (e) {
        rethrowIfLost(e);
        ctx.error(`close remote "${remote}": ${errorText(e)}`);
        ok = false;
      }
    }
  }
  return ok;
}

/** Local chmod for a directory made by a recursive download (-p). */
export async function setLocalDirectory(ctx: TransferContext, path: string, a: SftpAttrs): Promise<void> {
  if (a.permissions !== undefined) {
    await chmod(path, a.permissions & 0o777).catch((e: unknown) => ctx.error(`Couldn't set mode on "${path}": ${errorText(e)}`));
  }
  if (a.times !== undefined) {
    await utimes(path, a.times.atime, a.times.mtime).catch((e: unknown) =>
      ctx.error(`Can't set times on local file "${path}": ${errorText(e)}`),
    );
  }
}
