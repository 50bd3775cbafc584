// Bodies of SSH_FXP_EXTENDED_REPLY for OpenSSH's extensions (PROTOCOL §4.4, §4.8, §4.12).
import { SshReader, SshWriter } from '../wire/index.js';

/** PROTOCOL §4.4: statvfs(3) fields, each a uint64. */
export interface StatVfs {
  bsize: bigint;
  frsize: bigint;
  blocks: bigint;
  bfree: bigint;
  bavail: bigint;
  files: bigint;
  ffree: bigint;
  favail: bigint;
  fsid: bigint;
  /** STATVFS_FLAG bits. */
  flag: bigint;
  namemax: bigint;
}

const STATVFS_FIELDS = [
  'bsize',
  'frsize',
  'blocks',
  'bfree',
  'bavail',
  'files',
  'ffree',
  'favail',
  'fsid',
  'flag',
  'namemax',
] as const satisfies ReadonlyArray<keyof StatVfs>;

export function encodeStatVfsReply(s: StatVfs): Uint8Array {
  const w = new SshWriter(88);
  for (const f of STATVFS_FIELDS) w.u64(s[f]);
  return w.toBytes();
}

export function decodeStatVfsReply(data: Uint8Array): StatVfs {
  const r = new SshReader(data, 'statvfs reply');
  const s = {} as StatVfs;
  for (const f of STATVFS_FIELDS) s[f] = r.u64();
  r.end();
  return s;
}

/** PROTOCOL §4.8; 0 means "no specific limit". */
export interface SftpLimitsReply {
  maxPacketLength: number;
  maxReadLength: number;
  maxWriteLength: number;
  maxOpenHandles: number;
}

export function encodeLimitsReply(l: SftpLimitsReply): Uint8Array {
  const w = new SshWriter(32);
  for (const v of [l.maxPacketLength, l.maxReadLength, l.maxWriteLength, l.maxOpenHandles]) w.u64(BigInt(v));
  return w.toBytes();
}

export function decodeLimitsReply(data: Uint8Array): SftpLimitsReply {
  const r = new SshReader(data, 'limits reply');
  const n = (): number => {
    const v = r.u64();
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  };
  const l = { maxPacketLength: n(), maxReadLength: n(), maxWriteLength: n(), maxOpenHandles: n() };
  r.end();
  return l;
}

/** PROTOCOL §4.12: names in request order, "" where an id has no name. */
export interface UsersGroupsReply {
  users: string[];
  groups: string[];
}

function nameListBody(names: readonly string[]): Uint8Array {
  const w = new SshWriter();
  for (const n of names) w.string(n);
  return w.toBytes();
}

function readNameListBody(b: Uint8Array): string[] {
  const r = new SshReader(b, 'users-groups-by-id names');
  const out: string[] = [];
  while (r.remaining > 0) out.push(r.string());
  return out;
}

export function encodeUsersGroupsReply(x: UsersGroupsReply): Uint8Array {
  return new SshWriter().string(nameListBody(x.users)).string(nameListBody(x.groups)).toBytes();
}

export function decodeUsersGroupsReply(data: Uint8Array): UsersGroupsReply {
  const r = new SshReader(data, 'users-groups-by-id reply');
  const x = { users: readNameListBody(r.bytes()), groups: readNameListBody(r.bytes()) };
  r.end();
  return x;
}
