// RFC 4252 (user authentication) and RFC 4256 (keyboard-interactive) messages. Every decoder takes a whole
// payload, checks its message number and rejects trailing bytes.
import { DecodeError, MSG, SshReader, SshWriter, assertNever, fromUtf8 } from '../wire/index.js';

/** RFC 4256 §3.2 sets no bound; like OpenSSH we refuse more than this many prompts or responses. */
export const MAX_KBDINT_PROMPTS = 100;

/** The method-specific part of SSH_MSG_USERAUTH_REQUEST, RFC 4252 §5 and §7-§9, RFC 4256 §3.1. */
export type UserauthMethod =
  | { method: 'none' }
  | { method: 'publickey'; algorithm: string; blob: Uint8Array; signature?: Uint8Array }
  | { method: 'password'; password: string; newPassword?: string }
  | { method: 'keyboard-interactive'; language: string; submethods: string }
  | {
      method: 'hostbased';
      algorithm: string;
      blob: Uint8Array;
      hostname: string;
      hostUser: string;
      signature: Uint8Array;
    }
  | { method: 'unknown'; name: string; data: Uint8Array };

export type UserauthRequest = { user: string; service: string } & UserauthMethod;

export interface UserauthFailure {
  methods: string[];
  partialSuccess: boolean;
}

export interface UserauthBanner {
  message: string;
  language: string;
}

export interface UserauthPkOk {
  algorithm: string;
  blob: Uint8Array;
}

export interface PasswdChangereq {
  prompt: string;
  language: string;
}

export interface KbdintPrompt {
  prompt: string;
  echo: boolean;
}

export interface InfoRequest {
  name: string;
  instruction: string;
  language: string;
  prompts: KbdintPrompt[];
}

/** What a number-60 message means depends on the method in progress (RFC 4252 §7, §8; RFC 4256 §3.2). */
export type Userauth60 =
  | ({ kind: 'pk-ok' } & UserauthPkOk)
  | ({ kind: 'passwd-changereq' } & PasswdChangereq)
  | ({ kind: 'info-request' } & InfoRequest);

export type Userauth60Context = 'publickey' | 'password' | 'keyboard-interactive';

const KNOWN_METHODS: ReadonlySet<string> = new Set(['none', 'publickey', 'password', 'keyboard-interactive', 'hostbased']);

function open(payload: Uint8Array, msg: number, what: string): SshReader {
  const r = new SshReader(payload, what);
  const n = r.byte();
  if (n !== msg) throw new DecodeError(`${what}: message number ${n}, expected ${msg}`);
  return r;
}

export function encodeUserauthRequest(req: UserauthRequest): Uint8Array {
  const w = new SshWriter().byte(MSG.USERAUTH_REQUEST).string(req.user).string(req.service);
  switch (req.method) {
    case 'none':
      return w.string('none').toBytes();
    case 'publickey':
      w.string('publickey').boolean(req.signature !== undefined).string(req.algorithm).string(req.blob);
      if (req.signature !== undefined) w.string(req.signature);
      return w.toBytes();
    case 'password':
      w.string('password').boolean(req.newPassword !== undefined).string(req.password);
      if (req.newPassword !== undefined) w.string(req.newPassword);
      return w.toBytes();
    case 'keyboard-interactive':
      return w.string('keyboard-interactive').string(req.language).string(req.submethods).toBytes();
    case 'hostbased':
      return w
        .string('hostbased')
        .string(req.algorithm)
        .string(req.blob)
        .string(req.hostname)
        .string(req.hostUser)
        .string(req.signature)
        .toBytes();
    case 'unknown':
      if (KNOWN_METHODS.has(req.name)) throw new RangeError(`method ${req.name} must use its own form`);
      return w.string(req.name).raw(req.data).toBytes();
    default:
      return assertNever(req);
  }
}

export function decodeUserauthRequest(payload: Uint8Array): UserauthRequest {
  const r = open(payload, MSG.USERAUTH_REQUEST, 'SSH_MSG_USERAUTH_REQUEST');
  const user = r.string();
  const service = r.string();
  const name = r.string();
  let req: UserauthRequest;
  switch (name) {
    case 'none':
      req = { user, service, method: 'none' };
      break;
    case 'publickey': {
      const signed = r.boolean();
      const algorithm = r.string();
      const blob = r.bytes().slice();
      req = signed
        ? { user, service, method: 'publickey', algorithm, blob, signature: r.bytes().slice() }
        : { user, service, method: 'publickey', algorithm, blob };
      break;
    }
    case 'password': {
      const change = r.boolean();
      const password = r.string();
      req = change
        ? { user, service, method: 'password', password, newPassword: r.string() }
        : { user, service, method: 'password', password };
      break;
    }
    case 'keyboard-interactive':
      req = { user, service, method: 'keyboard-interactive', language: r.string(), submethods: r.string() };
      break;
    case 'hostbased':
      req = {
        user,
        service,
        method: 'hostbased',
        algorithm: r.string(),
        blob: r.bytes().slice(),
        hostname: r.string(),
        hostUser: r.string(),
        signature: r.bytes().slice(),
      };
      break;
    default:
      // RFC 4252 §5: an unknown method's fields are opaque to us; the reply is a FAILURE.
      req = { user, service, method: 'unknown', name, data: r.rest().slice() };
  }
  r.end();
  return req;
}

/** RFC 4252 §7: the data a publickey signature covers. */
export function publickeySignedData(
  sessionId: Uint8Array,
  user: string,
  service: string,
  algorithm: string,
  blob: Uint8Array,
): Uint8Array {
  return new SshWriter()
    .string(sessionId)
    .byte(MSG.USERAUTH_REQUEST)
    .string(user)
    .string(service)
    .string('publickey')
    .boolean(true)
    .string(algorithm)
    .string(blob)
    .toBytes();
}

