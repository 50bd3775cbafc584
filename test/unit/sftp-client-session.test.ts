// The SFTP client's session core fed by hand: what INIT looks like, ids matched to replies in any order, and what
// ends a session (a bad VERSION, a reply to no request, a malformed or oversized packet); output backpressure;
// and how transfers are sized from limits@openssh.com.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FX,
  SftpClient,
  SftpFramingError,
  SftpReplyError,
  SftpSessionClosedError,
  SftpStatusError,
  decodeRequest,
  encodeRequest,
  encodeResponse,
  encodeDataPacket,
  encodeWritePacket,
  transferTuning,
  type SftpRequest,
  type SftpResponse,
} from '@tssh/ssh-protocol/sftp';
import { DecodeError, fromHex, toHex, utf8 } from '@tssh/ssh-protocol/wire';

/** A client whose output is decoded into `sent`; `answer` feeds it a server packet. */
function harness(full = false) {
  const sent: SftpRequest[] = [];
  const raw: Uint8Array[] = [];
  const client = new SftpClient({
    send: (b) => {
      raw.push(b);
      sent.push(decodeRequest(b.subarray(4)));
      return !full;
    },
  });
  const answer = (m: SftpResponse): void => client.receive(encodeResponse(m));
  return { client, sent, raw, answer };
}

async function ready(full = false) {
  const h = harness(full);
  const info = h.client.init();
  h.answer({ kind: 'version', version: 3, extensions: [{ name: 'limits@openssh.com', data: '1' }] });
  await info;
  return h;
}

test('INIT is `uint32 5, byte 1, uint32 3`; VERSION gives the extensions', async () => {
  const h = harness();
  const info = h.client.init();
  assert.equal(toHex(h.raw[0]), '000000050100000003');
  h.answer({ kind: 'version', version: 3, extensions: [{ name: 'fsync@openssh.com', data: '1' }] });
  const v = await info;
  assert.equal(v.version, 3);
  assert.deepEqual([...v.extensions], [['fsync@openssh.com', '1']]);
  await assert.rejects(h.client.init(), /init\(\) called twice/);
});

test('requests before VERSION are refused', async () => {
  const h = harness();
  await assert.rejects(h.client.stat('/'), /before VERSION/);
});

test('a server below version 3 ends the session', async () => {
  const h = harness();
  const info = h.client.init();
  h.answer({ kind: 'version', version: 2, extensions: [] });
  await assert.rejects(info, SftpReplyError);
  assert.ok((await h.client.closed) instanceof SftpReplyError);
});

test('replies are matched by id, in any order; ids go up', async () => {
  const h = await ready();
  const a = h.client.realpath('a');
  const b = h.client.stat('b');
  const [ra, rb] = h.sent.slice(1) as Array<SftpRequest & { id: number }>;
  assert.equal(rb.id, ra.id + 1);
  h.answer({ kind: 'attrs', id: rb.id, attrs: { size: 7 } });
  h.answer({ kind: 'name', id: ra.id, names: [{ filename: '/x/a', longname: '/x/a', attrs: {} }] });
  assert.deepEqual(await b, { size: 7 });
  assert.equal(await a, '/x/a');
  assert.equal(h.client.inFlight, 0);
});

test('statuses become SftpStatusError with the server text, or the standard one when it sent none', async () => {
  const h = await ready();
  const a = h.client.remove('a');
  const b = h.client.remove('b');
  const [ra, rb] = h.sent.slice(1) as Array<SftpRequest & { id: number }>;
  h.answer({ kind: 'status', id: ra.id, code: FX.PERMISSION_DENIED, message: 'nope', language: '' });
  h.answer({ kind: 'status', id: rb.id, code: FX.NO_SUCH_FILE, message: '', language: '' });
  await assert.rejects(a, (e: unknown) => e instanceof SftpStatusError && e.code === FX.PERMISSION_DENIED && e.message === 'nope');
  await assert.rejects(b, (e: unknown) => e instanceof SftpStatusError && e.code === FX.NO_SUCH_FILE && e.message === 'No such file');
});

test('a reply of the wrong kind, or more data than asked for, is a protocol error for that request', async () => {
  const h = await ready();
  const a = h.client.stat('a');
  const r = h.client.read(utf8('h'), 0, 4);
  const [ra, rr] = h.sent.slice(1) as Array<SftpRequest & { id: number }>;
  h.answer({ kind: 'handle', id: ra.id, handle: utf8('x') });
  h.answer({ kind: 'data', id: rr.id, data: utf8('12345') });
  await assert.rejects(a, /stat: expected attrs, got handle/);
  await assert.rejects(r, /asked for 4 bytes, got 5/);
});

