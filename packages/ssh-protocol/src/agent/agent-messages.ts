// The SSH agent protocol (RFC 9987, formerly draft-miller-ssh-agent), client messages: list the keys and ask
// for a signature. Every message travels as `uint32 length || byte type || contents`; framing is in
// agent-framer.ts, these codecs handle the payload (type byte and contents).
import { DecodeError, SshReader, SshWriter, fromUtf8 } from '../wire/index.js';

/** RFC 9987 §6.1 message numbers used by a client. */
export const AGENT_MSG = Object.freeze({
  FAILURE: 5,
  SUCCESS: 6,
  REQUEST_IDENTITIES: 11,
  IDENTITIES_ANSWER: 12,
  SIGN_REQUEST: 13,
  SIGN_RESPONSE: 14,
  EXTENSION: 27,
  EXTENSION_FAILURE: 28,
} as const);

/** RFC 9987 §6.3 signature flags: RSA keys sign with SHA-2 only when asked to (RFC 8332). */
export const AGENT_SIGN_FLAGS = Object.freeze({
  RSA_SHA2_256: 0x02,
  RSA_SHA2_512: 0x04,
} as const);

/** OpenSSH's AGENT_MAX_LEN: no reply (and no request) is larger. */
export const AGENT_MAX_MESSAGE = 256 * 1024;

/** The agent answered SSH_AGENT_FAILURE (or an extension failure): it will not do what was asked. */
export class AgentFailureError extends Error {
  override name = 'AgentFailureError';
  constructor(what: string) {
    super(`agent refused operation: ${what}`);
  }
}

/** One key the agent holds: the RFC 4253 §6.6 blob as the agent sent it, and its comment. */
export interface AgentIdentity {
  readonly blob: Uint8Array;
  /** Usually UTF-8 (a file name or user@host); bytes that are not become U+FFFD. */
  readonly comment: string;
}

export function encodeRequestIdentities(): Uint8Array {
  return Uint8Array.of(AGENT_MSG.REQUEST_IDENTITIES);
}

/** Message payloads from the agent: FAILURE is an AgentFailureError, any type other than `expected` a DecodeError. */
function open(payload: Uint8Array, expected: number, what: string): SshReader {
  const r = new SshReader(payload, what);
  const type = r.byte();
  if (type === AGENT_MSG.FAILURE || type === AGENT_MSG.EXTENSION_FAILURE) {
    r.end();
    throw new AgentFailureError(what);
  }
  if (type !== expected) throw new DecodeError(`${what}: unexpected agent message ${type}`);
  return r;
}

/** RFC 9987 §6.4: uint32 nkeys, then nkeys × (string key blob, string comment). */
export function decodeIdentitiesAnswer(payload: Uint8Array): AgentIdentity[] {
  const r = open(payload, AGENT_MSG.IDENTITIES_ANSWER, 'SSH_AGENT_IDENTITIES_ANSWER');
  const n = r.u32();
  // Each key takes at least 8 bytes (two empty strings): a count beyond that is a lie.
  if (n > r.remaining / 8) throw new DecodeError(`SSH_AGENT_IDENTITIES_ANSWER: ${n} keys in ${r.remaining} bytes`);
  const keys: AgentIdentity[] = [];
  for (let i = 0; i < n; i++) keys.push({ blob: r.bytes().slice(), comment: fromUtf8(r.bytes()) });
  r.end();
  return keys;
}

export interface SignRequest {
  readonly blob: Uint8Array;
  readonly data: Uint8Array;
  readonly flags: number;
}

/** RFC 9987 §6.6: string key blob, string data, uint32 flags. */
export function encodeSignRequest(req: SignRequest): Uint8Array {
  return new SshWriter(req.blob.length + req.data.length + 32)
    .byte(AGENT_MSG.SIGN_REQUEST)
    .string(req.blob)
    .string(req.data)
    .u32(req.flags)
    .toBytes();
}

export function decodeSignRequest(payload: Uint8Array): SignRequest {
  const r = new SshReader(payload, 'SSH_AGENTC_SIGN_REQUEST');
  if (r.byte() !== AGENT_MSG.SIGN_REQUEST) throw new DecodeError('SSH_AGENTC_SIGN_REQUEST: wrong message type');
  const req = { blob: r.bytes().slice(), data: r.bytes().slice(), flags: r.u32() };
  r.end();
  return req;
}

/** RFC 9987 §6.6: string signature (an RFC 4253 §6.6 signature blob). */
export function decodeSignResponse(payload: Uint8Array): Uint8Array {
  const r = open(payload, AGENT_MSG.SIGN_RESPONSE, 'SSH_AGENT_SIGN_RESPONSE');
  const signature = r.bytes().slice();
  r.end();
  return signature;
}

/** The flags that make the agent sign with `algorithm` (RFC 9987 §6.6.1); 0 for every non-RSA algorithm. */
export function signFlagsFor(algorithm: string): number {
  if (algorithm === 'rsa-sha2-256') return AGENT_SIGN_FLAGS.RSA_SHA2_256;
  if (algorithm === 'rsa-sha2-512') return AGENT_SIGN_FLAGS.RSA_SHA2_512;
  return 0;
}

/** Encoders for the agent side, for tests and for anything that answers as an agent. */
export function encodeIdentitiesAnswer(keys: readonly AgentIdentity[]): Uint8Array {
  const w = new SshWriter().byte(AGENT_MSG.IDENTITIES_ANSWER).u32(keys.length);
  for (const k of keys) w.string(k.blob).string(k.comment);
  return w.toBytes();
}

export function encodeSignResponse(signature: Uint8Array): Uint8Array {
  return new SshWriter(signature.length + 8).byte(AGENT_MSG.SIGN_RESPONSE).string(signature).toBytes();
}

export function encodeAgentFailure(): Uint8Array {
  return Uint8Array.of(AGENT_MSG.FAILURE);
}