export function encodeUserauthFailure(f: UserauthFailure): Uint8Array {
  return new SshWriter().byte(MSG.USERAUTH_FAILURE).nameList(f.methods).boolean(f.partialSuccess).toBytes();
}

export function decodeUserauthFailure(payload: Uint8Array): UserauthFailure {
  const r = open(payload, MSG.USERAUTH_FAILURE, 'SSH_MSG_USERAUTH_FAILURE');
  const f = { methods: r.nameList(), partialSuccess: r.boolean() };
  r.end();
  return f;
}

export function encodeUserauthSuccess(): Uint8Array {
  return Uint8Array.of(MSG.USERAUTH_SUCCESS);
}

export function decodeUserauthSuccess(payload: Uint8Array): void {
  open(payload, MSG.USERAUTH_SUCCESS, 'SSH_MSG_USERAUTH_SUCCESS').end();
}

export function encodeUserauthBanner(b: UserauthBanner): Uint8Array {
  return new SshWriter().byte(MSG.USERAUTH_BANNER).string(b.message).string(b.language).toBytes();
}

/**
 * RFC 4252 §5.4 says UTF-8, but servers send banners in their local charset: invalid bytes become U+FFFD in
 * `message` rather than a protocol error, and `raw` keeps the bytes as sent.
 */
export function decodeUserauthBanner(payload: Uint8Array): UserauthBanner & { raw: Uint8Array } {
  const r = open(payload, MSG.USERAUTH_BANNER, 'SSH_MSG_USERAUTH_BANNER');
  const raw = r.bytes().slice();
  const language = fromUtf8(r.bytes());
  r.end();
  return { message: fromUtf8(raw), language, raw };
}

export function encodeUserauthPkOk(m: UserauthPkOk): Uint8Array {
  return new SshWriter().byte(MSG.USERAUTH_PK_OK).string(m.algorithm).string(m.blob).toBytes();
}

export function decodeUserauthPkOk(payload: Uint8Array): UserauthPkOk {
  const r = open(payload, MSG.USERAUTH_PK_OK, 'SSH_MSG_USERAUTH_PK_OK');
  const m = { algorithm: r.string(), blob: r.bytes().slice() };
  r.end();
  return m;
}

export function encodePasswdChangereq(m: PasswdChangereq): Uint8Array {
  return new SshWriter().byte(MSG.USERAUTH_PASSWD_CHANGEREQ).string(m.prompt).string(m.language).toBytes();
}

export function decodePasswdChangereq(payload: Uint8Array): PasswdChangereq {
  const r = open(payload, MSG.USERAUTH_PASSWD_CHANGEREQ, 'SSH_MSG_USERAUTH_PASSWD_CHANGEREQ');
  const m = { prompt: r.string(), language: r.string() };
  r.end();
  return m;
}

export function encodeInfoRequest(m: InfoRequest): Uint8Array {
  if (m.prompts.length > MAX_KBDINT_PROMPTS) throw new RangeError(`too many prompts: ${m.prompts.length}`);
  const w = new SshWriter()
    .byte(MSG.USERAUTH_INFO_REQUEST)
    .string(m.name)
    .string(m.instruction)
    .string(m.language)
    .u32(m.prompts.length);
  for (const p of m.prompts) w.string(p.prompt).boolean(p.echo);
  return w.toBytes();
}

export function decodeInfoRequest(payload: Uint8Array): InfoRequest {
  const r = open(payload, MSG.USERAUTH_INFO_REQUEST, 'SSH_MSG_USERAUTH_INFO_REQUEST');
  const name = r.string();
  const instruction = r.string();
  const language = r.string();
  const n = r.u32();
  if (n > MAX_KBDINT_PROMPTS) throw new DecodeError(`SSH_MSG_USERAUTH_INFO_REQUEST: ${n} prompts`);
  const prompts: KbdintPrompt[] = [];
  for (let i = 0; i < n; i++) prompts.push({ prompt: r.string(), echo: r.boolean() });
  r.end();
  return { name, instruction, language, prompts };
}

export function encodeInfoResponse(responses: readonly string[]): Uint8Array {
  if (responses.length > MAX_KBDINT_PROMPTS) throw new RangeError(`too many responses: ${responses.length}`);
  const w = new SshWriter().byte(MSG.USERAUTH_INFO_RESPONSE).u32(responses.length);
  for (const s of responses) w.string(s);
  return w.toBytes();
}

export function decodeInfoResponse(payload: Uint8Array): string[] {
  const r = open(payload, MSG.USERAUTH_INFO_RESPONSE, 'SSH_MSG_USERAUTH_INFO_RESPONSE');
  const n = r.u32();
  if (n > MAX_KBDINT_PROMPTS) throw new DecodeError(`SSH_MSG_USERAUTH_INFO_RESPONSE: ${n} responses`);
  const responses: string[] = [];
  for (let i = 0; i < n; i++) responses.push(r.string());
  r.end();
  return responses;
}

/** Decode message 60 by the method whose request is outstanding. */
export function decodeUserauth60(payload: Uint8Array, context: Userauth60Context): Userauth60 {
  switch (context) {
    case 'publickey':
      return { kind: 'pk-ok', ...decodeUserauthPkOk(payload) };
    case 'password':
      return { kind: 'passwd-changereq', ...decodePasswdChangereq(payload) };
    case 'keyboard-interactive':
      return { kind: 'info-request', ...decodeInfoRequest(payload) };
    default:
      return assertNever(context);
  }
}
