// Typed SFTP operations over a client session: one method per request of draft-ietf-secsh-filexfer-02 §6 and per
// OpenSSH extension (PROTOCOL §4.3-4.10), each resolving with the reply's content or rejecting with the server's
// status (SftpStatusError) — the caller sees what the server said, never a raw packet.
import type { SftpAttrs } from './attrs.js';
import { SftpExtensionMissingError, SftpReplyError } from './client-errors.js';
import { SftpClientSession } from './client-session.js';
import type { SftpReply, SftpRequestBody } from './client-session.js';
import { FX, statusText } from './constants.js';
import type { FxStatus } from './constants.js';
import { decodeLimitsReply, decodeStatVfsReply, decodeUsersGroupsReply } from './extended-replies.js';
import type { SftpLimitsReply, StatVfs, UsersGroupsReply } from './extended-replies.js';
import type { ExtendedRequest } from './extended-requests.js';
import type { PreparedWrite } from './client-write-packet.js';
import type { SftpName } from './responses.js';
import { SftpStatusError } from './status-errors.js';

type ReplyOf<K extends SftpReply['kind']> = Extract<SftpReply, { kind: K }>;

/** A non-OK status as an error carrying the server's code and text (the standard text when it sent none). */
function statusError(r: ReplyOf<'status'>): SftpStatusError {
  return new SftpStatusError(r.code as FxStatus, r.message === '' ? statusText(r.code) : r.message);
}

function expect<K extends SftpReply['kind']>(r: SftpReply, kind: K, what: string): ReplyOf<K> {
  if (r.kind === kind) return r as ReplyOf<K>;
  if (r.kind === 'status') throw statusError(r);
  throw new SftpReplyError(`sftp: ${what}: expected ${kind}, got ${r.kind}`);
}

function expectOk(r: SftpReply, what: string): void {
  if (r.kind !== 'status') throw new SftpReplyError(`sftp: ${what}: expected status, got ${r.kind}`);
  if (r.code !== FX.OK) throw statusError(r);
}

/** §7: REALPATH, READLINK and expand-path answer with exactly one name. */
function oneName(r: SftpReply, what: string): string {
  const names = expect(r, 'name', what).names;
  if (names.length !== 1) throw new SftpReplyError(`sftp: ${what}: expected one name, got ${names.length}`);
  return names[0].filename;
}

export class SftpClient extends SftpClientSession {
  // ---- files (§6.3-6.4, §6.8) ---------------------------------------------------------------------

  /** §6.3: `pflags` are FXF bits; `attrs` apply when the file is created. Resolves with the handle. */
  async open(path: string, pflags: number, attrs: SftpAttrs = {}): Promise<Uint8Array> {
    return expect(await this.request({ kind: 'open', path, pflags, attrs }), 'handle', 'open').handle;
  }

  /** §6.3: closes a file or directory handle. */
  async close(handle: Uint8Array): Promise<void> {
    expectOk(await this.request({ kind: 'close', handle }), 'close');
  }

  /** §6.4: up to `length` bytes at `offset`; undefined at end of file. Fewer bytes are not the end. */
  async read(handle: Uint8Array, offset: number, length: number): Promise<Uint8Array | undefined> {
    const r = await this.request({ kind: 'read', handle, offset, length });
    if (r.kind === 'status' && r.code === FX.EOF) return undefined;
    const data = expect(r, 'data', 'read').data;
    if (data.length > length) throw new SftpReplyError(`sftp: read: asked for ${length} bytes, got ${data.length}`);
    return data;
  }

  /**
   * §6.4 READ with the data as the pieces it arrived in (a download writes them out as they are); undefined at end
   * of file. Fewer bytes than asked are not the end.
   */
  async readChunks(handle: Uint8Array, offset: number, length: number): Promise<Uint8Array[] | undefined> {
    const r = await this.requestChunks({ kind: 'read', handle, offset, length });
    let n = 0;
    if (Array.isArray(r)) {
      for (const c of r) n += c.length;
    } else {
      if (r.kind === 'status' && r.code === FX.EOF) return undefined;
      const data = expect(r, 'data', 'read').data;
      n = data.length;
      if (n <= length) return [data];
    }
    if (n > length) throw new SftpReplyError(`sftp: read: asked for ${length} bytes, got ${n}`);
    return r as Uint8Array[];
  }

