// Open files and directories of the Node SFTP file system: a FileHandle or a Dir behind the sans-IO server.
import { read as readFd, writev as writevFd } from 'node:fs';
import type { Dir, Stats } from 'node:fs';
import { chmod, chown, lchown, lstat, lutimes, statfs, truncate, utimes } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { FX } from '../sftp/index.js';
import type { SftpAttrs, SftpDirEntry, SftpOpenDir, SftpOpenFile, SftpStats, StatVfs } from '../sftp/index.js';
import { SftpStatusError } from '../sftp/index.js';
import { errnoError } from './sftp-root.js';

export function statsOf(s: Stats): SftpStats {
  return {
    mode: s.mode,
    uid: s.uid,
    gid: s.gid,
    size: s.size,
    atime: Math.floor(s.atimeMs / 1000),
    mtime: Math.floor(s.mtimeMs / 1000),
    nlink: s.nlink,
  };
}

/** OpenSSH PROTOCOL §4.4 from statfs(2); Node reports neither f_frsize, f_fsid, f_flag nor f_namemax. */
export async function statVfsOf(path: string): Promise<StatVfs> {
  const s = await statfs(path, { bigint: true });
  return {
    bsize: s.bsize,
    frsize: s.bsize,
    blocks: s.blocks,
    bfree: s.bfree,
    bavail: s.bavail,
    files: s.files,
    ffree: s.ffree,
    favail: s.ffree,
    fsid: 0n,
    flag: 0n,
    namemax: 255n,
  };
}

/** The operations setstat needs, by path, by symlink-preserving path, or by open file. */
interface AttrTarget {
  truncate(size: number): Promise<void>;
  chmod(mode: number): Promise<void>;
  utimes(atime: number, mtime: number): Promise<void>;
  chown(uid: number, gid: number): Promise<void>;
}

/** §6.9 in OpenSSH's order: size, permissions, times, owner; the first failure ends it. */
export async function applyAttrs(t: AttrTarget, a: SftpAttrs): Promise<void> {
  if (a.size !== undefined) await t.truncate(a.size);
  if (a.permissions !== undefined) await t.chmod(a.permissions & 0o7777);
  if (a.times !== undefined) await t.utimes(a.times.atime, a.times.mtime);
  if (a.owner !== undefined) await t.chown(a.owner.uid, a.owner.gid);
}

export function pathTarget(path: string): AttrTarget {
  return {
    truncate: (size) => truncate(path, size),
    chmod: (mode) => chmod(path, mode),
    utimes: (atime, mtime) => utimes(path, atime, mtime),
    chown: (uid, gid) => chown(path, uid, gid),
  };
}

/** OpenSSH PROTOCOL §4.7 lsetstat: like setstat, but a final symbolic link is changed, not its target. */
export async function linkTarget(path: string): Promise<AttrTarget> {
  if (!(await lstat(path)).isSymbolicLink()) return pathTarget(path);
  return {
    // As OpenSSH: a size makes no sense for a link.
    truncate: async () => {
      throw new SftpStatusError(FX.BAD_MESSAGE);
    },
    // Linux cannot change a link's mode (fchmodat AT_SYMLINK_NOFOLLOW says EOPNOTSUPP).
    chmod: async () => {
      throw errnoError('EOPNOTSUPP', `cannot change the mode of symbolic link ${path}`);
    },
    utimes: (atime, mtime) => lutimes(path, atime, mtime),
    chown: (uid, gid) => lchown(path, uid, gid),
  };
}

/** What is left of `parts` once their first `n` bytes are written. */
function afterWritten(parts: Uint8Array[], n: number): Uint8Array[] {
  let i = 0;
  while (n >= parts[i].length) n -= parts[i++].length;
  const rest = parts.slice(i);
  rest[0] = rest[0].subarray(n);
  return rest;
}

export class NodeOpenFile implements SftpOpenFile {
  constructor(
    private readonly fh: FileHandle,
    private readonly realPath: string,
    private readonly append: boolean,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    const buf = Buffer.allocUnsafe(length);
    return buf.subarray(0, await this.readInto(buf, offset));
  }

  // The bulk of a transfer goes through readInto and writev, on the descriptor with node:fs's callback API: a
  // FileHandle's promise methods cost more per call (a promise and a request object each, on top of the same
  // libuv request).

  readInto(target: Uint8Array, offset: number): Promise<number> {
    const fd = this.fh.fd;
    return new Promise((resolve, reject) => {
      let got = 0;
      const step = (): void => {
        readFd(fd, target, got, target.length - got, offset + got, (error, n) => {
          if (error) return reject(error);
          got += n;
          // §6.4: for ordinary files, all of the length unless the file ends first.
          if (n === 0 || got === target.length) resolve(got);
          else step();
        });
      };
      step();
    });
  }

  writev(offset: number, parts: readonly Uint8Array[]): Promise<void> {
    const fd = this.fh.fd;
    let left = parts.reduce((n, p) => n + p.length, 0);
    return new Promise((resolve, reject) => {
      let rest = parts.slice();
      let position = offset;
      const step = (): void => {
        // With O_APPEND the position is ignored: write at the end (writev rather than pwritev).
        writevFd(fd, rest, this.append ? null : position, (error, n) => {
          if (error) return reject(error);
          left -= n;
          if (left === 0) return resolve();
          if (n === 0) return reject(errnoError('EIO', 'short write'));
          position += n;
          rest = afterWritten(rest, n);
          step();
        });
      };
      if (left === 0) resolve();
      else step();
    });
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    let done = 0;
    while (done < data.length) {
      // With O_APPEND the position is ignored: write at the end.
      const position = this.append ? null : offset + done;
      const { bytesWritten } = await this.fh.write(data, done, data.length - done, position);
      if (bytesWritten === 0) throw errnoError('EIO', 'short write');
      done += bytesWritten;
    }
  }

  async stat(): Promise<SftpStats> {
    return statsOf(await this.fh.stat());
  }

  setstat(attrs: SftpAttrs): Promise<void> {
    const fh = this.fh;
    return applyAttrs(
      {
        truncate: (size) => fh.truncate(size),
        chmod: (mode) => fh.chmod(mode),
        utimes: (atime, mtime) => fh.utimes(atime, mtime),
        chown: (uid, gid) => fh.chown(uid, gid),
      },
      attrs,
    );
  }

  sync(): Promise<void> {
    return this.fh.sync();
  }

  statvfs(): Promise<StatVfs> {
    return statVfsOf(this.realPath);
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

export class NodeOpenDir implements SftpOpenDir {
  /** "." and "..", which readdir(3) returns and Node's Dir leaves out; OpenSSH lists them. */
  private dots: Array<[string, string]>;

  constructor(
    private readonly dir: Dir,
    private readonly realPath: string,
    parent: string,
  ) {
    this.dots = [
      ['.', realPath],
      ['..', parent],
    ];
  }

  async read(max: number): Promise<SftpDirEntry[]> {
    const out: SftpDirEntry[] = [];
    while (out.length < max && this.dots.length > 0) {
      const [name, path] = this.dots.shift()!;
      out.push({ name, stats: statsOf(await lstat(path)) });
    }
    while (out.length < max) {
      const d = await this.dir.read();
      if (d === null) break;
      try {
        out.push({ name: d.name, stats: statsOf(await lstat(`${this.realPath.replace(/\/$/, '')}/${d.name}`)) });
      } catch {
        // Removed between readdir and lstat: it is simply not listed.
      }
    }
    return out;
  }

  close(): Promise<void> {
    return this.dir.close();
  }
}
