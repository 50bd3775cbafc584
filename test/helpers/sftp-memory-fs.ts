// An in-memory SftpFileSystem for server tests: files, directories, symbolic and hard links, POSIX-like errors,
// and a hook that runs before every operation (to delay it, count concurrency or fail it).
import type {
  OpenMode,
  SftpAttrs,
  SftpDirEntry,
  SftpFileSystem,
  SftpOpenDir,
  SftpOpenFile,
  SftpStats,
  StatVfs,
} from '@tssh/ssh-protocol/sftp';

interface Meta {
  mode: number;
  uid: number;
  gid: number;
  atime: number;
  mtime: number;
}
type MemNode =
  | (Meta & { kind: 'file'; data: Uint8Array; size: number })
  | (Meta & { kind: 'dir'; children: Map<string, MemNode> })
  | (Meta & { kind: 'link'; target: string });

const err = (code: string, what: string): Error => Object.assign(new Error(`${code}: ${what}`), { code });
const nowSec = (): number => Math.floor(Date.now() / 1000);

export interface MemoryFsOptions {
  /** Runs before each operation, named as the interface method ('read', 'write', 'stat', ...). */
  hook?: (op: string) => Promise<void> | void;
  uid?: number;
  gid?: number;
}

export class MemoryFs implements SftpFileSystem {
  readonly root: MemNode & { kind: 'dir' };
  /** Open files and directories right now. */
  openCount = 0;

  constructor(private readonly o: MemoryFsOptions = {}) {
    this.root = { kind: 'dir', children: new Map(), ...this.meta(0o40755) };
  }

  private meta(mode: number): Meta {
    const t = nowSec();
    return { mode, uid: this.o.uid ?? 1000, gid: this.o.gid ?? 1000, atime: t, mtime: t };
  }

  private async op(name: string): Promise<void> {
    await this.o.hook?.(name);
  }

  // ---- helpers for tests --------------------------------------------------------------------------

