// The SftpFileSystem of node:fs/promises, optionally confined to a root directory (see sftp-root.ts).
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, opendir, readlink, rename, rmdir, stat, symlink, unlink } from 'node:fs/promises';
import type { OpenMode, SftpAttrs, SftpFileSystem, SftpOpenDir, SftpOpenFile, SftpStats, StatVfs } from '../sftp/index.js';
import { loadAccountNames } from './sftp-accounts.js';
import type { SftpAccountNames } from './sftp-accounts.js';
import { NodeOpenDir, NodeOpenFile, applyAttrs, linkTarget, pathTarget, statVfsOf, statsOf } from './sftp-files.js';
import { RootedPaths, directPaths, errnoError } from './sftp-root.js';
import type { SftpPathMap } from './sftp-root.js';

export interface NodeSftpFsOptions {
  /** Confine every path to this directory, which the client sees as "/". */
  root?: string;
  /** Names for ids and homes; the local passwd and group files when absent. */
  accounts?: SftpAccountNames;
}

/** link(2) errors after which OpenSSH falls back to a checked rename(2). */
const NO_LINKS = new Set(['EOPNOTSUPP', 'ENOTSUP', 'ENOSYS', 'EXDEV', 'EPERM']);

function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

export class NodeSftpFileSystem implements SftpFileSystem {
  private constructor(
    private readonly paths: SftpPathMap,
    private readonly accounts: SftpAccountNames,
  ) {}

  static async create(options: NodeSftpFsOptions = {}): Promise<NodeSftpFileSystem> {
    const paths = options.root === undefined ? directPaths : await RootedPaths.open(options.root);
    return new NodeSftpFileSystem(paths, options.accounts ?? (await loadAccountNames()));
  }

  async open(path: string, mode: OpenMode, attrs: SftpAttrs): Promise<SftpOpenFile> {
    const real = await this.paths.real(path, true);
    const c = constants;
    let flags = mode.read && mode.write ? c.O_RDWR : mode.write ? c.O_WRONLY : c.O_RDONLY;
    if (mode.append) flags |= c.O_APPEND;
    if (mode.create) flags |= c.O_CREAT;
    if (mode.truncate) flags |= c.O_TRUNC;
    if (mode.exclusive) flags |= c.O_EXCL;
    // Under a root the path is resolved already: a link appearing at its end now is refused, not followed.
    if (!this.paths.direct) flags |= c.O_NOFOLLOW;
    const fh = await open(real, flags, (attrs.permissions ?? 0o666) & 0o7777);
    return new NodeOpenFile(fh, real, mode.append);
  }

  async opendir(path: string): Promise<SftpOpenDir> {
    const real = await this.paths.real(path, true);
    return new NodeOpenDir(await opendir(real), real, this.paths.parent(real));
  }

  async stat(path: string): Promise<SftpStats> {
    return statsOf(await stat(await this.paths.real(path, true)));
  }

  async lstat(path: string): Promise<SftpStats> {
    return statsOf(await lstat(await this.paths.real(path, false)));
  }

  async setstat(path: string, attrs: SftpAttrs): Promise<void> {
    await applyAttrs(pathTarget(await this.paths.real(path, true)), attrs);
  }

  async lsetstat(path: string, attrs: SftpAttrs): Promise<void> {
    await applyAttrs(await linkTarget(await this.paths.real(path, false)), attrs);
  }

  async remove(path: string): Promise<void> {
    await unlink(await this.paths.real(path, false));
  }

  async mkdir(path: string, attrs: SftpAttrs): Promise<void> {
    await mkdir(await this.paths.real(path, false), (attrs.permissions ?? 0o777) & 0o7777);
  }

  async rmdir(path: string): Promise<void> {
    await rmdir(await this.paths.real(path, false));
  }

  /** §6.5 refuses to replace `newPath`; like OpenSSH, a regular file moves by link + unlink, which cannot race. */
  async rename(oldPath: string, newPath: string): Promise<void> {
    const from = await this.paths.real(oldPath, false);
    const to = await this.paths.real(newPath, false);
    if ((await lstat(from)).isFile()) {
      try {
        await link(from, to);
      } catch (e) {
        if (!NO_LINKS.has(errnoOf(e) ?? '')) throw e;
        return this.checkedRename(from, to);
      }
      try {
        await unlink(from);
      } catch (e) {
        await unlink(to).catch(() => {});
        throw e;
      }
      return;
    }
    return this.checkedRename(from, to);
  }

  private async checkedRename(from: string, to: string): Promise<void> {
    const exists = await lstat(to).then(
      () => true,
      (e: unknown) => {
        if (errnoOf(e) === 'ENOENT') return false;
        throw e;
      },
    );
    if (exists) throw errnoError('EEXIST', `${to} exists`);
    await rename(from, to);
  }

  async posixRename(oldPath: string, newPath: string): Promise<void> {
    await rename(await this.paths.real(oldPath, false), await this.paths.real(newPath, false));
  }

  async link(oldPath: string, newPath: string): Promise<void> {
    await link(await this.paths.real(oldPath, false), await this.paths.real(newPath, false));
  }

  async readlink(path: string): Promise<string> {
    return readlink(await this.paths.real(path, false));
  }

  async symlink(target: string, linkPath: string): Promise<void> {
    await symlink(target, await this.paths.real(linkPath, false));
  }

  realpath(path: string): Promise<string> {
    return this.paths.canonical(path);
  }

  async statvfs(path: string): Promise<StatVfs> {
    return statVfsOf(await this.paths.real(path, true));
  }

  async homeDirectory(user: string): Promise<string | undefined> {
    return this.accounts.homeOf(user);
  }

  userName(uid: number): string | undefined {
    return this.accounts.userName(uid);
  }

  groupName(gid: number): string | undefined {
    return this.accounts.groupName(gid);
  }
}
