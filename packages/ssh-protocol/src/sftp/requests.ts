// draft-ietf-secsh-filexfer-02 §4 and §6: what a client sends, as one discriminated union. Encoders return whole
// packets (length field included); decoders take a payload as SftpFramer.next() returns it.
import { DecodeError, SshReader, assertNever, fromUtf8 } from '../wire/index.js';
import type { SshWriter } from '../wire/index.js';
import { readAttrs, readU64Number, writeAttrs, writeU64Number } from './attrs.js';
import type { SftpAttrs } from './attrs.js';
import { FXP } from './constants.js';
import { readExtendedRequest, writeExtendedRequest } from './extended-requests.js';
import type { ExtendedRequest } from './extended-requests.js';
import { finishPacket, packetWriter } from './packet-framer.js';

/** §4: `string extension_name, string extension_data` pairs of INIT and VERSION. */
export interface ExtensionPair {
  name: string;
  data: string;
}

type Id = { id: number };
export type SftpRequest =
  | { kind: 'init'; version: number; extensions: ExtensionPair[] }
  | (Id & { kind: 'open'; path: string; pflags: number; attrs: SftpAttrs })
  | (Id & { kind: 'close'; handle: Uint8Array })
  | (Id & { kind: 'read'; handle: Uint8Array; offset: number; length: number })
  | (Id & { kind: 'write'; handle: Uint8Array; offset: number; data: Uint8Array })
  | (Id & { kind: 'lstat'; path: string })
  | (Id & { kind: 'fstat'; handle: Uint8Array })
  | (Id & { kind: 'setstat'; path: string; attrs: SftpAttrs })
  | (Id & { kind: 'fsetstat'; handle: Uint8Array; attrs: SftpAttrs })
  | (Id & { kind: 'opendir'; path: string })
  | (Id & { kind: 'readdir'; handle: Uint8Array })
  | (Id & { kind: 'remove'; path: string })
  | (Id & { kind: 'mkdir'; path: string; attrs: SftpAttrs })
  | (Id & { kind: 'rmdir'; path: string })
  | (Id & { kind: 'realpath'; path: string })
  | (Id & { kind: 'stat'; path: string })
  | (Id & { kind: 'rename'; oldPath: string; newPath: string })
  | (Id & { kind: 'readlink'; path: string })
  /** OpenSSH PROTOCOL §4.1: target first, then the link (the reverse of the draft's §6.10 order). */
  | (Id & { kind: 'symlink'; target: string; link: string })
  | (Id & { kind: 'extended'; request: ExtendedRequest });

/** Every request but INIT carries an id. */
export type SftpIdRequest = Exclude<SftpRequest, { kind: 'init' }>;

const REQUEST_TYPES: ReadonlySet<number> = new Set([
  FXP.INIT,
  FXP.OPEN,
  FXP.CLOSE,
  FXP.READ,
  FXP.WRITE,
  FXP.LSTAT,
  FXP.FSTAT,
  FXP.SETSTAT,
  FXP.FSETSTAT,
  FXP.OPENDIR,
  FXP.READDIR,
  FXP.REMOVE,
  FXP.MKDIR,
  FXP.RMDIR,
  FXP.REALPATH,
  FXP.STAT,
  FXP.RENAME,
  FXP.READLINK,
  FXP.SYMLINK,
  FXP.EXTENDED,
]);

/** True for the packet types a client may send. */
export function isRequestType(type: number): boolean {
  return REQUEST_TYPES.has(type);
}

/** §4: extension pairs up to the end of the packet. */
export function readExtensionPairs(r: SshReader): ExtensionPair[] {
  const out: ExtensionPair[] = [];
  while (r.remaining > 0) out.push({ name: r.string(), data: fromUtf8(r.bytes()) });
  return out;
}

export function writeExtensionPairs(w: SshWriter, pairs: readonly ExtensionPair[]): void {
  for (const p of pairs) w.string(p.name).string(p.data);
}