  writeFile(path: string, data: Uint8Array | string, mode = 0o644): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const { dir, name } = this.parentOf(path);
    dir.children.set(name, { kind: 'file', data: bytes.slice(), size: bytes.length, ...this.meta(0o100000 | mode) });
  }

  readFile(path: string): Uint8Array {
    const n = this.walk(path, true);
    if (n.kind !== 'file') throw err('EISDIR', path);
    return n.data.subarray(0, n.size);
  }

  mkdirp(path: string): void {
    let d = this.root;
    for (const name of path.split('/').filter(Boolean)) {
      let next = d.children.get(name);
      if (!next) d.children.set(name, (next = { kind: 'dir', children: new Map(), ...this.meta(0o40755) }));
      if (next.kind !== 'dir') throw err('ENOTDIR', path);
      d = next;
    }
  }

  exists(path: string): boolean {
    try {
      this.walk(path, false);
      return true;
    } catch {
      return false;
    }
  }

  // ---- resolution -------------------------------------------------------------------------------------

  /** The node at `path`; symbolic links on the way are followed, the last one only with `follow`. */
  private walk(path: string, follow: boolean, depth = 0): MemNode {
    if (depth > 40) throw err('ELOOP', path);
    const names = path.split('/').filter((n) => n !== '' && n !== '.');
    const stack: Array<MemNode & { kind: 'dir' }> = [this.root];
    for (let i = 0; i < names.length; i++) {
      const dir = stack[stack.length - 1];
      if (names[i] === '..') {
        if (stack.length > 1) stack.pop();
        continue;
      }
      let node = dir.children.get(names[i]);
      if (!node) throw err('ENOENT', path);
      const last = i === names.length - 1;
      if (node.kind === 'link' && (!last || follow)) {
        const base = node.target.startsWith('/') ? '' : this.pathOf(stack);
        node = this.walk(`${base}/${node.target}`, true, depth + 1);
      }
      if (last) return node;
      if (node.kind !== 'dir') throw err('ENOTDIR', path);
      stack.push(node);
    }
    return stack[stack.length - 1];
  }

  private pathOf(stack: Array<MemNode & { kind: 'dir' }>): string {
    const names: string[] = [];
    for (let i = 1; i < stack.length; i++) {
      for (const [name, n] of stack[i - 1].children) if (n === stack[i]) names.push(name);
    }
    return `/${names.join('/')}`;
  }

  private parentOf(path: string): { dir: MemNode & { kind: 'dir' }; name: string } {
    const i = path.lastIndexOf('/');
    const name = path.slice(i + 1);
    if (name === '') throw err('EEXIST', path);
    const dir = this.walk(path.slice(0, i) || '/', true);
    if (dir.kind !== 'dir') throw err('ENOTDIR', path);
    return { dir, name };
  }

  private statsOf(n: MemNode): SftpStats {
    const size = n.kind === 'file' ? n.size : n.kind === 'link' ? n.target.length : 4096;
    let nlink = 1;
    if (n.kind === 'dir') nlink = 2 + [...n.children.values()].filter((c) => c.kind === 'dir').length;
    if (n.kind === 'file') nlink = this.countLinks(this.root, n);
    return { mode: n.mode, uid: n.uid, gid: n.gid, size, atime: n.atime, mtime: n.mtime, nlink };
  }

  private countLinks(d: MemNode & { kind: 'dir' }, target: MemNode): number {
    let k = 0;
    for (const c of d.children.values()) k += c === target ? 1 : c.kind === 'dir' ? this.countLinks(c, target) : 0;
    return k;
  }

  private apply(n: MemNode, a: SftpAttrs): void {
    if (a.size !== undefined) {
      if (n.kind !== 'file') throw err('EISDIR', 'truncate');
      resize(n, a.size);
    }
    if (a.permissions !== undefined) n.mode = (n.mode & ~0o7777) | (a.permissions & 0o7777);
    if (a.times !== undefined) [n.atime, n.mtime] = [a.times.atime, a.times.mtime];
    if (a.owner !== undefined) [n.uid, n.gid] = [a.owner.uid, a.owner.gid];
  }

  // ---- SftpFileSystem ---------------------------------------------------------------------------------

  async open(path: string, mode: OpenMode, attrs: SftpAttrs): Promise<SftpOpenFile> {
    await this.op('open');
    let node: MemNode | undefined;
    try {
      node = this.walk(path, true);
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT' || !mode.create) throw e;
    }
    if (node && mode.create && mode.exclusive) throw err('EEXIST', path);
    if (!node) {
      const { dir, name } = this.parentOf(path);
      node = { kind: 'file', data: new Uint8Array(0), size: 0, ...this.meta(0o100000 | ((attrs.permissions ?? 0o666) & 0o7777)) };
      dir.children.set(name, node);
    }
    if (node.kind !== 'file') throw err('EISDIR', path);
    if (mode.truncate) resize(node, 0);
    this.openCount++;
    return new MemFile(this, node, mode.append);
  }

  async opendir(path: string): Promise<SftpOpenDir> {
    await this.op('opendir');
    const n = this.walk(path, true);
    if (n.kind !== 'dir') throw err('ENOTDIR', path);
    this.openCount++;
    const entries: SftpDirEntry[] = [...n.children].map(([name, c]) => ({ name, stats: this.statsOf(c) }));
    return {
      read: async (max) => {
        await this.op('readdir');
        return entries.splice(0, max);
      },
      close: async () => {
        this.openCount--;
      },
    };
  }

  async stat(path: string): Promise<SftpStats> {
    await this.op('stat');
    return this.statsOf(this.walk(path, true));
  }

  async lstat(path: string): Promise<SftpStats> {
    await this.op('lstat');
    return this.statsOf(this.walk(path, false));
  }

  async setstat(path: string, attrs: SftpAttrs): Promise<void> {
    await this.op('setstat');
    this.apply(this.walk(path, true), attrs);
  }

  async lsetstat(path: string, attrs: SftpAttrs): Promise<void> {
    await this.op('lsetstat');
    this.apply(this.walk(path, false), attrs);
  }

  async remove(path: string): Promise<void> {
    await this.op('remove');
    const { dir, name } = this.parentOf(path);
    const n = dir.children.get(name);
    if (!n) throw err('ENOENT', path);
    if (n.kind === 'dir') throw err('EISDIR', path);
    dir.children.delete(name);
  }

  async mkdir(path: string, attrs: SftpAttrs): Promise<void> {
    await this.op('mkdir');
    const { dir, name } = this.parentOf(path);
    if (dir.children.has(name)) throw err('EEXIST', path);
    dir.children.set(name, { kind: 'dir', children: new Map(), ...this.meta(0o40000 | ((attrs.permissions ?? 0o777) & 0o7777)) });
  }

  async rmdir(path: string): Promise<void> {
    await this.op('rmdir');
    const { dir, name } = this.parentOf(path);
    const n = dir.children.get(name);
    if (!n) throw err('ENOENT', path);
    if (n.kind !== 'dir') throw err('ENOTDIR', path);
    if (n.children.size > 0) throw err('ENOTEMPTY', path);
    dir.children.delete(name);
  }

  async rename(oldPath: string, newPath: string): Promise<void> {
    await this.op('rename');
    this.move(oldPath, newPath, false);
  }

  async posixRename(oldPath: string, newPath: string): Promise<void> {
    await this.op('posixRename');
    this.move(oldPath, newPath, true);
  }

  private move(oldPath: string, newPath: string, replace: boolean): void {
    const from = this.parentOf(oldPath);
    const n = from.dir.children.get(from.name);
    if (!n) throw err('ENOENT', oldPath);
    const to = this.parentOf(newPath);
    if (to.dir.children.has(to.name) && !replace) throw err('EEXIST', newPath);
    from.dir.children.delete(from.name);
    to.dir.children.set(to.name, n);
  }

  async link(oldPath: string, newPath: string): Promise<void> {
    await this.op('link');
    const n = this.walk(oldPath, false);
    if (n.kind === 'dir') throw err('EPERM', oldPath);
    const to = this.parentOf(newPath);
    if (to.dir.children.has(to.name)) throw err('EEXIST', newPath);
    to.dir.children.set(to.name, n);
  }

  async readlink(path: string): Promise<string> {
    await this.op('readlink');
    const n = this.walk(path, false);
    if (n.kind !== 'link') throw err('EINVAL', path);
    return n.target;
  }

  async symlink(target: string, linkPath: string): Promise<void> {
    await this.op('symlink');
    const { dir, name } = this.parentOf(linkPath);
    if (dir.children.has(name)) throw err('EEXIST', linkPath);
    dir.children.set(name, { kind: 'link', target, ...this.meta(0o120777) });
  }

  async realpath(path: string): Promise<string> {
    await this.op('realpath');
    // Like sftp_realpath(): the last component may be missing, not a directory on the way.
    if (!this.exists(path)) this.parentOf(path);
    return path;
  }

  async statvfs(): Promise<StatVfs> {
    await this.op('statvfs');
    return { bsize: 4096n, frsize: 4096n, blocks: 1000n, bfree: 600n, bavail: 500n, files: 100n, ffree: 50n, favail: 50n, fsid: 7n, flag: 0n, namemax: 255n };
  }

  async homeDirectory(user: string): Promise<string | undefined> {
    return user === 'alice' ? '/home/alice' : undefined;
  }

  userName(uid: number): string | undefined {
    return uid === 1000 ? 'alice' : undefined;
  }

  groupName(gid: number): string | undefined {
    return gid === 1000 ? 'staff' : undefined;
  }

  /** @internal for MemFile */
  async hook(op: string): Promise<void> {
    await this.op(op);
  }
}

