// Recursive transfers (-r), as OpenSSH's download_dir() and upload_dir(): the directory is made on the other
// side, regular files are copied, subdirectories descended into (64 levels at most), anything else is skipped
// with a message. With -p the directories get their modes and times after their contents.
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { S_IFDIR, S_IFMT, S_IFREG, type SftpAttrs } from '@tssh/ssh-protocol/sftp';
import { errorText, isSessionLost } from './error-text.js';
import { appendPath } from './remote-path.js';
import type { FileOptions, TransferContext } from './transfer-context.js';
import { getFile, putFile, setLocalDirectory } from './transfer-files.js';

const MAX_DEPTH = 64;

const isDir = (a: SftpAttrs): boolean => a.permissions !== undefined && (a.permissions & S_IFMT) === S_IFDIR;
const isRegular = (a: SftpAttrs): boolean => a.permissions !== undefined && (a.permissions & S_IFMT) === S_IFREG;

/** Downloads the directory `remote` as `local`. `announce` prints "Retrieving DIR" for each directory. */
export async function getTree(ctx: TransferContext, remote: string, local: string, o: FileOptions, announce: boolean, depth = 0): Promise<boolean> {
  if (depth >= MAX_DEPTH) {
    ctx.error(`Maximum directory depth exceeded: ${depth} levels`);
    return false;
  }
  let a: SftpAttrs;
  try {
    a = await ctx.client.stat(remote);
  } catch (e) {
    if (isSessionLost(e)) throw e;
    ctx.error(`stat remote: ${errorText(e)}`);
    return false;
  }
  if (!isDir(a)) {
    ctx.error(`download "${remote}": not a directory`);
    return false;
  }
  if (announce) ctx.say(`Retrieving ${remote}`);
  const mode = a.permissions !== undefined ? a.permissions & 0o777 : 0o777;
  try {
    await mkdir(local, { mode: mode | 0o700 });
  } catch (e) {
    const exists = await stat(local).then((s) => s.isDirectory(), () => false);
    if (!exists) {
      ctx.error(`mkdir ${local}: ${errorText(e)}`);
      return false;
    }
  }
  let entries;
  try {
    entries = await ctx.client.listDirectory(remote);
  } catch (e) {
    if (isSessionLost(e)) throw e;
    ctx.error(`remote readdir "${remote}": ${errorText(e)}`);
    return false;
  }
  let ok = true;
  for (const e of entries.sort((x, y) => (x.filename < y.filename ? -1 : 1))) {
    if (ctx.signal?.aborted) return false;
    if (e.filename === '.' || e.filename === '..') continue;
    const from = appendPath(remote, e.filename);
    const to = join(local, e.filename);
    if (isDir(e.attrs)) {
      if (!(await getTree(ctx, from, to, o, announce, depth + 1))) ok = false;
    } else if (isRegular(e.attrs)) {
      if (!(await getFile(ctx, from, to, o, e.attrs))) ok = false;
    } else {
      ctx.say(`download "${from}": not a regular file`);
    }
  }
  if (o.preserve) await setLocalDirectory(ctx, local, a);
  return ok;
}

/** Uploads the local directory `local` as `remote`. `announce` prints "Entering DIR" for each directory. */
export async function putTree(ctx: TransferContext, local: string, remote: string, o: FileOptions, announce: boolean, depth = 0): Promise<boolean> {
  if (depth >= MAX_DEPTH) {
    ctx.error(`Maximum directory depth exceeded: ${depth} levels`);
    return false;
  }
  let st;
  try {
    st = await stat(local);
  } catch (e) {
    ctx.error(`stat ${local}: ${errorText(e)}`);
    return false;
  }
  if (!st.isDirectory()) {
    ctx.error(`"${local}" is not a directory`);
    return false;
  }
  if (announce) ctx.say(`Entering ${local}`);
  const { client } = ctx;
  try {
    await client.mkdir(remote, { permissions: st.mode & 0o777 });
  } catch (e) {
    if (isSessionLost(e)) throw e;
    // An existing directory is fine (sftp checks it after the failed mkdir).
    const exists = await client.stat(remote).then(isDir, (s: unknown) => {
      if (isSessionLost(s)) throw s;
      return false;
    });
    if (!exists) {
      ctx.error(`remote mkdir "${remote}": ${errorText(e)}`);
      return false;
    }
  }
  let names;
  try {
    names = (await readdir(local, { withFileTypes: true })).sort((x, y) => (x.name < y.name ? -1 : 1));
  } catch (e) {
    ctx.error(`Unable to open directory "${local}": ${errorText(e)}`);
    return false;
  }
  let ok = true;
  for (const d of names) {
    if (ctx.signal?.aborted) return false;
    const from = join(local, d.name);
    const to = appendPath(remote, d.name);
    // Symbolic links are followed, as sftp's stat() of each entry does.
    const kind = d.isSymbolicLink() ? await stat(from).then((s) => (s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other'), () => 'other') : d.isDirectory() ? 'dir' : d.isFile() ? 'file' : 'other';
    if (kind === 'dir') {
      if (!(await putTree(ctx, from, to, o, announce, depth + 1))) ok = false;
    } else if (kind === 'file') {
      if (!(await putFile(ctx, from, to, o))) ok = false;
    } else {
      ctx.say(`${from}: not a regular file`);
    }
  }
  if (o.preserve) {
    const attrs: SftpAttrs = {
      permissions: st.mode & 0o777,
      times: { atime: Math.floor(st.atimeMs / 1000), mtime: Math.floor(st.mtimeMs / 1000) },
    };
    try {
      await client.setstat(remote, attrs);
    } catch (e) {
      if (isSessionLost(e)) throw e;
      ctx.error(`remote setstat "${remote}": ${errorText(e)}`);
    }
  }
  return ok;
}
