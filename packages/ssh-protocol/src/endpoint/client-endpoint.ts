import { ClientAuth, type ClientAuthOptions, type ClientAuthResult } from '../auth/index.js';
import { Connection, type ConnectionHandler } from '../connection/index.js';
import type { PublicKey } from '../keys/index.js';
import {
  Transport,
  decodeServiceMessage,
  encodeServiceRequest,
  type TransportOptions,
} from '../transport/index.js';
import { DisconnectReason, MSG, ProtocolError, SshError, fromUtf8, type Env } from '../wire/index.js';
import type { EndpointIO } from './endpoint-io.js';
import { routePayload } from './payload-router.js';

export interface ClientEndpointOptions {
  transport: Omit<TransportOptions, 'role' | 'hostKeys' | 'serverSigAlgs'> & {
    verifyHostKey(key: PublicKey): boolean | Promise<boolean>;
  };
  auth: Omit<ClientAuthOptions, 'env' | 'send' | 'sessionId'>;
  handler?: ConnectionHandler;
  windowSize?: number;
  maxPacketSize?: number;
  /** Lines the server sent before its version (shown by ssh only with -v). */
  onPreambleLine?(line: string): void;
  onDebugMessage?(message: string, alwaysDisplay: boolean): void;
}

/** The client side of one SSH connection (sans-IO). `ready` resolves with the connection once authenticated. */
export class ClientEndpoint {
  readonly transport: Transport;
  /** Resolves with the authenticated connection; rejects with the error that ended the attempt. */
  readonly ready: Promise<{ connection: Connection; auth: ClientAuthResult }>;
  private resolveReady!: (v: { connection: Connection; auth: ClientAuthResult }) => void;
  private rejectReady!: (e: unknown) => void;
  private auth?: ClientAuth;
  private authResult?: ClientAuthResult;
  private conn?: Connection;
  private serverSigAlgs?: string[];

  constructor(
    private readonly opts: ClientEndpointOptions,
    private readonly env: Env,
    private readonly io: EndpointIO,
  ) {
    this.ready = new Promise((res, rej) => {
      this.resolveReady = res;
      this.rejectReady = rej;
    });
    this.ready.catch(() => {});
    this.transport = new Transport({ ...opts.transport, role: 'client' }, env, {
      output: (b) => io.output(b),
      payload: (p, seq) => this.onPayload(p, seq),
      ready: () => this.transport.send(encodeServiceRequest('ssh-userauth')),
      extInfo: (ext) => {
        const sigs = ext.get('server-sig-algs');
        if (!sigs) return;
        this.serverSigAlgs = fromUtf8(sigs).split(',').filter(Boolean);
        this.auth?.setServerSigAlgs(this.serverSigAlgs);
      },
      banner: (line) => opts.onPreambleLine?.(line),
      debugMessage: (m, a) => opts.onDebugMessage?.(m, a),
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
  /** Close cleanly (DISCONNECT by application). */
  close(description = 'disconnected by user'): void {
    this.transport.disconnect(DisconnectReason.BY_APPLICATION, description);
  }

  private onPayload(p: Uint8Array, seq: number): void | Promise<void> {
    const n = p[0];
    if (n === MSG.SERVICE_ACCEPT) return this.onServiceAccept(p);
    const auth = this.auth;
    return routePayload(
      {
        transport: this.transport,
        auth: auth && { handle: (b) => auth.handle(b), done: this.authResult !== undefined },
        afterAuthStep: () => this.afterAuthStep(),
        connection: this.conn,
      },
      p,
      seq,
    );
  }

  private onServiceAccept(p: Uint8Array): void {
    const name = decodeServiceMessage(p);
    if (name !== 'ssh-userauth' || this.auth) throw new ProtocolError(`unexpected SERVICE_ACCEPT for ${name}`);
    this.auth = new ClientAuth({
      ...this.opts.auth,
      env: this.env,
      send: (b) => this.transport.send(b),
      sessionId: this.transport.sessionId!,
    });
    if (this.serverSigAlgs) this.auth.setServerSigAlgs(this.serverSigAlgs);
    this.auth.start().then(
      (r) => (this.authResult = r),
      (e: unknown) => this.transport.fail(e),
    );
  }

  private afterAuthStep(): void {
    if (!this.authResult || this.conn) return;
    this.transport.startDelayedCompression(); // USERAUTH_SUCCESS has arrived
    this.conn = new Connection({
      env: this.env,
      send: (head, tail) => this.transport.send(head, tail),
      windowSize: this.opts.windowSize,
      maxPacketSize: this.opts.maxPacketSize,
    });
    if (this.opts.handler) this.conn.setHandler(this.opts.handler);
    this.resolveReady({ connection: this.conn, auth: this.authResult });
  }

  private onClosed(e: SshError | undefined): void {
    this.conn?.destroy(e ?? new SshError(DisconnectReason.BY_APPLICATION, 'connection closed'));
    this.rejectReady(e ?? new SshError(DisconnectReason.BY_APPLICATION, 'connection closed'));
    this.io.closed(e);
  }
}
