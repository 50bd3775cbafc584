// SSH_FXP_EXTENDED requests the server answers: OpenSSH PROTOCOL §4.3-4.12. §8: an unknown request gets
// SSH_FX_OP_UNSUPPORTED, and so does a known one that the file system does not back.
import { assertNever } from '../wire/index.js';
import { FX } from './constants.js';
import { encodeLimitsReply, encodeStatVfsReply, encodeUsersGroupsReply } from './extended-replies.js';
import type { ExtendedRequest, ExtendedRequestName } from './extended-requests.js';
import type { SftpFileSystem } from './file-system.js';
import { handleKey } from './handle-table.js';
import { resolvePath } from './paths.js';
import type { ExtensionPair } from './requests.js';
import type { SftpResponse } from './responses.js';
import type { ServeContext } from './server-context.js';
import { nameReply, okResponse, statusResponse } from './server-replies.js';
import { SftpStatusError } from './status-errors.js';

/** PROTOCOL §4.2: name and version of each extension, in OpenSSH's order; `needs` says what must back it. */
const EXTENSIONS: ReadonlyArray<{ name: ExtendedRequestName; version: string; needs?: keyof SftpFileSystem }> = [
  { name: 'posix-rename@openssh.com', version: '1', needs: 'posixRename' },
  { name: 'statvfs@openssh.com', version: '2', needs: 'statvfs' },
  { name: 'fstatvfs@openssh.com', version: '2', needs: 'statvfs' },
  { name: 'hardlink@openssh.com', version: '1', needs: 'link' },
  { name: 'fsync@openssh.com', version: '1' },
  { name: 'lsetstat@openssh.com', version: '1', needs: 'lsetstat' },
  { name: 'limits@openssh.com', version: '1' },
  { name: 'expand-path@openssh.com', version: '1' },
  { name: 'copy-data', version: '1' },
  { name: 'home-directory', version: '1' },
  { name: 'users-groups-by-id@openssh.com', version: '1' },
];

/** The extension pairs of SSH_FXP_VERSION for a file system. */
export function advertisedExtensions(fs: SftpFileSystem): ExtensionPair[] {
  return EXTENSIONS.filter((e) => e.needs === undefined || fs[e.needs] !== undefined).map((e) => ({
    name: e.name,
    data: e.version,
  }));
}

const unsupported = (): SftpStatusError => new SftpStatusError(FX.OP_UNSUPPORTED);

/** PROTOCOL §4.9: "~" and "~/x" are the session user's home, "~user/x" another user's. */
async function expandTilde(ctx: ServeContext, path: string): Promise<string> {
  if (!path.startsWith('~')) return path;
  const slash = path.indexOf('/');
  const user = slash < 0 ? path.slice(1) : path.slice(1, slash);
  const rest = slash < 0 ? '' : path.slice(slash + 1);
  const home = user === '' ? ctx.home : await homeOf(ctx, user);
  return rest === '' ? home : `${home}/${rest}`;
}

async function homeOf(ctx: ServeContext, user: string): Promise<string> {
  if (!ctx.fs.homeDirectory) throw unsupported();
  const home = await ctx.fs.homeDirectory(user);
  if (home === undefined) throw new SftpStatusError(FX.FAILURE, 'No such user');
  return home;
}

export async function serveExtended(ctx: ServeContext, id: number, x: ExtendedRequest): Promise<SftpResponse> {
  const { fs, log } = ctx;
  const path = (p: string): string => resolvePath(ctx.home, p);
  switch (x.kind) {
    case 'posix-rename@openssh.com': {
      if (!fs.posixRename) throw unsupported();
      const [from, to] = [path(x.oldPath), path(x.newPath)];
      log.verbose(`posix-rename old "${from}" new "${to}"`);
      await fs.posixRename(from, to);
      return okResponse(id);
    }
    case 'hardlink@openssh.com': {
      if (!fs.link) throw unsupported();
      const [from, to] = [path(x.oldPath), path(x.newPath)];
      log.verbose(`hardlink old "${from}" new "${to}"`);
      await fs.link(from, to);
      return okResponse(id);
    }
    case 'statvfs@openssh.com':
      if (!fs.statvfs) throw unsupported();
      return { kind: 'extended-reply', id, data: encodeStatVfsReply(await fs.statvfs(path(x.path))) };
    case 'fstatvfs@openssh.com': {
      const h = ctx.handles.file(x.handle);
      const st = h.file.statvfs ? await h.file.statvfs() : fs.statvfs ? await fs.statvfs(h.path) : undefined;
      if (!st) throw unsupported();
      return { kind: 'extended-reply', id, data: encodeStatVfsReply(st) };
    }
    case 'fsync@openssh.com': {
      const h = ctx.handles.file(x.handle);
      if (!h.file.sync) throw unsupported();
      await h.file.sync();
      return okResponse(id);
    }
    case 'lsetstat@openssh.com': {
      if (!fs.lsetstat) throw unsupported();
      const p = path(x.path);
      log.verbose(`lsetstat "${p}"`);
      await fs.lsetstat(p, x.attrs);
      return okResponse(id);
    }
    case 'limits@openssh.com': {
      const l = ctx.limits;
      const reply = {
        maxPacketLength: l.maxPacketLength,
        maxReadLength: l.maxReadLength,
        maxWriteLength: l.maxPacketLength - 1024,
        maxOpenHandles: l.maxOpenHandles,
      };
      return { kind: 'extended-reply', id, data: encodeLimitsReply(reply) };
    }
    case 'expand-path@openssh.com':
      return nameReply(id, await fs.realpath(path(await expandTilde(ctx, x.path))));
    case 'home-directory':
      return nameReply(id, x.username === '' ? ctx.home : await homeOf(ctx, x.username));
    case 'users-groups-by-id@openssh.com': {
      const users = x.uids.map((uid) => fs.userName?.(uid) ?? '');
      const groups = x.gids.map((gid) => fs.groupName?.(gid) ?? '');
      return { kind: 'extended-reply', id, data: encodeUsersGroupsReply({ users, groups }) };
    }
    case 'copy-data':
      return copyData(ctx, id, x);
    case 'unknown':
      log.debug(`sftp: unsupported extended request "${x.name}"`);
      throw unsupported();
    default:
      return assertNever(x);
  }
}

/** PROTOCOL §4.10: like READs from one handle and WRITEs to another; length 0 copies to the end of the file. */
async function copyData(
  ctx: ServeContext,
  id: number,
  x: Extract<ExtendedRequest, { kind: 'copy-data' }>,
): Promise<SftpResponse> {
  const from = ctx.handles.file(x.readHandle);
  const to = ctx.handles.file(x.writeHandle);
  // PROTOCOL §4.10 asks for SSH_FX_INVALID_PARAMETER, which v3 lacks: FAILURE, as OpenSSH sends.
  if (handleKey(x.readHandle) === handleKey(x.writeHandle)) {
    return statusResponse(id, FX.FAILURE, 'Source and destination are the same handle');
  }
  if (!from.mode.read || !to.mode.write) return statusResponse(id, FX.PERMISSION_DENIED);
  ctx.log.verbose(`copy-data from "${from.path}" to "${to.path}"`);
  let done = 0;
  while (x.length === 0 || done < x.length) {
    const want = x.length === 0 ? ctx.limits.copyChunk : Math.min(ctx.limits.copyChunk, x.length - done);
    const data = await from.file.read(x.readOffset + done, want);
    if (data.length === 0) break;
    await to.file.write(x.writeOffset + done, data);
    from.bytesRead += data.length;
    to.bytesWritten += data.length;
    done += data.length;
  }
  return okResponse(id);
}
