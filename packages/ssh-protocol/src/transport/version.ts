import { DisconnectReason, ProtocolError, SshError } from '../wire/index.js';

// RFC 4253 §4.2: "SSH-protoversion-softwareversion SP comments CR LF", at most 255 bytes including CR LF.
// A server may send other lines first (the client shows or skips them); a client may not.

export const SOFTWARE_VERSION = 'tssh_0.1';
export const MAX_VERSION_LINE = 255;
/** Cap on the lines a server may send before its identification (OpenSSH allows 1024). */
export const MAX_PRE_BANNER_LINES = 1024;

export function identificationLine(software = SOFTWARE_VERSION, comment?: string): string {
  const line = `SSH-2.0-${software}${comment ? ` ${comment}` : ''}`;
  if (line.length + 2 > MAX_VERSION_LINE) throw new RangeError('identification line too long');
  return line;
}

export type VersionScan =
  | { kind: 'need-more'; consumed: number; preamble: string[] }
  | { kind: 'found'; version: string; consumed: number; preamble: string[] };

/**
 * Look for the peer's identification line in what has arrived so far. `isClient`: we are the client, so
 * lines before the SSH- line are tolerated and returned as `preamble`.
 */
export function scanIdentification(buf: Uint8Array, isClient: boolean, preambleSeen = 0): VersionScan {
  const preamble: string[] = [];
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0) {
      if (buf.length - start > MAX_VERSION_LINE && startsWithSsh(buf, start)) {
        throw new ProtocolError('identification line too long');
      }
      if (buf.length - start > 8192) throw new ProtocolError('banner line too long');
      return { kind: 'need-more', consumed: start, preamble };
    }
    let end = nl;
    if (end > start && buf[end - 1] === 0x0d) end--;
    const raw = buf.subarray(start, end);
    if (startsWithSsh(buf, start)) {
      if (nl + 1 - start > MAX_VERSION_LINE) throw new ProtocolError('identification line too long');
      if (raw.includes(0)) throw new ProtocolError('identification line contains a NUL byte');
      const version = String.fromCharCode(...raw);
      checkProtocolVersion(version);
      return { kind: 'found', version, consumed: nl + 1, preamble };
    }
    if (!isClient) throw new ProtocolError('Invalid SSH identification string');
    if (preambleSeen + preamble.length >= MAX_PRE_BANNER_LINES) throw new ProtocolError('too many banner lines');
    preamble.push(Buffer.from(raw).toString('utf8'));
    start = nl + 1;
  }
}

function startsWithSsh(buf: Uint8Array, at: number): boolean {
  return buf.length - at >= 4 && buf[at] === 0x53 && buf[at + 1] === 0x53 && buf[at + 2] === 0x48 && buf[at + 3] === 0x2d;
}

function checkProtocolVersion(line: string): void {
  const m = /^SSH-([^-\s]+)-(\S+)/.exec(line);
  if (!m) throw new ProtocolError(`Invalid SSH identification string: ${JSON.stringify(line.slice(0, 64))}`);
  if (m[1] !== '2.0' && m[1] !== '1.99') {
    throw new SshError(DisconnectReason.PROTOCOL_VERSION_NOT_SUPPORTED, `Protocol major versions differ: ${m[1]}`);
  }
}
