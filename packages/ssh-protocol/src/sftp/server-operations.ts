// The server side of draft-ietf-secsh-filexfer-02 §6: one handler per request, each answering with the §7
// response the draft prescribes. Failures are thrown and become STATUS in the server (status-errors.ts).
import { assertNever } from '../wire/index.js';
import { attrsFromStats } from './attrs.js';
import type { SftpAttrs } from './attrs.js';
import { DATA_HEADER_LENGTH, finishDataPacket } from './bulk-packets.js';
import { FX, FXF } from './constants.js';
import type { OpenMode, SftpOpenFile, SftpStats } from './file-system.js';
import { invalidHandle } from './handle-table.js';
import type { FileHandleEntry, OpenHandle } from './handle-table.js';
import { longName } from './long-name.js';
import { resolvePath } from './paths.js';
import type { FramedWrite } from './request-framer.js';
import type { SftpIdRequest } from './requests.js';
import type { SftpName, SftpResponse } from './responses.js';
import type { ServeContext } from './server-context.js';
import { serveExtended } from './server-extensions.js';
import { nameReply, okResponse as ok, statusResponse } from './server-replies.js';
import type { ServerReply } from './server-replies.js';
import { SftpStatusError } from './status-errors.js';

/** A request as the server serves it: WRITE with its data in the pieces it arrived in (request-framer.ts). */
export type ServedRequest = Exclude<SftpIdRequest, { kind: 'write' }> | FramedWrite;

export function openMode(pflags: number): OpenMode {
  return {
    read: (pflags & FXF.READ) !== 0,
    write: (pflags & FXF.WRITE) !== 0,
    append: (pflags & FXF.APPEND) !== 0,
    create: (pflags & FXF.CREAT) !== 0,
    truncate: (pflags & FXF.TRUNC) !== 0,
    exclusive: (pflags & FXF.EXCL) !== 0,
  };
}

/** The flag words of OpenSSH's sftp-server log lines. */
function pflagsText(m: OpenMode): string {
  const words: Array<[boolean, string]> = [
    [m.read, 'READ'],
    [m.write, 'WRITE'],
    [m.append, 'APPEND'],
    [m.create, 'CREATE'],
    [m.truncate, 'TRUNCATE'],
    [m.exclusive, 'EXCL'],
  ];
  return words.filter(([on]) => on).map(([, w]) => w).join(',');
}

function reserveHandle(ctx: ServeContext): void {
  if (!ctx.handles.reserve()) throw new SftpStatusError(FX.FAILURE, 'Too many open handles');
}

function attrsText(a: SftpAttrs): string {
  const parts: string[] = [];
  if (a.size !== undefined) parts.push(`size ${a.size}`);
  if (a.permissions !== undefined) parts.push(`mode 0${(a.permissions & 0o7777).toString(8)}`);
  if (a.times !== undefined) parts.push(`atime ${a.times.atime} mtime ${a.times.mtime}`);
  if (a.owner !== undefined) parts.push(`owner ${a.owner.uid} group ${a.owner.gid}`);
  return parts.join(' ');
}

function logSetstat(ctx: ServeContext, path: string, a: SftpAttrs): void {
  ctx.log.verbose(`set "${path}" ${attrsText(a)}`);
}

function ownerName(ctx: ServeContext, st: SftpStats): [string, string] {
  return [ctx.fs.userName?.(st.uid) ?? String(st.uid), ctx.fs.groupName?.(st.gid) ?? String(st.gid)];
}

