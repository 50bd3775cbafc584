// TCP forwarding (RFC 4254 §7) for an authenticated connection, as sshd does it: `direct-tcpip` channels (ssh -L,
// -D) connect out from the server, `tcpip-forward` requests (ssh -R) listen on the server and open a
// `forwarded-tcpip` channel back to the client for each connection accepted. The worker runs as the user by now,
// so the kernel's own rules (privileged ports, for one) apply as to any program of theirs. Listeners end with the
// worker, when the connection does.
//
// Allowed by AllowTcpForwarding (yes, local, remote, no), DisableForwarding, PermitOpen and GatewayPorts, and by
// the key's authorized_keys options (no-port-forwarding, restrict, permitopen=, permitlisten=).
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Channel, ChannelOpenDecision, Connection, GlobalReply, GlobalRequest, IncomingChannelOpen } from '@tssh/ssh-protocol/connection';
import type { PermitOpen, PermitOpenEntry, SshdConfig } from '@tssh/ssh-protocol/config';
import type { AuthorizedKeyOptions } from '@tssh/ssh-protocol/keys';
import { channelToDuplex } from '@tssh/ssh-protocol/node';
import { ChannelOpenFailure, type Logger } from '@tssh/ssh-protocol/wire';
import type { Account } from './accounts.js';
import { describeErrno as strerror } from './strerror.js';

export interface ForwardingContext {
  account: Account;
  config: SshdConfig;
  keyOptions: AuthorizedKeyOptions | undefined;
  log: Logger;
}

type DirectTcpip = Extract<IncomingChannelOpen['open'], { kind: 'direct-tcpip' }>;

/** A `host:port` permission (PermitOpen, permitopen=, permitlisten=): `*` matches any host or any port. */
export function permits(entries: readonly PermitOpenEntry[], host: string, port: number): boolean {
  return entries.some((e) => (e.host === '*' || e.host.toLowerCase() === host.toLowerCase()) && (e.port === '*' || e.port === port));
}

/**
 * An authorized_keys `permitopen=` or `permitlisten=` value as an entry. The key parser has checked it and given a
 * bare permitlisten port its `*` host, so it is always `host:port` (host possibly bracketed).
 */
export function keyPermission(text: string): PermitOpenEntry {
  const bracket = /^\[([^\]]*)\]:(.+)$/.exec(text);
  const cut = text.lastIndexOf(':');
  const host = bracket ? bracket[1] : text.slice(0, cut);
  const portText = bracket ? bracket[2] : text.slice(cut + 1);
  return { host, port: portText === '*' ? '*' : Number(portText) };
}

function configPermits(permitOpen: PermitOpen, host: string, port: number): boolean {
  if (permitOpen === 'any') return true;
  if (permitOpen === 'none') return false;
  return permits(permitOpen, host, port);
}

/** Where a `tcpip-forward` listens (OpenSSH's channel_fwd_bind_addr for a server): undefined is every address. */
export function bindAddress(requested: string, gatewayPorts: SshdConfig['gatewayPorts']): string | undefined {
  if (gatewayPorts === 'yes') return undefined;
  if (gatewayPorts === 'clientspecified') {
    if (requested === '' || requested === '*') return undefined;
    if (requested !== 'localhost') return requested;
  }
  return 'localhost';
}

/** Pipes a channel and a TCP connection both ways, half-closes passed on, and ends each with the other. */
function splice(channel: Channel, socket: Socket): void {
  const stream = channelToDuplex(channel);
  socket.setNoDelay(true);
  socket.pipe(stream);
  stream.pipe(socket);
  socket.on('error', () => {}); // 'close' follows
  socket.on('close', () => stream.destroy());
  stream.on('error', () => socket.destroy());
  stream.on('close', () => {
    // The channel is closed: what it delivered is in the socket's buffer; let that go, then let go of the socket.
    if (socket.destroyed) return;
    if (socket.writableFinished) socket.destroy();
    else socket.end(() => socket.destroy());
  });
}

interface RemoteForward {
  readonly servers: Server[];
  readonly port: number;
}

export class PortForwarding {
  private readonly remote = new Map<string, RemoteForward>();

  constructor(
    private readonly ctx: ForwardingContext,
    private readonly connection: () => Connection | undefined,
  ) {}

  private allowed(direction: 'local' | 'remote'): boolean {
    const { config, keyOptions } = this.ctx;
    if (config.disableForwarding || keyOptions?.portForwarding === false) return false;
    return config.allowTcpForwarding === 'yes' || config.allowTcpForwarding === direction;
  }

