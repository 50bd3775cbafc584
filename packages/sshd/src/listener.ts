// The listening sockets: one per ListenAddress/Port (per resolved address of a host name). Connections are
// accepted paused and handed on without a byte read. A bind that fails is logged and the others still serve;
// a reload binds what is new and closes what was removed, leaving the unchanged sockets open. Sockets inherited
// from a listener being replaced are taken for the endpoints they match; systemd's are always served.
import { lookup } from 'node:dns/promises';
import { createServer, isIP, isIPv6 } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { takeEarlyConnections } from './inherited-listeners.js';
import type { ServerLogger } from './log.js';
import { describeErrno } from './strerror.js';

export interface ListenEndpoint {
  host: string;
  /** 0 asks the kernel for a free port (tests). */
  port: number;
}

export interface BoundAddress {
  address: string;
  port: number;
}

function endpointKey(e: ListenEndpoint): string {
  return `${e.host}|${e.port}`;
}

/** Does `server` listen where `endpoint` asks (port 0 asks for any port)? */
function serves(server: Server, host: string, port: number): boolean {
  const a = server.address() as AddressInfo | null;
  return a !== null && a.address === host && (port === 0 || a.port === port);
}

export class Listener {
  readonly #servers = new Map<string, Server[]>();
  /** Inherited sockets not yet matched to an endpoint. */
  #adopted: Server[] = [];
  /** systemd's sockets: its unit says where to listen, so they are served whatever the configuration says. */
  readonly #fixed: Server[] = [];

  constructor(
    private readonly log: ServerLogger,
    private readonly onConnection: (socket: Socket) => void,
  ) {}

  /** The addresses actually bound (with the kernel's port where 0 was asked). */
  bound(): BoundAddress[] {
    const out: BoundAddress[] = [];
    for (const s of this.servers()) {
      const a = s.address() as AddressInfo | null;
      if (a) out.push({ address: a.address, port: a.port });
    }
    return out;
  }

  /** Every listening socket, for a restart to hand over. */
  servers(): Server[] {
    return [...this.#fixed, ...[...this.#servers.values()].flat()];
  }

  /** Sockets from the listener being replaced: used by the next `update` for the endpoints they match. */
  adopt(servers: readonly Server[]): void {
    this.#adopted.push(...servers);
  }

  /** systemd's sockets, served from now on. */
  serveFixed(servers: readonly Server[]): void {
    for (const s of servers) {
      this.#fixed.push(s);
      this.serve(s);
      const a = s.address() as AddressInfo | null;
      if (a) this.log.info(`Server listening on ${a.address} port ${a.port}.`, { address: a.address, port: a.port, systemd: true });
    }
  }

  /**
   * Makes the listening set match `endpoints`: closes the removed ones first (so that their ports are free for
   * the new set), then binds the new ones. Returns how many sockets are listening afterwards.
   */
  async update(endpoints: readonly ListenEndpoint[]): Promise<number> {
    const wanted = new Map(endpoints.map((e) => [endpointKey(e), e]));
    for (const [key, servers] of this.#servers) {
      if (wanted.has(key)) continue;
      this.#servers.delete(key);
      for (const s of servers) this.closeServer(s);
    }
    for (const [key, endpoint] of wanted) {
      if (this.#servers.has(key)) continue;
      const servers = await this.bindEndpoint(endpoint);
      if (servers.length > 0) this.#servers.set(key, servers);
    }
    // Inherited sockets that the configuration no longer names are closed, as a reload would.
    for (const s of this.#adopted.splice(0)) this.closeServer(s);
    return this.bound().length;
  }

  /** Stops accepting. Connections already handed to workers are not the listener's any more. */
  close(): void {
    for (const s of [...this.servers(), ...this.#adopted]) this.closeServer(s);
    this.#servers.clear();
    this.#fixed.length = 0;
    this.#adopted = [];
  }

  private async bindEndpoint(endpoint: ListenEndpoint): Promise<Server[]> {
    let addresses: string[];
    if (isIP(endpoint.host) !== 0) {
      addresses = [endpoint.host];
    } else {
      try {
        addresses = (await lookup(endpoint.host, { all: true })).map((a) => a.address);
      } catch (err) {
        this.bindFailed(endpoint.port, endpoint.host, err as NodeJS.ErrnoException);
        return [];
      }
    }
    const servers: Server[] = [];
    for (const address of addresses) {
      if (this.#fixed.some((f) => serves(f, address, endpoint.port))) continue; // systemd's socket is there already
      const s = this.takeAdopted(address, endpoint.port) ?? (await this.bindAddress(address, endpoint.port));
      if (s) servers.push(s);
    }
    return servers;
  }

  private takeAdopted(address: string, port: number): Server | undefined {
    const i = this.#adopted.findIndex((s) => serves(s, address, port));
    if (i < 0) return undefined;
    const [server] = this.#adopted.splice(i, 1);
    this.serve(server);
    const a = server.address() as AddressInfo;
    this.log.verbose(`Taking over listening socket on ${a.address} port ${a.port}.`, { address: a.address, port: a.port });
    this.log.info(`Server listening on ${a.address} port ${a.port}.`, { address: a.address, port: a.port, inherited: true });
    return server;
  }

  /** Starts handing this socket's connections on, first those an inherited socket accepted before now. */
  private serve(server: Server): void {
    // Accept failures (EMFILE, ENFILE, ECONNABORTED) are logged; the socket keeps listening.
    server.on('error', (err: NodeJS.ErrnoException) => this.log.error(`accept: ${describeErrno(err)}`));
    server.on('connection', this.onConnection);
    for (const socket of takeEarlyConnections(server)) this.onConnection(socket);
  }

  private bindAddress(address: string, port: number): Promise<Server | undefined> {
    return new Promise((resolve) => {
      const server = createServer({ pauseOnConnect: true });
      const failed = (err: NodeJS.ErrnoException): void => {
        this.bindFailed(port, address, err);
        server.close();
        resolve(undefined);
      };
      server.once('error', failed);
      // IPV6_V6ONLY, as sshd sets it, so that 0.0.0.0 and :: can share a port.
      server.listen({ host: address, port, ipv6Only: isIPv6(address) }, () => {
        server.off('error', failed);
        this.serve(server);
        const a = server.address() as AddressInfo;
        this.log.info(`Server listening on ${a.address} port ${a.port}.`, { address: a.address, port: a.port });
        resolve(server);
      });
    });
  }

  private bindFailed(port: number, address: string, err: NodeJS.ErrnoException): void {
    this.log.error(`Bind to port ${port} on ${address} failed: ${describeErrno(err)}.`, {
      address,
      port,
      code: err.code,
    });
  }

  private closeServer(server: Server): void {
    const a = server.address() as AddressInfo | null;
    for (const socket of takeEarlyConnections(server)) socket.destroy(); // an inherited socket no longer configured
    server.close();
    if (a) this.log.verbose(`Closed listening socket on ${a.address} port ${a.port}.`, { address: a.address, port: a.port });
  }
}
