// RFC 4254 message codecs (§4 global requests, §5 channels), as one discriminated union keyed by message number.
import { MSG, ProtocolError, SshReader, SshWriter, assertNever, concatBytes, fromUtf8 } from '../wire/index.js';
import { channelTypeName, readChannelOpenData, writeChannelOpenData } from './channel-open.js';
import type { ChannelOpenKind } from './channel-open.js';
import { channelRequestName, readChannelRequestData, writeChannelRequestData } from './channel-requests.js';
import type { ChannelRequest } from './channel-requests.js';
import { globalRequestName, readGlobalRequestData, writeGlobalRequestData } from './global-requests.js';
import type { GlobalRequest } from './global-requests.js';

export type ConnectionMessage =
  | { msg: typeof MSG.GLOBAL_REQUEST; wantReply: boolean; request: GlobalRequest }
  /** `data` is request-specific (e.g. the bound port of a `tcpip-forward` for port 0); often empty. */
  | { msg: typeof MSG.REQUEST_SUCCESS; data: Uint8Array }
  | { msg: typeof MSG.REQUEST_FAILURE }
  | { msg: typeof MSG.CHANNEL_OPEN; sender: number; initialWindow: number; maxPacket: number; open: ChannelOpenKind }
  | {
      msg: typeof MSG.CHANNEL_OPEN_CONFIRMATION;
      recipient: number;
      sender: number;
      initialWindow: number;
      maxPacket: number;
      /** Channel-type-specific data; empty for every type RFC 4254 defines. */
      data: Uint8Array;
    }
  | { msg: typeof MSG.CHANNEL_OPEN_FAILURE; recipient: number; reason: number; description: string; language: string }
  | { msg: typeof MSG.CHANNEL_WINDOW_ADJUST; recipient: number; bytes: number }
  | { msg: typeof MSG.CHANNEL_DATA; recipient: number; data: Uint8Array }
  | { msg: typeof MSG.CHANNEL_EXTENDED_DATA; recipient: number; dataType: number; data: Uint8Array }
  | { msg: typeof MSG.CHANNEL_EOF; recipient: number }
  | { msg: typeof MSG.CHANNEL_CLOSE; recipient: number }
  | { msg: typeof MSG.CHANNEL_REQUEST; recipient: number; wantReply: boolean; request: ChannelRequest }
  | { msg: typeof MSG.CHANNEL_SUCCESS; recipient: number }
  | { msg: typeof MSG.CHANNEL_FAILURE; recipient: number };

/** Messages that name a channel by our id. */
export type ChannelMessage = Extract<ConnectionMessage, { recipient: number }>;

export function encodeConnectionMessage(m: ConnectionMessage): Uint8Array {
  if (m.msg === MSG.CHANNEL_DATA) return concatBytes(encodeChannelDataHead(m.recipient, undefined, m.data.length), m.data);
  if (m.msg === MSG.CHANNEL_EXTENDED_DATA) {
    return concatBytes(encodeChannelDataHead(m.recipient, m.dataType, m.data.length), m.data);
  }
  const w = new SshWriter(64).byte(m.msg);
  switch (m.msg) {
    case MSG.GLOBAL_REQUEST:
      w.string(globalRequestName(m.request)).boolean(m.wantReply);
      writeGlobalRequestData(w, m.request);
      break;
    case MSG.REQUEST_SUCCESS:
      w.raw(m.data);
      break;
    case MSG.REQUEST_FAILURE:
      break;
    case MSG.CHANNEL_OPEN:
      w.string(channelTypeName(m.open)).u32(m.sender).u32(m.initialWindow).u32(m.maxPacket);
      writeChannelOpenData(w, m.open);
      break;
    case MSG.CHANNEL_OPEN_CONFIRMATION:
      w.u32(m.recipient).u32(m.sender).u32(m.initialWindow).u32(m.maxPacket).raw(m.data);
      break;
    case MSG.CHANNEL_OPEN_FAILURE:
      w.u32(m.recipient).u32(m.reason).string(m.description).string(m.language);
      break;
    case MSG.CHANNEL_WINDOW_ADJUST:
      w.u32(m.recipient).u32(m.bytes);
      break;
    case MSG.CHANNEL_REQUEST:
      w.u32(m.recipient).string(channelRequestName(m.request)).boolean(m.wantReply);
      writeChannelRequestData(w, m.request);
      break;
    case MSG.CHANNEL_EOF:
    case MSG.CHANNEL_CLOSE:
    case MSG.CHANNEL_SUCCESS:
    case MSG.CHANNEL_FAILURE:
      w.u32(m.recipient);
      break;
    default:
      assertNever(m);
  }
  return w.toBytes();
}

