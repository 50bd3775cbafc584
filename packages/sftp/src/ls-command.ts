// The `ls` command: a directory's entries (the working directory when no path is given), or the paths a glob
// matches, shown relative to the working directory when the path was relative.
import type { SftpAttrs } from '@tssh/ssh-protocol/sftp';
import type { LsFlags } from './commands.js';
import { errorText, isSessionLost } from './error-text.js';
import { isRemoteDir, remoteGlob } from './glob-sources.js';
import { unescapeGlob } from './glob.js';
import { columnLines, longLine, ownerNames, sortEntries, type ListEntry } from './listing.js';
import { appendPath, makeAbsolute, stripPrefix } from './remote-path.js';
import type { SessionState } from './session-state.js';

/** Widths are counted in bytes of UTF-8, as OpenSSH's sftp counts them (strlen). */
const chars = (s: string): number => Buffer.byteLength(s);

async function show(s: SessionState, entries: ListEntry[], flags: LsFlags, widest: number): Promise<void> {
  sortEntries(entries, flags);
  if (flags.long) {
    const names = await ownerNames(s.client, entries.map((e) => e.attrs), flags.numeric);
    const now = Math.floor(Date.now() / 1000);
    for (const e of entries) s.print(longLine(e, names, flags.human, now));
    return;
  }
  for (const line of columnLines(entries.map((e) => e.display), widest, s.width(), flags.single)) s.print(line);
}

/** Lists the directory `dir`; names are shown as `dir/name` stripped of `strip`. */
async function listDirectory(s: SessionState, dir: string, strip: string | undefined, flags: LsFlags): Promise<boolean> {
  let names;
  try {
    names = await s.client.listDirectory(dir);
  } catch (e) {
    if (isSessionLost(e)) throw e;
    s.error(`Couldn't read directory: ${errorText(e)}`);
    return false;
  }
  const shown = names.filter((n) => flags.all || !n.filename.startsWith('.'));
  const entries = shown.map((n) => ({ display: stripPrefix(appendPath(dir, n.filename), strip), name: n.filename, attrs: n.attrs }));
  const widest = Math.max(0, ...shown.map((n) => chars(n.filename))) + chars(stripPrefix(dir, strip));
  await show(s, entries, flags, widest);
  return true;
}

export async function lsCommand(s: SessionState, path: string | undefined, flags: LsFlags): Promise<boolean> {
  if (path === undefined) return listDirectory(s, s.cwd, s.cwd, flags);
  const strip = path.startsWith('/') ? undefined : s.cwd;
  const pattern = makeAbsolute(path, s.cwd);
  const matches = await remoteGlob(s.client, pattern);
  if (matches.length === 0) {
    s.error(`Can't ls: "${unescapeGlob(pattern)}" not found`);
    return false;
  }
  // Directories are marked with a trailing "/", as glob(3) with GLOB_MARK does.
  const marked = (m: { path: string; stat: SftpAttrs }): string => (isRemoteDir(m.stat) && !m.path.endsWith('/') ? `${m.path}/` : m.path);
  if (matches.length === 1 && isRemoteDir(matches[0].stat)) return listDirectory(s, marked(matches[0]), strip, flags);
  const entries = matches.map((m) => ({ display: stripPrefix(marked(m), strip), name: marked(m), attrs: m.stat }));
  await show(s, entries, flags, Math.max(...matches.map((m) => chars(marked(m)))));
  return true;
}