export async function serveRequest(ctx: ServeContext, m: ServedRequest): Promise<ServerReply> {
  const { fs, log } = ctx;
  const path = (p: string): string => resolvePath(ctx.home, p);
  switch (m.kind) {
    case 'open': {
      const p = path(m.path);
      const mode = openMode(m.pflags);
      reserveHandle(ctx);
      const perm = (m.attrs.permissions ?? 0o666) & 0o7777;
      log.verbose(`open "${p}" flags ${pflagsText(mode)} mode 0${perm.toString(8)}`);
      let file;
      try {
        file = await fs.open(p, mode, m.attrs);
      } catch (e) {
        ctx.handles.release();
        throw e;
      }
      const handle = ctx.handles.add({ kind: 'file', file, path: p, mode, bytesRead: 0, bytesWritten: 0 });
      return { kind: 'handle', id: m.id, handle };
    }
    case 'close': {
      const h = ctx.handles.remove(m.handle);
      if (!h) throw invalidHandle();
      await closeHandle(ctx, h);
      return ok(m.id);
    }
    case 'read': {
      const h = ctx.handles.file(m.handle);
      if (!h.mode.read) throw new SftpStatusError(FX.PERMISSION_DENIED, 'File not opened for reading');
      return read(ctx, h, m.id, m.offset, Math.min(m.length, ctx.limits.maxReadLength));
    }
    case 'write': {
      const h = ctx.handles.file(m.handle);
      if (!h.mode.write) throw new SftpStatusError(FX.PERMISSION_DENIED, 'File not opened for writing');
      await writeParts(h.file, m.offset, m.parts);
      h.bytesWritten += m.length;
      return ok(m.id);
    }
    case 'stat':
      return { kind: 'attrs', id: m.id, attrs: attrsFromStats(await fs.stat(path(m.path))) };
    case 'lstat':
      return { kind: 'attrs', id: m.id, attrs: attrsFromStats(await fs.lstat(path(m.path))) };
    case 'fstat':
      return { kind: 'attrs', id: m.id, attrs: attrsFromStats(await ctx.handles.file(m.handle).file.stat()) };
    case 'setstat': {
      const p = path(m.path);
      logSetstat(ctx, p, m.attrs);
      await fs.setstat(p, m.attrs);
      return ok(m.id);
    }
    case 'fsetstat': {
      const h = ctx.handles.file(m.handle);
      logSetstat(ctx, h.path, m.attrs);
      await h.file.setstat(m.attrs);
      return ok(m.id);
    }
    case 'opendir': {
      const p = path(m.path);
      reserveHandle(ctx);
      log.verbose(`opendir "${p}"`);
      let dir;
      try {
        dir = await fs.opendir(p);
      } catch (e) {
        ctx.handles.release();
        throw e;
      }
      return { kind: 'handle', id: m.id, handle: ctx.handles.add({ kind: 'dir', dir, path: p }) };
    }
    case 'readdir':
      return readdir(ctx, m.id, m.handle);
    case 'remove': {
      const p = path(m.path);
      log.verbose(`remove name "${p}"`);
      await fs.remove(p);
      return ok(m.id);
    }
    case 'mkdir': {
      const p = path(m.path);
      log.verbose(`mkdir name "${p}" mode 0${((m.attrs.permissions ?? 0o777) & 0o7777).toString(8)}`);
      await fs.mkdir(p, m.attrs);
      return ok(m.id);
    }
    case 'rmdir': {
      const p = path(m.path);
      log.verbose(`rmdir name "${p}"`);
      await fs.rmdir(p);
      return ok(m.id);
    }
    case 'realpath':
      return nameReply(m.id, await fs.realpath(path(m.path)));
    case 'rename': {
      const [from, to] = [path(m.oldPath), path(m.newPath)];
      log.verbose(`rename old "${from}" new "${to}"`);
      await fs.rename(from, to);
      return ok(m.id);
    }
    case 'readlink':
      return nameReply(m.id, await fs.readlink(path(m.path)));
    case 'symlink': {
      // The target is stored as the client wrote it; only the link's own name is resolved.
      const link = path(m.link);
      log.verbose(`symlink old "${m.target}" new "${link}"`);
      await fs.symlink(m.target, link);
      return ok(m.id);
    }
    case 'extended':
      return serveExtended(ctx, m.id, m.request);
    default:
      return assertNever(m);
  }
}

/** §6.4 READ; EOF before any data is a STATUS, never an empty DATA. */
async function read(ctx: ServeContext, h: FileHandleEntry, id: number, offset: number, length: number): Promise<ServerReply> {
  if (h.file.readInto === undefined) {
    const data = await h.file.read(offset, length);
    h.bytesRead += data.length;
    return data.length === 0 ? statusResponse(id, FX.EOF) : { kind: 'data', id, data };
  }
  // Straight into the DATA packet: the file's bytes are copied once on their way to the channel.
  const packet = ctx.allocate(DATA_HEADER_LENGTH + length);
  const n = await h.file.readInto(packet.subarray(DATA_HEADER_LENGTH), offset);
  h.bytesRead += n;
  return n === 0 ? statusResponse(id, FX.EOF) : { kind: 'encoded', id, bytes: finishDataPacket(packet, id, n) };
}

/** WRITE data in pieces: one gathering write when the file system has one. */
function writeParts(file: SftpOpenFile, offset: number, parts: readonly Uint8Array[]): Promise<void> {
  if (file.writev !== undefined) return file.writev(offset, parts);
  if (parts.length === 1) return file.write(offset, parts[0]);
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return file.write(offset, data);
}

async function readdir(ctx: ServeContext, id: number, handle: Uint8Array): Promise<SftpResponse> {
  const h = ctx.handles.dir(handle);
  const entries = await h.dir.read(ctx.limits.readdirBatch);
  if (entries.length === 0) return statusResponse(id, FX.EOF);
  const now = Math.floor(ctx.now() / 1000);
  const names: SftpName[] = entries.map((e) => {
    const [owner, group] = ownerName(ctx, e.stats);
    return { filename: e.name, longname: longName(e.name, e.stats, owner, group, now), attrs: attrsFromStats(e.stats) };
  });
  return { kind: 'name', id, names };
}

/** Closes a handle already taken out of the table, with OpenSSH's log line. */
export async function closeHandle(ctx: ServeContext, h: OpenHandle): Promise<void> {
  switch (h.kind) {
    case 'file':
      ctx.log.verbose(`close "${h.path}" bytes read ${h.bytesRead} written ${h.bytesWritten}`);
      return h.file.close();
    case 'dir':
      ctx.log.verbose(`closedir "${h.path}"`);
      return h.dir.close();
    default:
      return assertNever(h);
  }
}
