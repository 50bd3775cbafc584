// get, reget, put and reput: the source is globbed (remotely for get, locally for put), each match goes to the
// destination, or into it when it is a directory (required when there are several), directories only with -r.
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { TransferFlags } from './commands.js';
import { errorText, isSessionLost } from './error-text.js';
import { isRemoteDir, localGlob, remoteGlob } from './glob-sources.js';
import { hasGlobMagic, unescapeGlob } from './glob.js';
import { appendPath, baseName, makeAbsolute } from './remote-path.js';
import type { SessionState } from './session-state.js';
import { getFile, putFile } from './transfer-files.js';
import { getTree, putTree } from './transfer-trees.js';

const localIsDir = (path: string): Promise<boolean> => stat(path).then((s) => s.isDirectory(), () => false);

export async function getCommand(s: SessionState, source: string, target: string | undefined, flags: TransferFlags): Promise<boolean> {
  const pattern = makeAbsolute(source, s.cwd);
  const matches = await remoteGlob(s.client, pattern);
  if (matches.length === 0) {
    s.error(`File "${unescapeGlob(pattern)}" not found.`);
    return false;
  }
  const targetIsDir = target !== undefined && (await localIsDir(target));
  if (matches.length > 1 && target !== undefined && !targetIsDir) {
    s.error(`Multiple source paths, but destination "${target}" is not a directory`);
    return false;
  }
  const ctx = s.transfers();
  const o = { preserve: flags.preserve, resume: flags.resume, fsync: flags.fsync };
  let ok = true;
  for (const m of matches) {
    if (ctx.signal?.aborted) return false;
    const name = baseName(m.path);
    const local = target === undefined ? name : matches.length === 1 && !targetIsDir ? target : join(target, name);
    if (!s.quiet) s.print(`${flags.resume ? 'Resuming' : 'Fetching'} ${m.path} to ${local}`);
    const dir = isRemoteDir(m.stat);
    if (dir && flags.recursive) {
      if (!(await getTree(ctx, m.path, local, o, true))) ok = false;
    } else if (dir) {
      s.error(`download ${m.path}/: not a regular file`);
      ok = false;
    } else if (!(await getFile(ctx, m.path, local, o, m.stat))) ok = false;
  }
  return ok;
}

async function remoteIsDir(s: SessionState, path: string): Promise<boolean> {
  try {
    return isRemoteDir(await s.client.stat(path));
  } catch (e) {
    if (isSessionLost(e)) throw e;
    return false;
  }
}

export async function putCommand(s: SessionState, source: string, target: string | undefined, flags: TransferFlags): Promise<boolean> {
  const found = await localGlob(source);
  // As glob(3) with GLOB_NOCHECK: a plain name that matched nothing is tried as it is, and fails on its stat.
  const paths = found.length > 0 ? found.map((m) => m.path) : hasGlobMagic(source) ? [] : [unescapeGlob(source)];
  if (paths.length === 0) {
    s.error(`File "${source}" not found.`);
    return false;
  }
  const dest = target === undefined ? undefined : makeAbsolute(target, s.cwd);
  const destIsDir = dest === undefined ? true : await remoteIsDir(s, dest);
  if (paths.length > 1 && dest !== undefined && !destIsDir) {
    s.error(`Multiple paths match, but destination "${dest}" is not a directory`);
    return false;
  }
  const ctx = s.transfers();
  const o = { preserve: flags.preserve, resume: flags.resume, fsync: flags.fsync };
  let ok = true;
  for (const local of paths) {
    if (ctx.signal?.aborted) return false;
    let isDir: boolean;
    try {
      isDir = (await stat(local)).isDirectory();
    } catch (e) {
      s.error(`stat ${local}: ${errorText(e)}`);
      ok = false;
      continue;
    }
    const name = basename(local);
    const remote =
      dest === undefined ? makeAbsolute(name, s.cwd) : paths.length === 1 && !destIsDir ? dest : appendPath(dest, name);
    // A directory is named with a trailing "/", as glob(3) with GLOB_MARK gives it to sftp.
    const shown = isDir && !local.endsWith('/') ? `${local}/` : local;
    if (!s.quiet) s.print(`${flags.resume ? 'Resuming upload of' : 'Uploading'} ${shown} to ${remote}`);
    if (isDir && flags.recursive) {
      if (!(await putTree(ctx, shown, remote, o, true))) ok = false;
    } else if (isDir) {
      s.error(`local "${shown}" is not a regular file`);
      ok = false;
    } else if (!(await putFile(ctx, local, remote, o))) ok = false;
  }
  return ok;
}
