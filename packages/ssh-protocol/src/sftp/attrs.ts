// draft-ietf-secsh-filexfer-02 §5: the ATTRS compound type.
import { DecodeError } from '../wire/index.js';
import type { SshReader, SshWriter } from '../wire/index.js';
import { ATTR } from './constants.js';
import type { SftpStats } from './file-system.js';

export interface ExtendedAttr {
  type: string;
  data: Uint8Array;
}

/**
 * File attributes; a field that is absent was not sent. Fields the draft couples under one flag travel together
 * (`owner` is SSH_FILEXFER_ATTR_UIDGID, `times` is SSH_FILEXFER_ACMODTIME).
 */
export interface SftpAttrs {
  size?: number;
  owner?: { uid: number; gid: number };
  /** st_mode bits, type bits included when the server reports them. */
  permissions?: number;
  /** Seconds since the epoch, UTC (uint32 on the wire). */
  times?: { atime: number; mtime: number };
  extended?: ExtendedAttr[];
}

const KNOWN_FLAGS = ATTR.SIZE | ATTR.UIDGID | ATTR.PERMISSIONS | ATTR.ACMODTIME | ATTR.EXTENDED;

/** A uint64 that must fit a JavaScript number (sizes and offsets; 2^53 bytes is 8 PiB). */
export function readU64Number(r: SshReader, field: string): number {
  const v = r.u64();
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new DecodeError(`sftp: ${field} ${v} is too large`);
  return Number(v);
}

export function writeU64Number(w: SshWriter, v: number): SshWriter {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`uint64 out of range: ${v}`);
  return w.u64(BigInt(v));
}

export function readAttrs(r: SshReader): SftpAttrs {
  const flags = r.u32();
  // §5: "It is a protocol error if a packet with unsupported protocol bits is received."
  if ((flags & ~KNOWN_FLAGS) >>> 0 !== 0) {
    throw new DecodeError(`sftp: ATTRS flags 0x${flags.toString(16)} hold unknown bits`);
  }
  const a: SftpAttrs = {};
  if (flags & ATTR.SIZE) a.size = readU64Number(r, 'size');
  if (flags & ATTR.UIDGID) a.owner = { uid: r.u32(), gid: r.u32() };
  if (flags & ATTR.PERMISSIONS) a.permissions = r.u32();
  if (flags & ATTR.ACMODTIME) a.times = { atime: r.u32(), mtime: r.u32() };
  if (flags & ATTR.EXTENDED) {
    const count = r.u32();
    // Each pair takes at least 8 bytes: a count beyond that is a lie, refused before any allocation.
    if (count > r.remaining / 8) throw new DecodeError(`sftp: ATTRS claims ${count} extended pairs`);
    a.extended = [];
    for (let i = 0; i < count; i++) a.extended.push({ type: r.string(), data: r.bytes() });
  }
  return a;
}

export function attrsFlags(a: SftpAttrs): number {
  let flags = 0;
  if (a.size !== undefined) flags |= ATTR.SIZE;
  if (a.owner !== undefined) flags |= ATTR.UIDGID;
  if (a.permissions !== undefined) flags |= ATTR.PERMISSIONS;
  if (a.times !== undefined) flags |= ATTR.ACMODTIME;
  if (a.extended !== undefined) flags |= ATTR.EXTENDED;
  return flags >>> 0;
}

export function writeAttrs(w: SshWriter, a: SftpAttrs): SshWriter {
  w.u32(attrsFlags(a));
  if (a.size !== undefined) writeU64Number(w, a.size);
  if (a.owner !== undefined) w.u32(a.owner.uid).u32(a.owner.gid);
  if (a.permissions !== undefined) w.u32(a.permissions);
  if (a.times !== undefined) w.u32(a.times.atime).u32(a.times.mtime);
  if (a.extended !== undefined) {
    w.u32(a.extended.length);
    for (const e of a.extended) w.string(e.type).string(e.data);
  }
  return w;
}

/** §5 holds times as uint32 seconds: earlier than 1970 is sent as 0, after 2106 as the largest value. */
function u32Seconds(t: number): number {
  return Math.min(Math.max(Math.floor(t), 0), 0xffffffff);
}

/** Everything a v3 ATTRS can say about a file, as OpenSSH's stat_to_attrib() sends it. */
export function attrsFromStats(st: SftpStats): SftpAttrs {
  return {
    size: st.size,
    owner: { uid: st.uid, gid: st.gid },
    permissions: st.mode,
    times: { atime: u32Seconds(st.atime), mtime: u32Seconds(st.mtime) },
  };
}
