// The client's reply framer (DATA kept as the pieces it arrived in, everything else whole), READ answered in
// pieces through the session, and WRITE packets built around their data (PreparedWrite).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FX,
  PreparedWrite,
  SftpClient,
  SftpFramingError,
  SftpReplyFramer,
  decodeRequest,
  decodeResponse,
  encodeDataPacket,
  encodeResponse,
  encodeWritePacket,
  joinChunks,
  type FramedReply,
} from '@tssh/ssh-protocol/sftp';
import { toHex } from '@tssh/ssh-protocol/wire';

const bytes = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

/** `stream` fed in pieces cut at `cuts`; every reply returned. */
function frame(stream: Uint8Array, cuts: number[], max?: number): FramedReply[] {
  const f = new SftpReplyFramer(max);
  const out: FramedReply[] = [];
  let at = 0;
  for (const end of [...cuts, stream.length]) {
    f.push(stream.subarray(at, end));
    at = end;
    for (let r = f.next(); r; r = f.next()) out.push(r);
  }
  assert.equal(f.buffered, 0);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return joinChunks(parts);
}

test('DATA comes out as the pieces it arrived in, subarrays of them, with its id; other replies whole', () => {
  const data = bytes(1000);
  const status = encodeResponse({ kind: 'status', id: 9, code: FX.OK, message: 'ok', language: '' });
  const stream = concat(encodeDataPacket(7, data), status, encodeDataPacket(8, bytes(3, 5)));
  for (const cuts of [[], [1], [3, 12, 13, 14], [400, 800, 1013], [1013 + 5], Array.from({ length: 60 }, (_, i) => i * 20 + 1)]) {
    const out = frame(stream, cuts);
    assert.equal(out.length, 3);
    const [a, b, c] = out;
    assert.ok(a.kind === 'data' && b.kind === 'packet' && c.kind === 'data');
    assert.equal(a.id, 7);
    assert.equal(a.length, 1000);
    assert.deepEqual(joinChunks(a.chunks), data);
    assert.ok(a.chunks.every((p) => p.length > 0 && p.buffer === stream.buffer), 'no copies');
    assert.deepEqual(decodeResponse(b.payload), { kind: 'status', id: 9, code: FX.OK, message: 'ok', language: '' });
    assert.equal(c.id, 8);
    assert.deepEqual(joinChunks(c.chunks), bytes(3, 5));
  }
});

test('a DATA whose string does not fill its packet goes the general way (decodeResponse judges it)', () => {
  const p = encodeDataPacket(4, bytes(10));
  new DataView(p.buffer).setUint32(9, 9); // one byte short of the packet
  const [r] = frame(p, [5]);
  assert.equal(r.kind, 'packet');
  assert.throws(() => decodeResponse((r as { payload: Uint8Array }).payload));
});

test('an oversized or empty packet is a framing error, before it is buffered', () => {
  const f = new SftpReplyFramer(1024);
  f.push(Uint8Array.of(0, 0, 4, 1, FX.OK));
  assert.throws(() => f.next(), SftpFramingError);
  const g = new SftpReplyFramer();
  g.push(Uint8Array.of(0, 0, 0, 0));
  assert.throws(() => g.next(), SftpFramingError);
});

test('readChunks: DATA in pieces; read() still gets one buffer; EOF is undefined', async () => {
  const sent: Uint8Array[] = [];
  const client = new SftpClient({ send: (b) => void sent.push(b) });
  const ready = client.init();
  client.receive(encodeResponse({ kind: 'version', version: 3, extensions: [] }));
  await ready;
  const handle = Uint8Array.of(1, 2);
  const data = bytes(5000);
  const pieces = client.readChunks(handle, 0, 8192);
  const whole = client.read(handle, 0, 8192);
  const eof = client.readChunks(handle, 8192, 8192);
  const ids = sent.slice(1).map((b) => (decodeRequest(b.subarray(4)) as { id: number }).id);
  const reply = encodeDataPacket(ids[0], data);
  client.receive(reply.subarray(0, 2000));
  client.receive(reply.subarray(2000));
  client.receive(encodeDataPacket(ids[1], data));
  client.receive(encodeResponse({ kind: 'status', id: ids[2], code: FX.EOF, message: '', language: '' }));
  const got = await pieces;
  assert.equal(got!.length, 2);
  assert.deepEqual(joinChunks(got!), data);
  assert.deepEqual(await whole, data);
  assert.equal(await eof, undefined);
  const over = client.readChunks(handle, 0, 10);
  client.receive(encodeDataPacket((decodeRequest(sent.at(-1)!.subarray(4)) as { id: number }).id, bytes(11)));
  await assert.rejects(over, /asked for 10 bytes, got 11/);
});

test('PreparedWrite: byte for byte the WRITE encodeWritePacket makes, for any count up to its room', () => {
  const handle = bytes(9, 3);
  const w = new PreparedWrite(handle, 100);
  assert.equal(w.data.length, 100);
  w.data.set(bytes(100, 7));
  for (const [id, offset, n] of [
    [1, 0, 100],
    [0xffffffff, 2 ** 40 + 5, 37],
    [3, 12, 0],
  ]) {
    assert.equal(toHex(w.finish(id, offset, n)), toHex(encodeWritePacket(id, handle, offset, bytes(100, 7).subarray(0, n))));
  }
  assert.throws(() => w.finish(1, 0, 101), RangeError);
  assert.throws(() => w.finish(1, -1, 1), RangeError);
});
