// Drives an SftpServer in memory the way a client would: requests encoded with the codec, responses framed,
// decoded and matched to their ids.
import assert from 'node:assert/strict';
import {
  FX,
  SftpFramer,
  SftpServer,
  decodeResponse,
  encodeRequest,
  type SftpIdRequest,
  type SftpResponse,
  type SftpServerOptions,
} from '@tssh/ssh-protocol/sftp';
import { testEnv } from './env.js';

export type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type Req = WithoutId<SftpIdRequest>;

export class SftpDriver {
  readonly server: SftpServer;
  /** Every response, in the order the server sent them. */
  readonly responses: SftpResponse[] = [];
  readonly closed: Promise<Error | undefined>;
  resumedCount = 0;
  private readonly framer = new SftpFramer(1 << 30);
  private readonly waiters = new Map<number, (r: SftpResponse) => void>();
  private nextId = 1;

  constructor(opts: Omit<SftpServerOptions, 'send'> & { send?: SftpServerOptions['send'] }) {
    let resolveClosed!: (e: Error | undefined) => void;
    this.closed = new Promise((r) => (resolveClosed = r));
    this.server = new SftpServer({
      log: testEnv().log,
      ...opts,
      send: (bytes) => {
        this.framer.push(bytes);
        for (let p = this.framer.next(); p; p = this.framer.next()) this.deliver(decodeResponse(p));
        return opts.send?.(bytes);
      },
      resumed: () => {
        this.resumedCount++;
        opts.resumed?.();
      },
      closed: (e) => resolveClosed(e),
    });
  }

  private deliver(r: SftpResponse): void {
    this.responses.push(r);
    const id = r.kind === 'version' ? -1 : r.id;
    const w = this.waiters.get(id);
    if (w) {
      this.waiters.delete(id);
      w(r);
    }
  }

  /** Resolves with the response to `id` (-1 for VERSION). */
  wait(id: number): Promise<SftpResponse> {
    const seen = this.responses.find((r) => (r.kind === 'version' ? -1 : r.id) === id);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.set(id, resolve));
  }

  async init(): Promise<Extract<SftpResponse, { kind: 'version' }>> {
    this.raw(encodeRequest({ kind: 'init', version: 3, extensions: [] }));
    const v = await this.wait(-1);
    assert.equal(v.kind, 'version');
    return v as Extract<SftpResponse, { kind: 'version' }>;
  }

  /** Feeds bytes as they are; returns what receive() said. */
  raw(bytes: Uint8Array): boolean {
    return this.server.receive(bytes);
  }

  /** Encodes a request with a fresh id and feeds it; returns the id. */
  post(m: Req): number {
    const id = this.nextId++;
    this.raw(encodeRequest({ ...m, id } as SftpIdRequest));
    return id;
  }

  request(m: Req): Promise<SftpResponse> {
    return this.wait(this.post(m));
  }

  async ok(m: Req): Promise<void> {
    expectStatus(await this.request(m), FX.OK);
  }

  async handle(m: Req): Promise<Uint8Array> {
    const r = await this.request(m);
    assert.equal(r.kind, 'handle', `expected a handle, got ${JSON.stringify(r)}`);
    return (r as Extract<SftpResponse, { kind: 'handle' }>).handle;
  }
}

export function expectStatus(r: SftpResponse, code: number, message?: string): void {
  assert.equal(r.kind, 'status', `expected STATUS ${code}, got ${JSON.stringify(r)}`);
  const s = r as Extract<SftpResponse, { kind: 'status' }>;
  assert.equal(s.code, code, `status ${s.code} "${s.message}", expected ${code}`);
  if (message !== undefined) assert.equal(s.message, message);
}

export function as<K extends SftpResponse['kind']>(r: SftpResponse, kind: K): Extract<SftpResponse, { kind: K }> {
  assert.equal(r.kind, kind, `expected ${kind}, got ${JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
  return r as Extract<SftpResponse, { kind: K }>;
}
