// The two file systems a glob runs over: the remote one through SFTP (READDIR's attributes, STAT for links and
// plain names) and the local one through node:fs.
import { readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { S_IFDIR, S_IFLNK, S_IFMT, type SftpAttrs, type SftpClient } from '@tssh/ssh-protocol/sftp';
import { isSessionLost } from './error-text.js';
import { expandGlob, type GlobFs, type GlobMatch } from './glob.js';

/** Remote matches carry the attributes STAT (or READDIR) gave. */
export type RemoteMatch = GlobMatch<SftpAttrs>;
export type LocalMatch = GlobMatch<Stats>;

export const isRemoteDir = (a: SftpAttrs): boolean => a.permissions !== undefined && (a.permissions & S_IFMT) === S_IFDIR;

function remoteFs(client: SftpClient): GlobFs<SftpAttrs> {
  // Only a lost session is an error here; an unreadable directory or a missing file just does not match.
  const quiet = <T>(e: unknown): T | undefined => {
    if (isSessionLost(e)) throw e;
    return undefined;
  };
  return {
    list: (dir) =>
      client.listDirectory(dir).then(
        (names) => names.map((n) => ({ name: n.filename, stat: n.attrs })),
        (e: unknown) => quiet(e),
      ),
    stat: (path) => client.stat(path).then((a) => a, (e: unknown) => quiet(e)),
    isLink: (a) => a.permissions === undefined || (a.permissions & S_IFMT) === S_IFLNK,
  };
}

const localFs: GlobFs<Stats> = {
  list: async (dir) => {
    try {
      const names = await readdir(dir);
      const out = [];
      for (const name of names) {
        const st = await stat(`${dir}/${name}`).catch(() => undefined);
        if (st) out.push({ name, stat: st });
      }
      return out;
    } catch {
      return undefined;
    }
  },
  stat: (path) => stat(path).catch(() => undefined),
  // Entries were stat()ed, links already followed.
  isLink: () => false,
};

export function remoteGlob(client: SftpClient, pattern: string): Promise<RemoteMatch[]> {
  return expandGlob(pattern, remoteFs(client));
}

export function localGlob(pattern: string): Promise<LocalMatch[]> {
  return expandGlob(pattern, localFs);
}