/**
 * RFC 4254 §5.2 CHANNEL_DATA / CHANNEL_EXTENDED_DATA without the data: everything up to and including the data's
 * length. The bulk path sends this head and the data as two parts, which the transport joins in the packet itself.
 */
export function encodeChannelDataHead(recipient: number, dataType: number | undefined, length: number): Uint8Array {
  const out = new Uint8Array(dataType === undefined ? 9 : 13);
  const v = new DataView(out.buffer);
  out[0] = dataType === undefined ? MSG.CHANNEL_DATA : MSG.CHANNEL_EXTENDED_DATA;
  v.setUint32(1, recipient);
  if (dataType !== undefined) v.setUint32(5, dataType);
  v.setUint32(out.length - 4, length);
  return out;
}

/**
 * Decodes one payload whose first byte is in 80..127. Byte fields are subarrays of `payload` except where the
 * union says otherwise. Trailing bytes, truncation and numbers outside RFC 4254 are ProtocolErrors.
 */
export function decodeConnectionMessage(payload: Uint8Array): ConnectionMessage {
  const r = new SshReader(payload, 'connection message');
  const msg = r.byte();
  const m = readBody(msg, r);
  r.end();
  return m;
}

function readBody(msg: number, r: SshReader): ConnectionMessage {
  switch (msg) {
    case MSG.GLOBAL_REQUEST: {
      const name = r.string();
      const wantReply = r.boolean();
      return { msg, wantReply, request: readGlobalRequestData(name, r) };
    }
    case MSG.REQUEST_SUCCESS:
      return { msg, data: r.rest() };
    case MSG.REQUEST_FAILURE:
      return { msg };
    case MSG.CHANNEL_OPEN: {
      const type = r.string();
      const sender = r.u32();
      const initialWindow = r.u32();
      const maxPacket = r.u32();
      return { msg, sender, initialWindow, maxPacket, open: readChannelOpenData(type, r) };
    }
    case MSG.CHANNEL_OPEN_CONFIRMATION:
      return { msg, recipient: r.u32(), sender: r.u32(), initialWindow: r.u32(), maxPacket: r.u32(), data: r.rest() };
    case MSG.CHANNEL_OPEN_FAILURE:
      return { msg, recipient: r.u32(), reason: r.u32(), description: fromUtf8(r.bytes()), language: r.string() };
    case MSG.CHANNEL_WINDOW_ADJUST:
      return { msg, recipient: r.u32(), bytes: r.u32() };
    case MSG.CHANNEL_DATA:
      return { msg, recipient: r.u32(), data: r.bytes() };
    case MSG.CHANNEL_EXTENDED_DATA:
      return { msg, recipient: r.u32(), dataType: r.u32(), data: r.bytes() };
    case MSG.CHANNEL_REQUEST: {
      const recipient = r.u32();
      const name = r.string();
      const wantReply = r.boolean();
      return { msg, recipient, wantReply, request: readChannelRequestData(name, r) };
    }
    case MSG.CHANNEL_EOF:
    case MSG.CHANNEL_CLOSE:
    case MSG.CHANNEL_SUCCESS:
    case MSG.CHANNEL_FAILURE:
      return { msg, recipient: r.u32() };
    default:
      throw new ProtocolError(`connection layer: unexpected message type ${msg}`);
  }
}
