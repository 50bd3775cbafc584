// RFC 4254 §4 global requests and §7.1 remote port forwarding requests.
import { SshReader, SshWriter, assertNever } from '../wire/index.js';

export type GlobalRequest =
  /** RFC 4254 §7.1: ask the peer to listen on address:port and forward connections back. */
  | { kind: 'tcpip-forward'; address: string; port: number }
  | { kind: 'cancel-tcpip-forward'; address: string; port: number }
  /** Anything else (`keepalive@openssh.com`, `hostkeys-00@openssh.com`, ...) keeps its raw request data. */
  | { kind: 'unknown'; name: string; data: Uint8Array };

export function globalRequestName(req: GlobalRequest): string {
  return req.kind === 'unknown' ? req.name : req.kind;
}

/** Request-specific data (after name and want_reply). */
export function writeGlobalRequestData(w: SshWriter, req: GlobalRequest): void {
  switch (req.kind) {
    case 'tcpip-forward':
    case 'cancel-tcpip-forward':
      w.string(req.address).u32(req.port);
      return;
    case 'unknown':
      w.raw(req.data);
      return;
    default:
      assertNever(req);
  }
}

/** Reads the request-specific data for `name`; the caller ends the reader. */
export function readGlobalRequestData(name: string, r: SshReader): GlobalRequest {
  switch (name) {
    case 'tcpip-forward':
    case 'cancel-tcpip-forward':
      return { kind: name, address: r.string(), port: r.u32() };
    default:
      return { kind: 'unknown', name, data: r.rest().slice() };
  }
}

/** RFC 4254 §7.1: a REQUEST_SUCCESS to `tcpip-forward` for port 0 carries the port the peer bound. */
export function encodeForwardPort(port: number): Uint8Array {
  return new SshWriter(4).u32(port).toBytes();
}

/** The bound port in a REQUEST_SUCCESS to `tcpip-forward`, or undefined when the reply carries none. */
export function decodeForwardPort(data: Uint8Array): number | undefined {
  if (data.length === 0) return undefined;
  const r = new SshReader(data, 'tcpip-forward reply');
  const port = r.u32();
  r.end();
  return port;
}