  /** §6.4 */
  async write(handle: Uint8Array, offset: number, data: Uint8Array): Promise<void> {
    expectOk(await this.request({ kind: 'write', handle, offset, data }), 'write');
  }

  /** §6.4: WRITE of the first `n` bytes a caller put in `w.data`, at `offset`; the packet is sent as it is. */
  /** `released`: called once nothing refers to the packet's memory any more (it may then be used again). */
  async writePrepared(w: PreparedWrite, offset: number, n: number, released?: () => void): Promise<void> {
    expectOk(await this.requestEncoded((id) => w.finish(id, offset, n), released), 'write');
  }

  /** §6.8: follows symbolic links. */
  async stat(path: string): Promise<SftpAttrs> {
    return expect(await this.request({ kind: 'stat', path }), 'attrs', 'stat').attrs;
  }

  /** §6.8: about the link itself. */
  async lstat(path: string): Promise<SftpAttrs> {
    return expect(await this.request({ kind: 'lstat', path }), 'attrs', 'lstat').attrs;
  }

  async fstat(handle: Uint8Array): Promise<SftpAttrs> {
    return expect(await this.request({ kind: 'fstat', handle }), 'attrs', 'fstat').attrs;
  }

  /** §6.9 */
  async setstat(path: string, attrs: SftpAttrs): Promise<void> {
    expectOk(await this.request({ kind: 'setstat', path, attrs }), 'setstat');
  }

  async fsetstat(handle: Uint8Array, attrs: SftpAttrs): Promise<void> {
    expectOk(await this.request({ kind: 'fsetstat', handle, attrs }), 'fsetstat');
  }

  // ---- directories (§6.5-6.7) ---------------------------------------------------------------------

  async opendir(path: string): Promise<Uint8Array> {
    return expect(await this.request({ kind: 'opendir', path }), 'handle', 'opendir').handle;
  }

  /** §6.7: the next names; undefined at the end of the directory. */
  async readdir(handle: Uint8Array): Promise<SftpName[] | undefined> {
    const r = await this.request({ kind: 'readdir', handle });
    if (r.kind === 'status' && r.code === FX.EOF) return undefined;
    return expect(r, 'name', 'readdir').names;
  }

  /** Every entry of a directory (OPENDIR, READDIR to the end, CLOSE), "." and ".." included as the server sends them. */
  async listDirectory(path: string): Promise<SftpName[]> {
    const handle = await this.opendir(path);
    const out: SftpName[] = [];
    try {
      for (let names = await this.readdir(handle); names; names = await this.readdir(handle)) out.push(...names);
    } finally {
      await this.close(handle).catch((e: Error) => this.log.debug(`sftp: closing directory ${path}: ${e.message}`));
    }
    return out;
  }

  /** §6.5 */
  async remove(path: string): Promise<void> {
    expectOk(await this.request({ kind: 'remove', path }), 'remove');
  }

  /** §6.6 */
  async mkdir(path: string, attrs: SftpAttrs = {}): Promise<void> {
    expectOk(await this.request({ kind: 'mkdir', path, attrs }), 'mkdir');
  }

  async rmdir(path: string): Promise<void> {
    expectOk(await this.request({ kind: 'rmdir', path }), 'rmdir');
  }

  // ---- names (§6.5, §6.10, §6.11) -----------------------------------------------------------------

  /** §6.11: the canonical absolute form of `path` ("." is the session's directory). */
  async realpath(path: string): Promise<string> {
    return oneName(await this.request({ kind: 'realpath', path }), 'realpath');
  }

  /**
   * §6.5 RENAME fails when `newPath` exists; with `posix` the rename replaces it (posix-rename@openssh.com,
   * PROTOCOL §4.3), which is used whenever the server advertises it unless `posix` is false.
   */
  async rename(oldPath: string, newPath: string, posix?: boolean): Promise<void> {
    if (posix === true && !this.supports('posix-rename@openssh.com')) {
      throw new SftpExtensionMissingError('posix-rename@openssh.com');
    }
    if (posix !== false && this.supports('posix-rename@openssh.com')) {
      return this.extendedOk({ kind: 'posix-rename@openssh.com', oldPath, newPath });
    }
    expectOk(await this.request({ kind: 'rename', oldPath, newPath }), 'rename');
  }