  /** A `direct-tcpip` channel: connect, then accept; refused or failed with the reason the client is shown. */
  openDirect(req: IncomingChannelOpen): Promise<ChannelOpenDecision> | ChannelOpenDecision {
    const open = req.open as DirectTcpip;
    const { host, port } = open;
    if (!this.allowed('local')) {
      this.ctx.log.info(
        `refused local port forward: originator ${open.originatorAddress} port ${open.originatorPort}, target ${host} port ${port}`,
      );
      return { reject: ChannelOpenFailure.ADMINISTRATIVELY_PROHIBITED, description: 'open failed' };
    }
    const keyList = this.ctx.keyOptions?.permitOpen ?? [];
    const byKey = keyList.length === 0 || permits(keyList.map(keyPermission), host, port);
    if (!byKey || !configPermits(this.ctx.config.permitOpen, host, port)) {
      this.ctx.log.info(`Received request to connect to host ${host} port ${port}, but the request was denied.`);
      return { reject: ChannelOpenFailure.ADMINISTRATIVELY_PROHIBITED, description: 'open failed' };
    }
    this.ctx.log.verbose(`direct-tcpip: connect to ${host} port ${port}, originator ${open.originatorAddress} port ${open.originatorPort}`);
    return new Promise((resolve) => {
      const socket = connect({ host, port, allowHalfOpen: true });
      const failed = (e: NodeJS.ErrnoException): void => {
        this.ctx.log.verbose(`connect_to ${host} port ${port}: failed: ${strerror(e)}`);
        resolve({ reject: ChannelOpenFailure.CONNECT_FAILED, description: strerror(e) });
      };
      socket.once('error', failed);
      socket.once('connect', () => {
        socket.off('error', failed);
        let channel: Channel;
        try {
          channel = req.accept();
        } catch {
          socket.destroy(); // the connection ended while we connected
          resolve({ reject: ChannelOpenFailure.CONNECT_FAILED, description: 'connection closed' });
          return;
        }
        splice(channel, socket);
        resolve(channel);
      });
    });
  }

  /** `tcpip-forward` and `cancel-tcpip-forward`; anything else is refused. */
  async globalRequest(request: GlobalRequest, wantReply: boolean): Promise<boolean | GlobalReply> {
    if (request.kind === 'cancel-tcpip-forward') return this.cancel(request.address, request.port);
    if (request.kind !== 'tcpip-forward') return false;
    const { address, port } = request;
    const keyList = this.ctx.keyOptions?.permitListen ?? [];
    const listenPermitted = keyList.length === 0 || permits(keyList.map(keyPermission), address, port);
    const privileged = port !== 0 && port < 1024 && this.ctx.account.uid !== 0;
    if (!this.allowed('remote') || !listenPermitted || privileged || (port === 0 && !wantReply) || port > 65535) {
      this.ctx.log.info(`refused remote port forward: listen ${address || '*'} port ${port}`);
      return false;
    }
    try {
      const forward = await this.listen(address, port);
      this.remote.set(`${address}\0${forward.port}`, forward);
      this.ctx.log.verbose(`remote forward: listening on ${address || '*'} port ${forward.port}`);
      return port === 0 ? { ok: true, port: forward.port } : true;
    } catch (e) {
      this.ctx.log.info(`remote forward to ${address || '*'} port ${port} failed: ${strerror(e as NodeJS.ErrnoException)}`);
      return false;
    }
  }

  private cancel(address: string, port: number): boolean {
    const key = `${address}\0${port}`;
    const forward = this.remote.get(key);
    if (!forward) return false;
    for (const s of forward.servers) s.close();
    this.remote.delete(key);
    this.ctx.log.verbose(`remote forward: cancelled ${address || '*'} port ${port}`);
    return true;
  }

  /** Listens as `address` asks (GatewayPorts permitting); loopback means 127.0.0.1 and, where there is one, ::1. */
  private async listen(address: string, port: number): Promise<RemoteForward> {
    const host = bindAddress(address, this.ctx.config.gatewayPorts);
    const first = await this.listenOn(host === 'localhost' ? '127.0.0.1' : host, port, address);
    const bound = (first.address() as { port: number }).port;
    const servers = [first];
    if (host === 'localhost') {
      try {
        servers.push(await this.listenOn('::1', bound, address));
      } catch {
        // no IPv6 loopback here: 127.0.0.1 alone
      }
    }
    return { servers, port: bound };
  }

  private listenOn(host: string | undefined, port: number, requested: string): Promise<Server> {
    return new Promise((resolve, reject) => {
      const server = createServer({ allowHalfOpen: true }, (socket) => this.forwardBack(socket, requested, server));
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', (e) => this.ctx.log.error(`remote forward listener: ${e.message}`));
        resolve(server);
      });
    });
  }

  /** A connection accepted on a remote forward: a `forwarded-tcpip` channel to the client carries it. */
  private forwardBack(socket: Socket, requested: string, server: Server): void {
    const connection = this.connection();
    const bound = (server.address() as { port: number }).port;
    if (!connection) {
      socket.destroy();
      return;
    }
    socket.pause();
    connection
      .openChannel({
        kind: 'forwarded-tcpip',
        connectedAddress: requested,
        connectedPort: bound,
        originatorAddress: socket.remoteAddress ?? '',
        originatorPort: socket.remotePort ?? 0,
      })
      .then(
        (channel) => {
          splice(channel, socket);
          socket.resume();
        },
        (e: Error) => {
          this.ctx.log.verbose(`remote forward: the client refused the connection from ${socket.remoteAddress}: ${e.message}`);
          socket.destroy();
        },
      );
  }
}