function resize(n: MemNode & { kind: 'file' }, size: number): void {
  if (size > n.data.length) {
    const d = new Uint8Array(Math.max(size, n.data.length * 2));
    d.set(n.data.subarray(0, n.size));
    n.data = d;
  } else if (size < n.size) {
    n.data.fill(0, size, n.size);
  }
  n.size = size;
}

class MemFile implements SftpOpenFile {
  constructor(
    private readonly fs: MemoryFs,
    private readonly node: MemNode & { kind: 'file' },
    private readonly append: boolean,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    await this.fs.hook('read');
    const n = this.node;
    return n.data.slice(Math.min(offset, n.size), Math.min(offset + length, n.size));
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    await this.fs.hook('write');
    const at = this.append ? this.node.size : offset;
    if (at + data.length > this.node.size) resize(this.node, at + data.length);
    this.node.data.set(data, at);
    this.node.mtime = nowSec();
  }

  async stat(): Promise<SftpStats> {
    await this.fs.hook('fstat');
    const n = this.node;
    return { mode: n.mode, uid: n.uid, gid: n.gid, size: n.size, atime: n.atime, mtime: n.mtime, nlink: 1 };
  }

  async setstat(attrs: SftpAttrs): Promise<void> {
    await this.fs.hook('fsetstat');
    if (attrs.size !== undefined) resize(this.node, attrs.size);
    if (attrs.permissions !== undefined) this.node.mode = (this.node.mode & ~0o7777) | (attrs.permissions & 0o7777);
    if (attrs.times !== undefined) [this.node.atime, this.node.mtime] = [attrs.times.atime, attrs.times.mtime];
    if (attrs.owner !== undefined) [this.node.uid, this.node.gid] = [attrs.owner.uid, attrs.owner.gid];
  }

  async sync(): Promise<void> {
    await this.fs.hook('fsync');
  }

  async close(): Promise<void> {
    await this.fs.hook('close');
    this.fs.openCount--;
  }
}
