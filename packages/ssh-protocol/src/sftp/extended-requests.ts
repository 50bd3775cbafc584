// draft-ietf-secsh-filexfer-02 §8 SSH_FXP_EXTENDED request bodies: OpenSSH's (PROTOCOL §4.3-4.12) and the
// draft-ietf-secsh-filexfer-extensions-00 ones OpenSSH serves (copy-data, home-directory).
import { DecodeError, SshReader, assertNever } from '../wire/index.js';
import type { SshWriter } from '../wire/index.js';
import { readAttrs, readU64Number, writeAttrs, writeU64Number } from './attrs.js';
import type { SftpAttrs } from './attrs.js';

export type ExtendedRequest =
  | { kind: 'posix-rename@openssh.com'; oldPath: string; newPath: string }
  | { kind: 'statvfs@openssh.com'; path: string }
  | { kind: 'fstatvfs@openssh.com'; handle: Uint8Array }
  | { kind: 'hardlink@openssh.com'; oldPath: string; newPath: string }
  | { kind: 'fsync@openssh.com'; handle: Uint8Array }
  | { kind: 'lsetstat@openssh.com'; path: string; attrs: SftpAttrs }
  | { kind: 'limits@openssh.com' }
  | { kind: 'expand-path@openssh.com'; path: string }
  /** `length` 0 copies to the end of the source file. */
  | {
      kind: 'copy-data';
      readHandle: Uint8Array;
      readOffset: number;
      length: number;
      writeHandle: Uint8Array;
      writeOffset: number;
    }
  /** An empty `username` is the session's own user. */
  | { kind: 'home-directory'; username: string }
  | { kind: 'users-groups-by-id@openssh.com'; uids: number[]; gids: number[] }
  | { kind: 'unknown'; name: string; data: Uint8Array };

export type ExtendedRequestName = Exclude<ExtendedRequest['kind'], 'unknown'>;

export function extendedRequestName(x: ExtendedRequest): string {
  return x.kind === 'unknown' ? x.name : x.kind;
}

/** PROTOCOL §4.12: a `string` holding uint32 ids back to back. */
function readIdList(r: SshReader, what: string): number[] {
  const b = r.bytes();
  if (b.length % 4 !== 0) throw new DecodeError(`sftp: ${what} list of ${b.length} bytes is not a list of uint32`);
  const ids = new SshReader(b, what);
  const out: number[] = [];
  while (ids.remaining > 0) out.push(ids.u32());
  return out;
}

function idListBytes(ids: readonly number[]): Uint8Array {
  const out = new Uint8Array(ids.length * 4);
  const v = new DataView(out.buffer);
  ids.forEach((id, i) => v.setUint32(i * 4, id));
  return out;
}

/** The body after `string extended-request`; the reader must be at its start. Ends with r.end(). */
export function readExtendedRequest(name: string, r: SshReader): ExtendedRequest {
  let x: ExtendedRequest;
  switch (name) {
    case 'posix-rename@openssh.com':
    case 'hardlink@openssh.com':
      x = { kind: name, oldPath: r.string(), newPath: r.string() };
      break;
    case 'statvfs@openssh.com':
    case 'expand-path@openssh.com':
      x = { kind: name, path: r.string() };
      break;
    case 'fstatvfs@openssh.com':
    case 'fsync@openssh.com':
      x = { kind: name, handle: r.bytes() };
      break;
    case 'lsetstat@openssh.com':
      x = { kind: name, path: r.string(), attrs: readAttrs(r) };
      break;
    case 'limits@openssh.com':
      x = { kind: name };
      break;
    case 'copy-data':
      x = {
        kind: name,
        readHandle: r.bytes(),
        readOffset: readU64Number(r, 'read-from-offset'),
        length: readU64Number(r, 'read-data-length'),
        writeHandle: r.bytes(),
        writeOffset: readU64Number(r, 'write-to-offset'),
      };
      break;
    case 'home-directory':
      x = { kind: name, username: r.string() };
      break;
    case 'users-groups-by-id@openssh.com':
      x = { kind: name, uids: readIdList(r, 'uids'), gids: readIdList(r, 'gids') };
      break;
    default:
      // §8: the body of an unknown request is uninterpreted.
      return { kind: 'unknown', name, data: r.rest().slice() };
  }
  r.end();
  return x;
}

export function writeExtendedRequest(w: SshWriter, x: ExtendedRequest): void {
  w.string(extendedRequestName(x));
  switch (x.kind) {
    case 'posix-rename@openssh.com':
    case 'hardlink@openssh.com':
      w.string(x.oldPath).string(x.newPath);
      return;
    case 'statvfs@openssh.com':
    case 'expand-path@openssh.com':
      w.string(x.path);
      return;
    case 'fstatvfs@openssh.com':
    case 'fsync@openssh.com':
      w.string(x.handle);
      return;
    case 'lsetstat@openssh.com':
      writeAttrs(w.string(x.path), x.attrs);
      return;
    case 'limits@openssh.com':
      return;
    case 'copy-data':
      writeU64Number(writeU64Number(w.string(x.readHandle), x.readOffset), x.length);
      writeU64Number(w.string(x.writeHandle), x.writeOffset);
      return;
    case 'home-directory':
      w.string(x.username);
      return;
    case 'users-groups-by-id@openssh.com':
      w.string(idListBytes(x.uids)).string(idListBytes(x.gids));
      return;
    case 'unknown':
      w.raw(x.data);
      return;
    default:
      assertNever(x);
  }
}
