// draft-ietf-secsh-filexfer-02 §4 and §7: what a server sends. Encoders return whole packets; decoders take a
// payload as SftpFramer.next() returns it.
import { DecodeError, SshReader, assertNever } from '../wire/index.js';
import { readAttrs, writeAttrs } from './attrs.js';
import type { SftpAttrs } from './attrs.js';
import { FXP } from './constants.js';
import { finishPacket, packetWriter } from './packet-framer.js';
import { readExtensionPairs, writeExtensionPairs } from './requests.js';
import type { ExtensionPair } from './requests.js';

/** §7 SSH_FXP_NAME entry. */
export interface SftpName {
  filename: string;
  /** `ls -l` style line; for REALPATH and READLINK, OpenSSH repeats the name here. */
  longname: string;
  attrs: SftpAttrs;
}

type Id = { id: number };
export type SftpResponse =
  | { kind: 'version'; version: number; extensions: ExtensionPair[] }
  | (Id & { kind: 'status'; code: number; message: string; language: string })
  | (Id & { kind: 'handle'; handle: Uint8Array })
  | (Id & { kind: 'data'; data: Uint8Array })
  | (Id & { kind: 'name'; names: SftpName[] })
  | (Id & { kind: 'attrs'; attrs: SftpAttrs })
  /** §8: the body is specific to the request it answers (see extended-replies.ts). */
  | (Id & { kind: 'extended-reply'; data: Uint8Array });

export function decodeResponse(payload: Uint8Array): SftpResponse {
  const r = new SshReader(payload, 'sftp response');
  const type = r.byte();
  if (type === FXP.VERSION) return { kind: 'version', version: r.u32(), extensions: readExtensionPairs(r) };
  const id = r.u32();
  let m: SftpResponse;
  switch (type) {
    case FXP.STATUS:
      m = { kind: 'status', id, code: r.u32(), message: r.string(), language: r.string() };
      break;
    case FXP.HANDLE:
      m = { kind: 'handle', id, handle: r.bytes() };
      break;
    case FXP.DATA:
      m = { kind: 'data', id, data: r.bytes() };
      break;
    case FXP.NAME: {
      const count = r.u32();
      // A name takes at least 12 bytes: refuse an impossible count before looping on it.
      if (count > r.remaining / 12) throw new DecodeError(`sftp: NAME claims ${count} entries`);
      const names: SftpName[] = [];
      for (let i = 0; i < count; i++) names.push({ filename: r.string(), longname: r.string(), attrs: readAttrs(r) });
      m = { kind: 'name', id, names };
      break;
    }
    case FXP.ATTRS:
      m = { kind: 'attrs', id, attrs: readAttrs(r) };
      break;
    case FXP.EXTENDED_REPLY:
      return { kind: 'extended-reply', id, data: r.rest().slice() };
    default:
      throw new DecodeError(`sftp: packet type ${type} is not a response`);
  }
  r.end();
  return m;
}

export function encodeResponse(m: SftpResponse): Uint8Array {
  switch (m.kind) {
    case 'version': {
      const w = packetWriter(FXP.VERSION).u32(m.version);
      writeExtensionPairs(w, m.extensions);
      return finishPacket(w);
    }
    case 'status':
      return finishPacket(packetWriter(FXP.STATUS).u32(m.id).u32(m.code).string(m.message).string(m.language));
    case 'handle':
      return finishPacket(packetWriter(FXP.HANDLE).u32(m.id).string(m.handle));
    case 'data':
      return finishPacket(packetWriter(FXP.DATA, 16 + m.data.length).u32(m.id).string(m.data));
    case 'name': {
      const w = packetWriter(FXP.NAME, 256).u32(m.id).u32(m.names.length);
      for (const n of m.names) writeAttrs(w.string(n.filename).string(n.longname), n.attrs);
      return finishPacket(w);
    }
    case 'attrs':
      return finishPacket(writeAttrs(packetWriter(FXP.ATTRS).u32(m.id), m.attrs));
    case 'extended-reply':
      return finishPacket(packetWriter(FXP.EXTENDED_REPLY, 16 + m.data.length).u32(m.id).raw(m.data));
    default:
      return assertNever(m);
  }
}
