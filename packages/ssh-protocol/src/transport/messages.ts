import { MSG, SshReader, SshWriter, type DisconnectReasonCode } from '../wire/index.js';

// RFC 4253 §11 generic transport messages, §10 service request, RFC 8308 §2.3 EXT_INFO.

export function encodeDisconnect(reason: number, description: string): Uint8Array {
  return new SshWriter(64 + description.length).byte(MSG.DISCONNECT).u32(reason).string(description).string('').toBytes();
}

export function decodeDisconnect(p: Uint8Array): { reason: DisconnectReasonCode; description: string } {
  const r = new SshReader(p, 'DISCONNECT');
  r.byte();
  const reason = r.u32() as DisconnectReasonCode;
  const description = r.string();
  r.string();
  r.end();
  return { reason, description };
}

export function encodeIgnore(data: Uint8Array): Uint8Array {
  return new SshWriter(8 + data.length).byte(MSG.IGNORE).string(data).toBytes();
}

export function decodeIgnore(p: Uint8Array): Uint8Array {
  const r = new SshReader(p, 'IGNORE');
  r.byte();
  const data = r.bytes();
  r.end();
  return data;
}

export function encodeDebug(alwaysDisplay: boolean, message: string): Uint8Array {
  return new SshWriter(16 + message.length).byte(MSG.DEBUG).boolean(alwaysDisplay).string(message).string('').toBytes();
}

export function decodeDebug(p: Uint8Array): { alwaysDisplay: boolean; message: string } {
  const r = new SshReader(p, 'DEBUG');
  r.byte();
  const alwaysDisplay = r.boolean();
  const message = r.string();
  r.string();
  r.end();
  return { alwaysDisplay, message };
}

export function encodeUnimplemented(seq: number): Uint8Array {
  return new SshWriter(5).byte(MSG.UNIMPLEMENTED).u32(seq).toBytes();
}

export function decodeUnimplemented(p: Uint8Array): number {
  const r = new SshReader(p, 'UNIMPLEMENTED');
  r.byte();
  const seq = r.u32();
  r.end();
  return seq;
}

export function encodeServiceRequest(service: string): Uint8Array {
  return new SshWriter(32).byte(MSG.SERVICE_REQUEST).string(service).toBytes();
}

export function encodeServiceAccept(service: string): Uint8Array {
  return new SshWriter(32).byte(MSG.SERVICE_ACCEPT).string(service).toBytes();
}

/** SERVICE_REQUEST or SERVICE_ACCEPT: both carry one service name. */
export function decodeServiceMessage(p: Uint8Array): string {
  const r = new SshReader(p, p[0] === MSG.SERVICE_REQUEST ? 'SERVICE_REQUEST' : 'SERVICE_ACCEPT');
  r.byte();
  const name = r.string();
  r.end();
  return name;
}

export function encodeExtInfo(ext: ReadonlyMap<string, Uint8Array | string>): Uint8Array {
  const w = new SshWriter(256).byte(MSG.EXT_INFO).u32(ext.size);
  for (const [name, value] of ext) w.string(name).string(value);
  return w.toBytes();
}

export function decodeExtInfo(p: Uint8Array): Map<string, Uint8Array> {
  const r = new SshReader(p, 'EXT_INFO');
  r.byte();
  const n = r.u32();
  const out = new Map<string, Uint8Array>();
  for (let i = 0; i < n; i++) {
    const name = r.string();
    out.set(name, r.bytes().slice());
  }
  r.end();
  return out;
}