  /** §6.10 */
  async readlink(path: string): Promise<string> {
    return oneName(await this.request({ kind: 'readlink', path }), 'readlink');
  }

  /** §6.10 in OpenSSH's argument order (PROTOCOL §4.1): a link at `link` pointing to `target`. */
  async symlink(target: string, link: string): Promise<void> {
    expectOk(await this.request({ kind: 'symlink', target, link }), 'symlink');
  }

  // ---- OpenSSH extensions (PROTOCOL §4.4-4.10) ----------------------------------------------------

  /** §4.4 */
  async statvfs(path: string): Promise<StatVfs> {
    return decodeStatVfsReply(await this.extendedReply({ kind: 'statvfs@openssh.com', path }));
  }

  async fstatvfs(handle: Uint8Array): Promise<StatVfs> {
    return decodeStatVfsReply(await this.extendedReply({ kind: 'fstatvfs@openssh.com', handle }));
  }

  /** §4.5: link(2), a new name `newPath` for `oldPath`. */
  hardlink(oldPath: string, newPath: string): Promise<void> {
    return this.extendedOk({ kind: 'hardlink@openssh.com', oldPath, newPath });
  }

  /** §4.6 */
  fsync(handle: Uint8Array): Promise<void> {
    return this.extendedOk({ kind: 'fsync@openssh.com', handle });
  }

  /** §4.7: setstat on a symbolic link itself. */
  lsetstat(path: string, attrs: SftpAttrs): Promise<void> {
    return this.extendedOk({ kind: 'lsetstat@openssh.com', path, attrs });
  }

  /** §4.8: the server's limits; 0 means no specific limit. */
  async limits(): Promise<SftpLimitsReply> {
    return decodeLimitsReply(await this.extendedReply({ kind: 'limits@openssh.com' }));
  }

  /** §4.9: REALPATH with "~" and "~user" expanded. */
  async expandPath(path: string): Promise<string> {
    return oneName(await this.extended({ kind: 'expand-path@openssh.com', path }), 'expand-path');
  }

  /** draft-ietf-secsh-filexfer-extensions-00 §7: copies on the server; `length` 0 copies to the end. */
  copyData(
    readHandle: Uint8Array,
    readOffset: number,
    length: number,
    writeHandle: Uint8Array,
    writeOffset: number,
  ): Promise<void> {
    return this.extendedOk({ kind: 'copy-data', readHandle, readOffset, length, writeHandle, writeOffset });
  }

  /** draft-ietf-secsh-filexfer-extensions-00 §5: a user's home directory ("" for the session's user). */
  async homeDirectory(username = ''): Promise<string> {
    return oneName(await this.extended({ kind: 'home-directory', username }), 'home-directory');
  }

  /** PROTOCOL §4.12: user and group names for ids, in order ("" where the server knows none). */
  async usersGroupsById(uids: number[], gids: number[]): Promise<UsersGroupsReply> {
    const reply = decodeUsersGroupsReply(await this.extendedReply({ kind: 'users-groups-by-id@openssh.com', uids, gids }));
    if (reply.users.length !== uids.length || reply.groups.length !== gids.length) {
      throw new SftpReplyError('sftp: users-groups-by-id: names do not match the ids asked for');
    }
    return reply;
  }

  /** Sends an extended request the server advertised; otherwise fails without asking. */
  async extended(x: Exclude<ExtendedRequest, { kind: 'unknown' }>): Promise<SftpReply> {
    if (!this.supports(x.kind)) throw new SftpExtensionMissingError(x.kind);
    return this.request({ kind: 'extended', request: x } satisfies SftpRequestBody);
  }

  private async extendedOk(x: Exclude<ExtendedRequest, { kind: 'unknown' }>): Promise<void> {
    expectOk(await this.extended(x), x.kind);
  }

  private async extendedReply(x: Exclude<ExtendedRequest, { kind: 'unknown' }>): Promise<Uint8Array> {
    return expect(await this.extended(x), 'extended-reply', x.kind).data;
  }
}
