// Agent protocol framing (RFC 9987 §3): each message is `uint32 length || payload`, the payload starting with
// the message type. A stream of chunks in, whole payloads out.
import { DecodeError, SshWriter, concatBytes } from '../wire/index.js';
import { AGENT_MAX_MESSAGE } from './agent-messages.js';

export function frameAgentMessage(payload: Uint8Array): Uint8Array {
  if (payload.length === 0 || payload.length > AGENT_MAX_MESSAGE) {
    throw new RangeError(`agent message of ${payload.length} bytes`);
  }
  return new SshWriter(payload.length + 4).string(payload).toBytes();
}

/** Collects chunks and returns each complete payload; an empty or oversized message is a DecodeError. */
export class AgentFrameReader {
  private pending = new Uint8Array(0);

  push(chunk: Uint8Array): Uint8Array[] {
    let buf = this.pending.length === 0 ? chunk : concatBytes(this.pending, chunk);
    const out: Uint8Array[] = [];
    while (buf.length >= 4) {
      const len = ((buf[0] << 24) | (buf[1] << 16) | (buf[2] << 8) | buf[3]) >>> 0;
      if (len === 0) throw new DecodeError('agent message: empty');
      if (len > AGENT_MAX_MESSAGE) throw new DecodeError(`agent message: ${len} bytes is more than ${AGENT_MAX_MESSAGE}`);
      if (buf.length < 4 + len) break;
      out.push(buf.slice(4, 4 + len));
      buf = buf.subarray(4 + len);
    }
    this.pending = buf.slice();
    return out;
  }

  /** Bytes of an unfinished message. */
  get buffered(): number {
    return this.pending.length;
  }
}