export function decodeRequest(payload: Uint8Array): SftpRequest {
  const r = new SshReader(payload, 'sftp request');
  const type = r.byte();
  if (type === FXP.INIT) return { kind: 'init', version: r.u32(), extensions: readExtensionPairs(r) };
  const id = r.u32();
  let m: SftpRequest;
  switch (type) {
    case FXP.OPEN:
      m = { kind: 'open', id, path: r.string(), pflags: r.u32(), attrs: readAttrs(r) };
      break;
    case FXP.CLOSE:
    case FXP.FSTAT:
    case FXP.READDIR: {
      const kind = type === FXP.CLOSE ? 'close' : type === FXP.FSTAT ? 'fstat' : 'readdir';
      m = { kind, id, handle: r.bytes() };
      break;
    }
    case FXP.READ:
      m = { kind: 'read', id, handle: r.bytes(), offset: readU64Number(r, 'offset'), length: r.u32() };
      break;
    case FXP.WRITE:
      m = { kind: 'write', id, handle: r.bytes(), offset: readU64Number(r, 'offset'), data: r.bytes() };
      break;
    case FXP.LSTAT:
    case FXP.OPENDIR:
    case FXP.REMOVE:
    case FXP.RMDIR:
    case FXP.REALPATH:
    case FXP.STAT:
    case FXP.READLINK:
      m = { kind: PATH_KINDS[type as keyof typeof PATH_KINDS], id, path: r.string() };
      break;
    case FXP.SETSTAT:
      m = { kind: 'setstat', id, path: r.string(), attrs: readAttrs(r) };
      break;
    case FXP.FSETSTAT:
      m = { kind: 'fsetstat', id, handle: r.bytes(), attrs: readAttrs(r) };
      break;
    case FXP.MKDIR:
      m = { kind: 'mkdir', id, path: r.string(), attrs: readAttrs(r) };
      break;
    case FXP.RENAME:
      m = { kind: 'rename', id, oldPath: r.string(), newPath: r.string() };
      break;
    case FXP.SYMLINK:
      m = { kind: 'symlink', id, target: r.string(), link: r.string() };
      break;
    case FXP.EXTENDED:
      return { kind: 'extended', id, request: readExtendedRequest(r.string(), r) };
    default:
      throw new DecodeError(`sftp: packet type ${type} is not a request`);
  }
  r.end();
  return m;
}

const PATH_KINDS = {
  [FXP.LSTAT]: 'lstat',
  [FXP.OPENDIR]: 'opendir',
  [FXP.REMOVE]: 'remove',
  [FXP.RMDIR]: 'rmdir',
  [FXP.REALPATH]: 'realpath',
  [FXP.STAT]: 'stat',
  [FXP.READLINK]: 'readlink',
} as const;

export function encodeRequest(m: SftpRequest): Uint8Array {
  if (m.kind === 'init') {
    const w = packetWriter(FXP.INIT).u32(m.version);
    writeExtensionPairs(w, m.extensions);
    return finishPacket(w);
  }
  const w = packetWriter(requestType(m), m.kind === 'write' ? 64 + m.data.length : 64).u32(m.id);
  switch (m.kind) {
    case 'open':
      writeAttrs(w.string(m.path).u32(m.pflags), m.attrs);
      break;
    case 'close':
    case 'fstat':
    case 'readdir':
      w.string(m.handle);
      break;
    case 'read':
      writeU64Number(w.string(m.handle), m.offset).u32(m.length);
      break;
    case 'write':
      writeU64Number(w.string(m.handle), m.offset).string(m.data);
      break;
    case 'lstat':
    case 'opendir':
    case 'remove':
    case 'rmdir':
    case 'realpath':
    case 'stat':
    case 'readlink':
      w.string(m.path);
      break;
    case 'setstat':
    case 'mkdir':
      writeAttrs(w.string(m.path), m.attrs);
      break;
    case 'fsetstat':
      writeAttrs(w.string(m.handle), m.attrs);
      break;
    case 'rename':
      w.string(m.oldPath).string(m.newPath);
      break;
    case 'symlink':
      w.string(m.target).string(m.link);
      break;
    case 'extended':
      writeExtendedRequest(w, m.request);
      break;
    default:
      assertNever(m);
  }
  return finishPacket(w);
}

function requestType(m: SftpIdRequest): number {
  switch (m.kind) {
    case 'open':
      return FXP.OPEN;
    case 'close':
      return FXP.CLOSE;
    case 'read':
      return FXP.READ;
    case 'write':
      return FXP.WRITE;
    case 'lstat':
      return FXP.LSTAT;
    case 'fstat':
      return FXP.FSTAT;
    case 'setstat':
      return FXP.SETSTAT;
    case 'fsetstat':
      return FXP.FSETSTAT;
    case 'opendir':
      return FXP.OPENDIR;
    case 'readdir':
      return FXP.READDIR;
    case 'remove':
      return FXP.REMOVE;
    case 'mkdir':
      return FXP.MKDIR;
    case 'rmdir':
      return FXP.RMDIR;
    case 'realpath':
      return FXP.REALPATH;
    case 'stat':
      return FXP.STAT;
    case 'rename':
      return FXP.RENAME;
    case 'readlink':
      return FXP.READLINK;
    case 'symlink':
      return FXP.SYMLINK;
    case 'extended':
      return FXP.EXTENDED;
    default:
      return assertNever(m);
  }
}
