// The file system an SftpServer serves, as an async interface: the server itself does no I/O.
import type { SftpAttrs } from './attrs.js';
import type { StatVfs } from './extended-replies.js';

/** What stat(2) says about a file, in the units of §5 ATTRS (seconds, st_mode bits). */
export interface SftpStats {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  atime: number;
  mtime: number;
  nlink: number;
}

/** §6.3 pflags, decoded. */
export interface OpenMode {
  read: boolean;
  write: boolean;
  append: boolean;
  create: boolean;
  truncate: boolean;
  exclusive: boolean;
}

/** One directory entry with lstat(2) of it. */
export interface SftpDirEntry {
  name: string;
  stats: SftpStats;
}

export interface SftpOpenFile {
  /** Up to `length` bytes at `offset`; fewer only at the end of the file, none at or past it. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Writes at `offset` (at the end when opened for append); a short write is an error. */
  write(offset: number, data: Uint8Array): Promise<void>;
  /**
   * Optional: like read(), into `target` (all of it unless the file ends first); resolves with the bytes read.
   * The server reads straight into its DATA packet with it, so that each byte is copied once.
   */
  readInto?(target: Uint8Array, offset: number): Promise<number>;
  /** Optional: like write() of the parts one after the other, as one gathering write (pwritev). */
  writev?(offset: number, parts: readonly Uint8Array[]): Promise<void>;
  stat(): Promise<SftpStats>;
  setstat(attrs: SftpAttrs): Promise<void>;
  sync?(): Promise<void>;
  statvfs?(): Promise<StatVfs>;
  close(): Promise<void>;
}

export interface SftpOpenDir {
  /** Up to `max` entries; an empty array at the end of the directory. */
  read(max: number): Promise<SftpDirEntry[]>;
  close(): Promise<void>;
}

/**
 * Paths given to these methods are absolute and normalised (no `.`, `..` or empty components): the server has
 * already applied §6.2 (relative to the home directory). Link targets (`symlink`, `readlink`) are raw text.
 * Errors carry a Node-style `code` ('ENOENT', 'EACCES', ...) or are SftpStatusErrors; see status-map.ts.
 * Optional methods back the OpenSSH extensions: the server advertises only what the file system offers.
 */
export interface SftpFileSystem {
  open(path: string, mode: OpenMode, attrs: SftpAttrs): Promise<SftpOpenFile>;
  opendir(path: string): Promise<SftpOpenDir>;
  stat(path: string): Promise<SftpStats>;
  lstat(path: string): Promise<SftpStats>;
  setstat(path: string, attrs: SftpAttrs): Promise<void>;
  remove(path: string): Promise<void>;
  mkdir(path: string, attrs: SftpAttrs): Promise<void>;
  rmdir(path: string): Promise<void>;
  /** §6.5: fails when `newPath` exists. */
  rename(oldPath: string, newPath: string): Promise<void>;
  readlink(path: string): Promise<string>;
  symlink(target: string, linkPath: string): Promise<void>;
  /**
   * §6.11 with symbolic links resolved. Like OpenSSH's sftp_realpath(), the last component need not exist (a
   * client asks before creating it); a missing directory on the way is an error.
   */
  realpath(path: string): Promise<string>;

  /** rename(2), replacing `newPath`: posix-rename@openssh.com. */
  posixRename?(oldPath: string, newPath: string): Promise<void>;
  /** link(2): hardlink@openssh.com. */
  link?(oldPath: string, newPath: string): Promise<void>;
  /** setstat without following a final symbolic link: lsetstat@openssh.com. */
  lsetstat?(path: string, attrs: SftpAttrs): Promise<void>;
  statvfs?(path: string): Promise<StatVfs>;
  /** A user's home directory (home-directory, expand-path@openssh.com `~user`); undefined for no such user. */
  homeDirectory?(user: string): Promise<string | undefined>;
  /** Names for long listings and users-groups-by-id@openssh.com; undefined when unknown. */
  userName?(uid: number): string | undefined;
  groupName?(gid: number): string | undefined;
}