test('a reply to no request ends the session; everything waiting fails with that error', async () => {
  const h = await ready();
  const a = h.client.stat('a');
  h.answer({ kind: 'status', id: 999, code: FX.OK, message: '', language: '' });
  await assert.rejects(a, SftpReplyError);
  assert.match(String(await h.client.closed), /id 999 to no request/);
  await assert.rejects(h.client.stat('b'), SftpReplyError);
});

test('malformed and oversized packets end the session', async () => {
  const truncated = await ready();
  const a = truncated.client.stat('a');
  truncated.client.receive(fromHex('0000000669000000')); // ATTRS, id cut short
  truncated.client.receive(fromHex('0000'));
  await assert.rejects(a, SftpSessionClosedError);
  assert.ok((await truncated.client.closed) instanceof DecodeError);

  const big = await ready();
  big.client.receive(fromHex('00100000'));
  assert.ok((await big.client.closed) instanceof SftpFramingError);
});

test('bytes split anywhere and coalesced replies are all delivered', async () => {
  const h = await ready();
  const ps = [h.client.realpath('a'), h.client.realpath('b'), h.client.realpath('c')];
  const ids = (h.sent.slice(1) as Array<SftpRequest & { id: number }>).map((r) => r.id);
  const bytes = Buffer.concat(
    ids.map((id, i) => encodeResponse({ kind: 'name', id, names: [{ filename: `/${i}`, longname: '', attrs: {} }] })),
  );
  for (const b of bytes) h.client.receive(Uint8Array.of(b));
  assert.deepEqual(await Promise.all(ps), ['/0', '/1', '/2']);
});

test('backpressure: send() false makes the client unwritable until outputDrained() or the end', async () => {
  const h = await ready(true);
  assert.equal(h.client.writable, false);
  let woke = false;
  const w = h.client.waitWritable().then(() => (woke = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(woke, false);
  h.client.outputDrained();
  await w;
  assert.equal(h.client.writable, true);
  void h.client.stat('x').catch(() => {});
  assert.equal(h.client.writable, false);
  const w2 = h.client.waitWritable();
  h.client.end();
  await w2;
  assert.equal(await h.client.closed, undefined);
});

test('transfer tuning: 32 KiB x 64 by default; the server limits scale it, -B and -R override', () => {
  assert.deepEqual(transferTuning(undefined), { readLength: 32768, writeLength: 32768, requests: 64 });
  const openssh = { maxPacketLength: 262144, maxReadLength: 261120, maxWriteLength: 261120, maxOpenHandles: 1019 };
  assert.deepEqual(transferTuning(openssh), { readLength: 261120, writeLength: 261120, requests: 64 });
  const small = { maxPacketLength: 40000, maxReadLength: 16384, maxWriteLength: 0, maxOpenHandles: 10 };
  assert.deepEqual(transferTuning(small), { readLength: 16384, writeLength: 38976, requests: 10 });
  assert.deepEqual(transferTuning(openssh, { bufferSize: 8192, requests: 200 }), { readLength: 8192, writeLength: 8192, requests: 200 });
  assert.deepEqual(transferTuning(small, { bufferSize: 100_000 }), { readLength: 16384, writeLength: 38976, requests: 10 });
});

test('WRITE is encoded in one allocation, byte for byte as the codec encodes it', () => {
  for (const [id, handle, offset, size] of [
    [1, utf8('h'), 0, 0],
    [0xfffffffe, utf8('handle-256'), 2 ** 40 + 3, 70_000],
    [7, new Uint8Array(0), Number.MAX_SAFE_INTEGER, 5],
  ] as const) {
    const data = Uint8Array.from({ length: size }, (_, i) => (i * 7) & 0xff);
    assert.equal(toHex(encodeWritePacket(id, handle, offset, data)), toHex(encodeRequest({ kind: 'write', id, handle, offset, data })));
  }
  assert.throws(() => encodeWritePacket(1, utf8('h'), -1, new Uint8Array(1)), RangeError);
});

test('DATA is encoded in one allocation, byte for byte as the codec encodes it', () => {
  for (const [id, size] of [[0, 0], [5, 1], [0xffffffff, 261_120]] as const) {
    const data = Uint8Array.from({ length: size }, (_, i) => (i * 13) & 0xff);
    assert.equal(toHex(encodeDataPacket(id, data)), toHex(encodeResponse({ kind: 'data', id, data })));
  }
});
