import { ServerAuth, type AuthPolicy, type PeerAddress, type ServerAuthResult } from '../auth/index.js';
import { Connection, type ConnectionHandler } from '../connection/index.js';
import { Transport, decodeServiceMessage, encodeServiceAccept, type TransportOptions } from '../transport/index.js';
import { DisconnectReason, MSG, SshError, type Env } from '../wire/index.js';
import type { EndpointIO } from './endpoint-io.js';
import { routePayload } from './payload-router.js';

export interface ServerEndpointOptions {
  transport: Omit<TransportOptions, 'role' | 'verifyHostKey'>;
  policy: AuthPolicy;
  maxAuthTries?: number;
  banner?: string;
  peer?: PeerAddress;
  /** Called once the user is in; returns the handler for channel opens and global requests. */
  onAuthenticated(result: ServerAuthResult, connection: Connection): ConnectionHandler | void;
  /** Connection layer tuning. */
  windowSize?: number;
  maxPacketSize?: number;
}

/** The server side of one SSH connection: transport, then ssh-userauth, then ssh-connection (sans-IO). */
export class ServerEndpoint {
  readonly transport: Transport;
  private auth?: ServerAuth;
  private conn?: Connection;

  constructor(
    private readonly opts: ServerEndpointOptions,
    private readonly env: Env,
    private readonly io: EndpointIO,
  ) {
    this.transport = new Transport({ ...opts.transport, role: 'server' }, env, {
      output: (b) => io.output(b),
      payload: (p, seq) => this.onPayload(p, seq),
      closed: (e) => this.onClosed(e),
    });
  }

  get connection(): Connection | undefined {
    return this.conn;
  }

  start(): void {
    this.transport.start();
  }
  receive(chunk: Uint8Array): void {
    this.transport.receive(chunk);
  }
  /** Bytes in memory the caller reuses once this returns (Transport.receiveBorrowed). */
  receiveBorrowed(chunk: Uint8Array): void {
    this.transport.receiveBorrowed(chunk);
  }
  end(): void {
    this.transport.end();
  }
  disconnect(reason: number, description: string): void {
    this.transport.disconnect(reason, description);
  }

  private onPayload(p: Uint8Array, seq: number): void | Promise<void> {
    const n = p[0];
    if (n === MSG.SERVICE_REQUEST) return this.onServiceRequest(p);
    const auth = this.auth;
    return routePayload(
      {
        transport: this.transport,
        auth: auth && { handle: (b) => auth.handle(b), done: auth.authenticated },
        afterAuthStep: () => this.afterAuthStep(),
        connection: this.conn,
      },
      p,
      seq,
    );
  }

  private onServiceRequest(p: Uint8Array): void {
    const name = decodeServiceMessage(p);
    if (name !== 'ssh-userauth' || this.auth) {
      throw new SshError(DisconnectReason.SERVICE_NOT_AVAILABLE, `service ${name} not available`);
    }
    this.transport.send(encodeServiceAccept(name));
    const o = this.opts;
    this.auth = new ServerAuth({
      env: this.env,
      send: (b) => this.transport.send(b),
      sessionId: this.transport.sessionId!,
      policy: o.policy,
      maxAuthTries: o.maxAuthTries,
      banner: o.banner,
      peer: o.peer,
    });
    this.auth.result.catch((e: unknown) => this.transport.fail(e));
  }

  private async afterAuthStep(): Promise<void> {
    if (!this.auth?.authenticated || this.conn) return;
    this.transport.startDelayedCompression(); // USERAUTH_SUCCESS has gone out
    const result = await this.auth.result;
    this.conn = new Connection({
      env: this.env,
      send: (head, tail) => this.transport.send(head, tail),
      windowSize: this.opts.windowSize,
      maxPacketSize: this.opts.maxPacketSize,
    });
    const handler = this.opts.onAuthenticated(result, this.conn);
    if (handler) this.conn.setHandler(handler);
  }

  private onClosed(e: SshError | undefined): void {
    this.conn?.destroy(e ?? new SshError(DisconnectReason.BY_APPLICATION, 'connection closed'));
    this.io.closed(e);
  }
}
