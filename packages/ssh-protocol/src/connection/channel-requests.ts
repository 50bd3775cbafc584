// RFC 4254 §6 channel requests (plus RFC 4335 `break` and OpenSSH's `@openssh.com` requests), as a tagged union.
import { assertNever, fromUtf8, utf8 } from '../wire/index.js';
import type { SshReader, SshWriter } from '../wire/index.js';

export type ChannelRequest =
  /** §6.2; `modes` is the encoded terminal modes string of §8 (see terminal-modes.ts). */
  | { kind: 'pty-req'; term: string; cols: number; rows: number; widthPx: number; heightPx: number; modes: Uint8Array }
  /** §6.3.1 */
  | { kind: 'x11-req'; singleConnection: boolean; authProtocol: string; authCookie: string; screen: number }
  /** §6.4 */
  | { kind: 'env'; name: string; value: string }
  /** §6.5 */
  | { kind: 'shell' }
  /** §6.5: the command is bytes on the wire; `commandText` is its (lenient) UTF-8 reading. */
  | { kind: 'exec'; command: Uint8Array; commandText: string }
  | { kind: 'subsystem'; name: string }
  /** §6.7 */
  | { kind: 'window-change'; cols: number; rows: number; widthPx: number; heightPx: number }
  /** §6.8 */
  | { kind: 'xon-xoff'; clientCanDo: boolean }
  /** §6.9: signal name without the "SIG" prefix. */
  | { kind: 'signal'; signal: string }
  /** §6.10 */
  | { kind: 'exit-status'; status: number }
  | { kind: 'exit-signal'; signal: string; coreDumped: boolean; message: string; language: string }
  /** RFC 4335 §3 */
  | { kind: 'break'; lengthMs: number }
  | { kind: 'keepalive@openssh.com' }
  | { kind: 'eow@openssh.com' }
  | { kind: 'auth-agent-req@openssh.com' }
  | { kind: 'unknown'; name: string; data: Uint8Array };

/** An `exec` request from a command given as text or bytes. */
export function execRequest(command: string | Uint8Array): ChannelRequest {
  return typeof command === 'string'
    ? { kind: 'exec', command: utf8(command), commandText: command }
    : { kind: 'exec', command, commandText: fromUtf8(command) };
}

export function channelRequestName(req: ChannelRequest): string {
  return req.kind === 'unknown' ? req.name : req.kind;
}

/** Request-specific data (after recipient, name and want_reply). */
export function writeChannelRequestData(w: SshWriter, req: ChannelRequest): void {
  switch (req.kind) {
    case 'pty-req':
      w.string(req.term).u32(req.cols).u32(req.rows).u32(req.widthPx).u32(req.heightPx).string(req.modes);
      return;
    case 'x11-req':
      w.boolean(req.singleConnection).string(req.authProtocol).string(req.authCookie).u32(req.screen);
      return;
    case 'env':
      w.string(req.name).string(req.value);
      return;
    case 'exec':
      w.string(req.command);
      return;
    case 'subsystem':
      w.string(req.name);
      return;
    case 'window-change':
      w.u32(req.cols).u32(req.rows).u32(req.widthPx).u32(req.heightPx);
      return;
    case 'xon-xoff':
      w.boolean(req.clientCanDo);
      return;
    case 'signal':
      w.string(req.signal);
      return;
    case 'exit-status':
      w.u32(req.status);
      return;
    case 'exit-signal':
      w.string(req.signal).boolean(req.coreDumped).string(req.message).string(req.language);
      return;
    case 'break':
      w.u32(req.lengthMs);
      return;
    case 'unknown':
      w.raw(req.data);
      return;
    case 'shell':
    case 'keepalive@openssh.com':
    case 'eow@openssh.com':
    case 'auth-agent-req@openssh.com':
      return;
    default:
      assertNever(req);
  }
}

/** Free text from the peer (messages, commands): decoded leniently, never a reason to disconnect. */
function text(r: SshReader): string {
  return fromUtf8(r.bytes());
}

/** Reads the request-specific data for `name`; the caller ends the reader so that trailing bytes are refused. */
export function readChannelRequestData(name: string, r: SshReader): ChannelRequest {
  switch (name) {
    case 'pty-req':
      return {
        kind: name,
        term: r.string(),
        cols: r.u32(),
        rows: r.u32(),
        widthPx: r.u32(),
        heightPx: r.u32(),
        modes: r.bytes().slice(),
      };
    case 'x11-req':
      return { kind: name, singleConnection: r.boolean(), authProtocol: r.string(), authCookie: r.string(), screen: r.u32() };
    case 'env':
      return { kind: name, name: r.string(), value: text(r) };
    case 'exec': {
      const command = r.bytes().slice();
      return { kind: name, command, commandText: fromUtf8(command) };
    }
    case 'subsystem':
      return { kind: name, name: r.string() };
    case 'window-change':
      return { kind: name, cols: r.u32(), rows: r.u32(), widthPx: r.u32(), heightPx: r.u32() };
    case 'xon-xoff':
      return { kind: name, clientCanDo: r.boolean() };
    case 'signal':
      return { kind: name, signal: r.string() };
    case 'exit-status':
      return { kind: name, status: r.u32() };
    case 'exit-signal':
      return { kind: name, signal: r.string(), coreDumped: r.boolean(), message: text(r), language: r.string() };
    case 'break':
      return { kind: name, lengthMs: r.u32() };
    case 'shell':
    case 'keepalive@openssh.com':
    case 'eow@openssh.com':
    case 'auth-agent-req@openssh.com':
      return { kind: name };
    default:
      return { kind: 'unknown', name, data: r.rest().slice() };
  }
}
