// Where the SFTP server's paths land on the real file system. Without a root they are used as they are. With a
// root (ChrootDirectory, ForceCommand internal-sftp) every path is resolved the way the kernel would inside a
// chroot: component by component, symbolic links read and followed by us, an absolute link target starting
// again at the root, ".." stopping at the root. The kernel is then handed a path with no link left to follow.
import { lstat, readlink, realpath, stat } from 'node:fs/promises';

/** Linux's MAXSYMLINKS (40), the most links one resolution follows before ELOOP. */
const MAX_LINKS = 40;

export function errnoError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

export interface SftpPathMap {
  /** The real path for a server path (absolute, normalised); `follow` resolves a final symbolic link too. */
  real(path: string, follow: boolean): Promise<string>;
  /** §6.11 REALPATH: the canonical server path (its last component may not exist yet). */
  canonical(path: string): Promise<string>;
  /** The real parent of a real path, never above the root. */
  parent(real: string): string;
  /** True when the kernel resolves links itself (no root): O_NOFOLLOW is then not wanted. */
  readonly direct: boolean;
}

/** realpath(3), except that a last component that does not exist is kept as it is (OpenSSH's sftp_realpath). */
async function canonicalDirect(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (e) {
    const i = path.lastIndexOf('/');
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || path === '/') throw e;
    const dir = await realpath(path.slice(0, i) || '/');
    return `${dir === '/' ? '' : dir}/${path.slice(i + 1)}`;
  }
}

/** No root: server paths are real paths. */
export const directPaths: SftpPathMap = {
  direct: true,
  real: async (path) => path,
  canonical: canonicalDirect,
  parent: (real) => (real === '/' ? '/' : real.slice(0, real.lastIndexOf('/')) || '/'),
};

export class RootedPaths implements SftpPathMap {
  readonly direct = false;

  private constructor(private readonly root: string) {}

  /** The root must exist; symbolic links in its own path are resolved once here. */
  static async open(root: string): Promise<RootedPaths> {
    const real = await realpath(root);
    if (!(await stat(real)).isDirectory()) throw errnoError('ENOTDIR', `${root} is not a directory`);
    return new RootedPaths(real === '/' ? '' : real);
  }

  async real(path: string, follow: boolean): Promise<string> {
    return this.toReal(await this.resolve(path, follow));
  }

  /** The walk already allows a missing last component, as sftp_realpath() does. */
  canonical(path: string): Promise<string> {
    return this.resolve(path, true);
  }

  parent(real: string): string {
    if (real === this.rootPath()) return real;
    return real.slice(0, real.lastIndexOf('/')) || '/';
  }

  private rootPath(): string {
    return this.root === '' ? '/' : this.root;
  }

  private toReal(path: string): string {
    return path === '/' ? this.rootPath() : `${this.root}${path}`;
  }

  /** The server path with every link resolved inside the root (the last one only when `follow`). */
  private async resolve(path: string, follow: boolean): Promise<string> {
    const done: string[] = [];
    const todo = path.split('/').filter((n) => n !== '');
    let links = 0;
    while (todo.length > 0) {
      const name = todo.shift()!;
      if (name === '.') continue;
      if (name === '..') {
        done.pop(); // clamped: the root's parent is the root
        continue;
      }
      const last = todo.length === 0;
      const here = `/${[...done, name].join('/')}`;
      if (last && !follow) {
        done.push(name);
        break;
      }
      let isLink: boolean;
      try {
        isLink = (await lstat(this.toReal(here))).isSymbolicLink();
      } catch (e) {
        // A name that does not exist yet may end the path (it is being created); anywhere else it is an error.
        if (last && (e as NodeJS.ErrnoException).code === 'ENOENT') {
          done.push(name);
          break;
        }
        throw e;
      }
      if (!isLink) {
        done.push(name);
        continue;
      }
      if (++links > MAX_LINKS) throw errnoError('ELOOP', `too many levels of symbolic links in ${path}`);
      const target = await readlink(this.toReal(here));
      if (target.startsWith('/')) done.length = 0;
      todo.unshift(...target.split('/').filter((n) => n !== ''));
    }
    return `/${done.join('/')}`;
  }
}
