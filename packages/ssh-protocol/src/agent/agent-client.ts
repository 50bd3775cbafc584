// The client side of an agent connection, sans-IO: requests go out through `send`, reply bytes come in through
// `receive`. The agent answers requests in order (RFC 9987 §3), so replies are matched to requests by position.
import { UnsupportedKeyTypeError, parsePublicKeyBlob, blobKeyType, signatureAlgorithmOf, type PublicKey } from '../keys/index.js';
import { DecodeError, ProtocolError } from '../wire/index.js';
import { AgentFrameReader, frameAgentMessage } from './agent-framer.js';
import {
  decodeIdentitiesAnswer,
  decodeSignResponse,
  encodeRequestIdentities,
  encodeSignRequest,
  signFlagsFor,
} from './agent-messages.js';

/** The agent connection ended (or went wrong) before the answer came. */
export class AgentClosedError extends Error {
  override name = 'AgentClosedError';
}

/** The agent signed, but not with the algorithm asked for, or not validly. */
export class AgentSignatureError extends Error {
  override name = 'AgentSignatureError';
}

export interface AgentKey {
  readonly publicKey: PublicKey;
  readonly comment: string;
}

/** A key the agent holds but that cannot be used here (a type we lack, a certificate, a malformed blob). */
export interface SkippedAgentKey {
  readonly type: string;
  readonly comment: string;
  readonly reason: string;
}

export interface AgentKeyList {
  readonly keys: AgentKey[];
  readonly skipped: SkippedAgentKey[];
}

interface Waiter {
  resolve(payload: Uint8Array): void;
  reject(error: Error): void;
}

export class AgentClient {
  private readonly reader = new AgentFrameReader();
  private readonly waiting: Waiter[] = [];
  private closed: Error | undefined;

  constructor(private readonly send: (bytes: Uint8Array) => void) {}

  /** Bytes from the agent. A malformed or unrequested message ends the connection. */
  receive(chunk: Uint8Array): void {
    if (this.closed) return;
    let payloads: Uint8Array[];
    try {
      payloads = this.reader.push(chunk);
    } catch (e) {
      return this.end(e as Error);
    }
    for (const payload of payloads) {
      const waiter = this.waiting.shift();
      if (!waiter) return this.end(new ProtocolError('agent sent a message nobody asked for'));
      waiter.resolve(payload);
    }
  }

  /** The connection is gone: every request still waiting fails, and so does every later one. */
  end(error?: Error): void {
    if (this.closed) return;
    this.closed = new AgentClosedError(error ? `agent connection failed: ${error.message}` : 'agent connection closed');
    for (const w of this.waiting.splice(0)) w.reject(this.closed);
  }

  get isClosed(): boolean {
    return this.closed !== undefined;
  }

  private request(payload: Uint8Array): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.send(frameAgentMessage(payload));
    });
  }

  /** SSH_AGENTC_REQUEST_IDENTITIES: the keys we can use, and the ones we cannot with the reason. */
  async listKeys(): Promise<AgentKeyList> {
    const answer = decodeIdentitiesAnswer(await this.request(encodeRequestIdentities()));
    const keys: AgentKey[] = [];
    const skipped: SkippedAgentKey[] = [];
    for (const { blob, comment } of answer) {
      let type = '?';
      try {
        type = blobKeyType(blob);
        keys.push({ publicKey: parsePublicKeyBlob(blob), comment });
      } catch (e) {
        if (!(e instanceof UnsupportedKeyTypeError || e instanceof DecodeError)) throw e;
        skipped.push({ type, comment, reason: e.message });
      }
    }
    return { keys, skipped };
  }

  /**
   * SSH_AGENTC_SIGN_REQUEST for `algorithm`, with the RSA SHA-2 flags it needs. The signature is checked before
   * it is returned: an agent that ignores the flags (and signs ssh-rsa with SHA-1) or signs wrongly is an error.
   */
  async sign(key: PublicKey, data: Uint8Array, algorithm: string): Promise<Uint8Array> {
    const payload = await this.request(encodeSignRequest({ blob: key.blob, data, flags: signFlagsFor(algorithm) }));
    const signature = decodeSignResponse(payload);
    const got = signatureAlgorithmOf(signature);
    if (got !== algorithm) throw new AgentSignatureError(`agent signed with ${got}, not ${algorithm}`);
    if (!key.verify(data, signature)) throw new AgentSignatureError('agent signature does not verify');
    return signature;
  }
}
