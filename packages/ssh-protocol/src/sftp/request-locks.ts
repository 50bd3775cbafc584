// What each request touches, for RequestOrder (§6.1): byte ranges of a handle, or the name space. Reads share,
// writes exclude; anything that changes names excludes every other name-space request.
import { assertNever } from '../wire/index.js';
import { FXF } from './constants.js';
import type { ExtendedRequest } from './extended-requests.js';
import { handleKey } from './handle-table.js';
import type { HandleTable } from './handle-table.js';
import { rangeLock, wholeLock } from './request-order.js';
import type { Lock } from './request-order.js';
import type { ServedRequest } from './server-operations.js';

const NAMES = 'names';
const key = (handle: Uint8Array): string => `handle:${handleKey(handle)}`;
const names = (exclusive: boolean): Lock[] => [wholeLock(NAMES, exclusive)];

export function locksFor(m: ServedRequest, handles: HandleTable): Lock[] {
  switch (m.kind) {
    case 'open':
      return names((m.pflags & (FXF.CREAT | FXF.TRUNC)) !== 0);
    case 'opendir':
    case 'stat':
    case 'lstat':
    case 'realpath':
    case 'readlink':
      return names(false);
    case 'setstat':
    case 'remove':
    case 'mkdir':
    case 'rmdir':
    case 'rename':
    case 'symlink':
      return names(true);
    case 'close':
    case 'fsetstat':
    case 'readdir':
      return [wholeLock(key(m.handle), true)];
    case 'fstat':
      return [wholeLock(key(m.handle), false)];
    case 'read':
      return [rangeLock(key(m.handle), m.offset, m.length, false)];
    case 'write': {
      // With APPEND the offset means nothing: every write goes to the end, one after the other.
      const h = handles.get(m.handle);
      if (h?.kind === 'file' && h.mode.append) return [wholeLock(key(m.handle), true)];
      return [rangeLock(key(m.handle), m.offset, m.length, true)];
    }
    case 'extended':
      return extendedLocks(m.request);
    default:
      return assertNever(m);
  }
}

function extendedLocks(x: ExtendedRequest): Lock[] {
  switch (x.kind) {
    case 'posix-rename@openssh.com':
    case 'hardlink@openssh.com':
    case 'lsetstat@openssh.com':
      return names(true);
    case 'statvfs@openssh.com':
    case 'expand-path@openssh.com':
    case 'home-directory':
      return names(false);
    case 'fstatvfs@openssh.com':
    case 'fsync@openssh.com':
      return [wholeLock(key(x.handle), false)];
    case 'copy-data': {
      const end = (offset: number): number => (x.length === 0 ? Infinity : offset + x.length);
      return [
        { key: key(x.readHandle), start: x.readOffset, end: end(x.readOffset), exclusive: false },
        { key: key(x.writeHandle), start: x.writeOffset, end: end(x.writeOffset), exclusive: true },
      ];
    }
    case 'limits@openssh.com':
    case 'users-groups-by-id@openssh.com':
    case 'unknown':
      return [];
    default:
      return assertNever(x);
  }
}
