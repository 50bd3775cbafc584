// What scp does in its default SFTP mode, one direction at a time: local files to a remote target (into it when it
// is a directory, which several sources require), or remote files (globbed) to a local target. Relative remote
// paths are taken from the remote home directory, and "~" and "~user" are expanded when the server can.
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { errorText, isSessionLost } from './error-text.js';
import { isRemoteDir, remoteGlob } from './glob-sources.js';
import { unescapeGlob } from './glob.js';
import { appendPath, baseName, makeAbsolute } from './remote-path.js';
import type { FileOptions, TransferContext } from './transfer-context.js';
import { getFile, putFile } from './transfer-files.js';
import { getTree, putTree } from './transfer-trees.js';

export interface ScpOptions {
  recursive: boolean;
  preserve: boolean;
}

export interface RemoteSide {
  readonly ctx: TransferContext;
  /** The remote home directory (REALPATH of "."). */
  readonly home: string;
}

const fileOptions = (o: ScpOptions): FileOptions => ({ preserve: o.preserve, resume: false, fsync: false });

/** prepare_remote_path(): "" is the home directory; "~" forms through expand-path@openssh.com when offered. */
export async function remotePath(side: RemoteSide, path: string): Promise<string> {
  const { client } = side.ctx;
  if (path === '' || path === '~') return side.home;
  if (path.startsWith('~')) {
    if (client.supports('expand-path@openssh.com')) {
      try {
        return await client.expandPath(path);
      } catch (e) {
        if (isSessionLost(e)) throw e;
        // Not expandable (no such user): let the request that follows say what is wrong.
      }
    } else if (path.startsWith('~/')) return makeAbsolute(path.slice(2), side.home);
  }
  return makeAbsolute(path, side.home);
}

async function remoteIsDir(side: RemoteSide, path: string): Promise<boolean> {
  try {
    return isRemoteDir(await side.ctx.client.stat(path));
  } catch (e) {
    if (isSessionLost(e)) throw e;
    return false;
  }
}

/** Local `sources` to the remote `target`. */
export async function copyToRemote(side: RemoteSide, sources: readonly string[], target: string, o: ScpOptions): Promise<boolean> {
  const { ctx } = side;
  const dest = await remotePath(side, target);
  const destIsDir = await remoteIsDir(side, dest);
  if (sources.length > 1 && !destIsDir) {
    ctx.error(`${dest}: Not a directory`);
    return false;
  }
  let ok = true;
  for (const src of sources) {
    let isDir: boolean;
    try {
      isDir = (await stat(src)).isDirectory();
    } catch (e) {
      ctx.error(`stat local "${src}": ${errorText(e)}`);
      ok = false;
      continue;
    }
    const to = destIsDir ? appendPath(dest, basename(src)) : dest;
    let done: boolean;
    if (isDir && o.recursive) done = await putTree(ctx, src, to, fileOptions(o), false);
    else if (isDir) {
      ctx.error(`local "${src}" is not a regular file`);
      done = false;
    } else done = await putFile(ctx, src, to, fileOptions(o));
    if (!done) {
      ctx.error(`failed to upload ${isDir && o.recursive ? 'directory' : 'file'} ${src} to ${dest}`);
      ok = false;
    }
  }
  return ok;
}

/** The remote `source` (a glob) to the local `target`; `many` says whether more sources go to the same target. */
export async function copyToLocal(side: RemoteSide, source: string, target: string, many: boolean, o: ScpOptions): Promise<boolean> {
  const { ctx } = side;
  const pattern = await remotePath(side, source);
  const matches = await remoteGlob(ctx.client, pattern);
  if (matches.length === 0) {
    ctx.error(`${unescapeGlob(source === '' ? '.' : source)}: No such file or directory`);
    return false;
  }
  const targetIsDir = await stat(target).then((s) => s.isDirectory(), () => false);
  if ((many || matches.length > 1) && !targetIsDir) {
    const exists = await stat(target).then(() => true, () => false);
    ctx.error(`${target}: ${exists ? 'Not a directory' : 'No such file or directory'}`);
    return false;
  }
  let ok = true;
  for (const m of matches) {
    const to = targetIsDir ? join(target, baseName(m.path)) : target;
    let done: boolean;
    if (isRemoteDir(m.stat) && o.recursive) done = await getTree(ctx, m.path, to, fileOptions(o), false);
    else if (isRemoteDir(m.stat)) {
      ctx.error(`download ${m.path}/: not a regular file`);
      done = false;
    } else done = await getFile(ctx, m.path, to, fileOptions(o), m.stat);
    if (!done) ok = false;
  }
  return ok;
}
