// The lastlog database (lastlog(8), /var/log/lastlog): one fixed-size record per uid, at offset uid * size,
// with the time, terminal line and host of the last login. glibc's Linux layout: int32 time, char[32] line,
// char[256] host (292 bytes). Only read or written when the file exists, as sshd does.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

export const LASTLOG_PATH = '/var/log/lastlog';
const LINE = 32;
const HOST = 256;
const RECORD = 4 + LINE + HOST;

export interface LastLogin {
  /** Seconds since the epoch. */
  time: number;
  line: string;
  host: string;
}

function field(buf: Buffer, start: number, length: number): string {
  const raw = buf.subarray(start, start + length);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul < 0 ? length : nul).toString('utf8');
}

/** The recorded last login of `uid`; undefined when there is none or no lastlog file. */
export function readLastLogin(uid: number, path = LASTLOG_PATH): LastLogin | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const buf = Buffer.alloc(RECORD);
    const n = readSync(fd, buf, 0, RECORD, uid * RECORD);
    if (n < RECORD) return undefined;
    const time = buf.readInt32LE(0);
    if (time <= 0) return undefined;
    return { time, line: field(buf, 4, LINE), host: field(buf, 4 + LINE, HOST) };
  } finally {
    closeSync(fd);
  }
}

/** Records a login for `uid`; false when there is no lastlog file or it cannot be written (not root). */
export function writeLastLogin(uid: number, login: LastLogin, path = LASTLOG_PATH): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch {
    return false;
  }
  try {
    const buf = Buffer.alloc(RECORD);
    buf.writeInt32LE(Math.min(login.time, 0x7fffffff), 0);
    buf.write(login.line.slice(0, LINE), 4, LINE, 'utf8');
    buf.write(login.host.slice(0, HOST), 4 + LINE, HOST, 'utf8');
    writeSync(fd, buf, 0, RECORD, uid * RECORD);
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}
