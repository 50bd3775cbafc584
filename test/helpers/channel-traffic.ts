// Channel traffic for the in-memory connection pair tests: collecting what a channel delivers, pumping data with
// backpressure, streaming both ways through many channels with SHA-256 checks, and accepting every open.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { Channel, IncomingChannelOpen } from '@tssh/ssh-protocol/connection';
import { EXTENDED_DATA_STDERR } from '@tssh/ssh-protocol/wire';
import type { ConnectionPair } from './connection-pair.js';

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

export interface Received {
  data: Buffer;
  stderr: Buffer;
  eof: boolean;
  closeError: Error | undefined;
}

/** Everything a channel delivers until its 'close'. */
export function collect(ch: Channel): Promise<Received> {
  const data: Buffer[] = [];
  const stderr: Buffer[] = [];
  let eof = false;
  ch.on('data', (d) => data.push(Buffer.from(d)));
  ch.on('extended-data', (t, d) => t === EXTENDED_DATA_STDERR && stderr.push(Buffer.from(d)));
  ch.on('eof', () => (eof = true));
  return new Promise((resolve) =>
    ch.on('close', (closeError) => resolve({ data: Buffer.concat(data), stderr: Buffer.concat(stderr), eof, closeError })),
  );
}

/** Writes `data` in pieces of varying size, waiting for 'drain' whenever write() says so, then sends EOF. */
export async function pump(ch: Channel, data: Uint8Array, piece: number, stderrEvery = 0): Promise<number> {
  let maxQueued = 0;
  for (let off = 0, i = 0; off < data.length; i++) {
    const n = Math.min(data.length - off, 1 + ((i * 7919) % piece));
    const chunk = data.subarray(off, off + n);
    const ok = stderrEvery && i % stderrEvery === 0 ? ch.writeExtended(EXTENDED_DATA_STDERR, chunk) : ch.write(chunk);
    off += n;
    maxQueued = Math.max(maxQueued, ch.queuedBytes);
    if (!ok) await new Promise<void>((r) => ch.once('drain', r));
  }
  ch.eof();
  return maxQueued;
}

export const acceptAll = (serve?: (ch: Channel, open: IncomingChannelOpen) => void) => ({
  onChannelOpen(open: IncomingChannelOpen): Channel {
    const ch = open.accept();
    serve?.(ch, open);
    return ch;
  },
});

export function assertClean(p: ConnectionPair): void {
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.monitor.violations, []);
}

export async function streamBothWays(
  p: ConnectionPair,
  served: Promise<Channel[]>,
  channels: number,
  bytesEach: number,
  piece: number,
  stderrEvery = 0,
): Promise<void> {
  const up = Array.from({ length: channels }, () => randomBytes(bytesEach));
  const down = Array.from({ length: channels }, () => randomBytes(bytesEach));
  const mine = await Promise.all(Array.from({ length: channels }, () => p.a.openSession()));
  const theirs = await served;
  const byId = (ch: Channel): number => mine.findIndex((m) => m.localId === ch.remoteId);
  const runSide = async (ch: Channel, out: Uint8Array): Promise<Received> => {
    const got = collect(ch);
    const peerEof = new Promise<void>((r) => ch.on('eof', r));
    await pump(ch, out, piece, stderrEvery);
    await peerEof;
    ch.close();
    return got;
  };
  const results = await Promise.all([
    ...mine.map((ch, i) => runSide(ch, up[i])),
    ...theirs.map((ch) => runSide(ch, down[byId(ch)])),
  ]);
  for (let i = 0; i < channels; i++) {
    const atA = results[i];
    const atB = results[channels + theirs.findIndex((t) => byId(t) === i)];
    const both = (r: Received): Buffer => (stderrEvery ? Buffer.concat([r.data, r.stderr]) : r.data);
    assert.equal(both(atA).length, bytesEach);
    assert.equal(both(atB).length, bytesEach);
    if (!stderrEvery) {
      assert.equal(sha256(atA.data), sha256(down[i]), `channel ${i} b->a`);
      assert.equal(sha256(atB.data), sha256(up[i]), `channel ${i} a->b`);
    }
  }
}

export function servedChannels(count: number): { handler: ReturnType<typeof acceptAll>; served: Promise<Channel[]> } {
  const list: Channel[] = [];
  let done!: (v: Channel[]) => void;
  const served = new Promise<Channel[]>((r) => (done = r));
  const handler = acceptAll((ch) => {
    list.push(ch);
    if (list.length === count) done(list);
  });
  return { handler, served };
}
