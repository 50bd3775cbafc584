// RFC 4254 §5.1 channel types and their type-specific CHANNEL_OPEN data (§6.1, §6.3.2, §7.1, §7.2).
import { assertNever } from '../wire/index.js';
import type { SshReader, SshWriter } from '../wire/index.js';

export type ChannelOpenKind =
  | { kind: 'session' }
  /** RFC 4254 §7.2: connect to host:port on the peer's side (`ssh -L`). */
  | { kind: 'direct-tcpip'; host: string; port: number; originatorAddress: string; originatorPort: number }
  /** RFC 4254 §7.2: a connection arrived on a port forwarded by `tcpip-forward` (`ssh -R`). */
  | {
      kind: 'forwarded-tcpip';
      connectedAddress: string;
      connectedPort: number;
      originatorAddress: string;
      originatorPort: number;
    }
  /** RFC 4254 §6.3.2 */
  | { kind: 'x11'; originatorAddress: string; originatorPort: number }
  /** Any other type (e.g. `direct-streamlocal@openssh.com`) with its raw type-specific data. */
  | { kind: 'unknown'; type: string; data: Uint8Array };

export function channelTypeName(open: ChannelOpenKind): string {
  return open.kind === 'unknown' ? open.type : open.kind;
}

export function writeChannelOpenData(w: SshWriter, open: ChannelOpenKind): void {
  switch (open.kind) {
    case 'session':
      return;
    case 'direct-tcpip':
      w.string(open.host).u32(open.port).string(open.originatorAddress).u32(open.originatorPort);
      return;
    case 'forwarded-tcpip':
      w.string(open.connectedAddress).u32(open.connectedPort);
      w.string(open.originatorAddress).u32(open.originatorPort);
      return;
    case 'x11':
      w.string(open.originatorAddress).u32(open.originatorPort);
      return;
    case 'unknown':
      w.raw(open.data);
      return;
    default:
      assertNever(open);
  }
}

/** Reads the type-specific data for channel type `type`; the caller ends the reader. */
export function readChannelOpenData(type: string, r: SshReader): ChannelOpenKind {
  switch (type) {
    case 'session':
      return { kind: 'session' };
    case 'direct-tcpip':
      return {
        kind: 'direct-tcpip',
        host: r.string(),
        port: r.u32(),
        originatorAddress: r.string(),
        originatorPort: r.u32(),
      };
    case 'forwarded-tcpip':
      return {
        kind: 'forwarded-tcpip',
        connectedAddress: r.string(),
        connectedPort: r.u32(),
        originatorAddress: r.string(),
        originatorPort: r.u32(),
      };
    case 'x11':
      return { kind: 'x11', originatorAddress: r.string(), originatorPort: r.u32() };
    default:
      return { kind: 'unknown', type, data: r.rest().slice() };
  }
}
