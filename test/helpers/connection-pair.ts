// Two Connection objects wired back to back through their send functions. Delivery is asynchronous: what
// one side sends in a turn is handed to the other in a later turn (setImmediate), in order, in one batch.
// A monitor decodes every payload in flight and checks RFC 4254 §5.2 flow control independently of the code
// under test: no data beyond the receiver's window or its maximum packet size.
import {
  Connection,
  decodeConnectionMessage,
  type ChannelOptions,
  type ConnectionHandler,
  type ConnectionMessage,
} from '@tssh/ssh-protocol/connection';
import { ConnectionLostError, MSG, concatBytes } from '@tssh/ssh-protocol/wire';
import { testEnv } from './env.js';

export type Side = 'a' | 'b';

export interface SideOptions extends ChannelOptions {
  handler?: ConnectionHandler;
}

export interface ConnectionPair {
  a: Connection;
  b: Connection;
  /** Errors thrown by handle() on the receiving side; each tears the pair down like a transport would. */
  errors: Array<{ side: Side; error: unknown }>;
  monitor: WindowMonitor;
  /** Every message in flight, when `record` was set. */
  wire: Array<{ from: Side; m: ConnectionMessage }>;
  /** Resolves once nothing is in flight for a few turns. */
  quiet(): Promise<void>;
}

const other = (s: Side): Side => (s === 'a' ? 'b' : 'a');

export function connectionPair(opts: { a?: SideOptions; b?: SideOptions; record?: boolean } = {}): ConnectionPair {
  const monitor = new WindowMonitor();
  const errors: ConnectionPair['errors'] = [];
  const wire: ConnectionPair['wire'] = [];
  const queues: Record<Side, Uint8Array[]> = { a: [], b: [] };
  const scheduled: Record<Side, boolean> = { a: false, b: false };
  let dead = false;
  const conns = {} as Record<Side, Connection>;

  const fail = (side: Side, error: unknown): void => {
    errors.push({ side, error });
    dead = true;
    conns[side].destroy(error instanceof Error ? error : new Error(String(error)));
    conns[other(side)].destroy(new ConnectionLostError());
  };

  // Payloads sent by `from` are queued for delivery to the other side.
  const run = (from: Side): void => {
    scheduled[from] = false;
    const to = other(from);
    for (const p of queues[from].splice(0)) {
      if (dead) return;
      try {
        conns[to].handle(p);
      } catch (e) {
        fail(to, e);
      }
    }
  };
  const sender = (from: Side) => (head: Uint8Array, tail?: Uint8Array) => {
    if (dead) return;
    const payload = tail ? concatBytes(head, tail) : head;
    const m = decodeConnectionMessage(payload);
    monitor.observe(from, m);
    if (opts.record) wire.push({ from, m });
    queues[from].push(payload);
    if (!scheduled[from]) {
      scheduled[from] = true;
      setImmediate(() => run(from));
    }
  };
  for (const side of ['a', 'b'] as const) {
    const { handler, ...channelOptions } = opts[side] ?? {};
    conns[side] = new Connection({ env: testEnv(), send: sender(side), handler, ...channelOptions });
  }

  const quiet = async (): Promise<void> => {
    for (let calm = 0; calm < 3; ) {
      await new Promise((r) => setImmediate(r));
      calm = queues.a.length + queues.b.length === 0 && !scheduled.a && !scheduled.b ? calm + 1 : 0;
    }
  };
  return { a: conns.a, b: conns.b, errors, monitor, wire, quiet };
}

interface Allowance {
  window: number;
  maxPacket: number;
}

/** Replays both windows of every channel from the messages on the wire. */
export class WindowMonitor {
  readonly violations: string[] = [];
  dataPackets = 0;
  windowAdjusts = 0;
  largestData = 0;
  /** What may still be sent to `${receiver}:${receiverChannelId}`. */
  private readonly allowances = new Map<string, Allowance>();
  /** `${side}:${id}` -> the peer's id for the same channel. */
  private readonly peerId = new Map<string, number>();
  private readonly offered = new Map<string, Allowance>();

  observe(from: Side, m: ConnectionMessage): void {
    const to = other(from);
    switch (m.msg) {
      case MSG.CHANNEL_OPEN:
        this.offered.set(`${from}:${m.sender}`, { window: m.initialWindow, maxPacket: m.maxPacket });
        return;
      case MSG.CHANNEL_OPEN_CONFIRMATION: {
        const opener = `${to}:${m.recipient}`;
        const offer = this.offered.get(opener);
        if (!offer) return void this.violations.push(`confirmation for ${opener} that was never opened`);
        this.offered.delete(opener);
        this.allowances.set(opener, offer);
        this.allowances.set(`${from}:${m.sender}`, { window: m.initialWindow, maxPacket: m.maxPacket });
        this.peerId.set(opener, m.sender);
        this.peerId.set(`${from}:${m.sender}`, m.recipient);
        return;
      }
      case MSG.CHANNEL_WINDOW_ADJUST: {
        const mine = this.peerId.get(`${to}:${m.recipient}`);
        const a = mine === undefined ? undefined : this.allowances.get(`${from}:${mine}`);
        if (!a) return void this.violations.push(`window adjust from ${from} for unknown channel ${m.recipient}`);
        a.window += m.bytes;
        this.windowAdjusts++;
        return;
      }
      case MSG.CHANNEL_DATA:
      case MSG.CHANNEL_EXTENDED_DATA: {
        const key = `${to}:${m.recipient}`;
        const a = this.allowances.get(key);
        if (!a) return void this.violations.push(`data from ${from} for unknown channel ${key}`);
        const n = m.data.length;
        if (n > a.window) this.violations.push(`${from} sent ${n} bytes to ${key} with window ${a.window}`);
        if (n > a.maxPacket) this.violations.push(`${from} sent ${n} bytes to ${key} with max packet ${a.maxPacket}`);
        a.window -= n;
        this.dataPackets++;
        this.largestData = Math.max(this.largestData, n);
        return;
      }
      default:
        return;
    }
  }
}
