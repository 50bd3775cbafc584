// How the server splits its input into requests (request-framer.ts): packets cut anywhere between chunks, WRITE
// data handed on in the pieces it arrived in, and WRITEs whose fields do not add up decoded (and refused) like
// any other malformed request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { FX, FXF, encodeRequest, encodeWritePacket, type SftpOpenFile } from '@tssh/ssh-protocol/sftp';
import { concatBytes, fromHex } from '@tssh/ssh-protocol/wire';
import { MemoryFs } from '../helpers/sftp-memory-fs.js';
import { SftpDriver, as, expectStatus } from '../helpers/sftp-driver.js';

const W = FXF.WRITE | FXF.CREAT | FXF.TRUNC;

async function started(fs = new MemoryFs()) {
  const d = new SftpDriver({ fs, home: '/' });
  await d.init();
  return { d, fs };
}

/** Feeds `bytes` cut at pseudo-random places (a fixed seed: the same cuts every run). */
function feedCut(d: SftpDriver, bytes: Uint8Array, maxPiece: number, seed = 7): void {
  let x = seed;
  for (let at = 0; at < bytes.length; ) {
    x = (x * 1103515245 + 12345) >>> 0;
    const n = 1 + (x % maxPiece);
    d.raw(bytes.subarray(at, at + n));
    at += n;
  }
}

test('requests cut anywhere between chunks: every one parsed, writes applied, replies in order', async () => {
  const { d, fs } = await started();
  const h = await d.handle({ kind: 'open', path: '/f', pflags: W, attrs: {} });
  const data = randomBytes(300_000);
  const packets: Uint8Array[] = [];
  const ids: number[] = [];
  for (let off = 0, id = 100; off < data.length; off += 70_000, id++) {
    packets.push(encodeWritePacket(id, h, off, data.subarray(off, off + 70_000)));
    packets.push(encodeRequest({ kind: 'fstat', id: id + 1000, handle: h }));
    ids.push(id, id + 1000);
  }
  for (const [maxPiece, seed] of [[1, 1], [7, 2], [40_000, 3]] as const) {
    feedCut(d, concatBytes(...packets), maxPiece, seed);
    for (const id of ids) {
      const r = await d.wait(id);
      if (id >= 1000) as(r, 'attrs');
      else expectStatus(r, FX.OK);
    }
    assert.deepEqual(Buffer.from(fs.readFile('/f')), data);
    d.responses.length = 0;
  }
});

test('WRITE data reaches the file system in the pieces it arrived in, once, through writev when it has one', async () => {
  const fs = new MemoryFs();
  const calls: number[][] = [];
  const open = fs.open.bind(fs);
  fs.open = async (...args: Parameters<MemoryFs['open']>): Promise<SftpOpenFile> => {
    const f = await open(...args);
    f.writev = async (offset, parts) => {
      calls.push(parts.map((p) => p.length));
      let at = offset;
      for (const p of parts) {
        await f.write(at, p);
        at += p.length;
      }
    };
    return f;
  };
  const { d } = await started(fs);
  const h = await d.handle({ kind: 'open', path: '/g', pflags: W, attrs: {} });
  const data = randomBytes(100_000);
  const packet = encodeWritePacket(5, h, 0, data);
  for (let at = 0; at < packet.length; at += 32_768) d.raw(packet.subarray(at, at + 32_768));
  expectStatus(await d.wait(5), FX.OK);
  assert.equal(calls.length, 1);
  assert.ok(calls[0].length >= 4, `the data in the chunks it came in (${calls[0].join(', ')})`);
  assert.equal(calls[0].reduce((a, b) => a + b, 0), data.length);
  assert.deepEqual(Buffer.from(fs.readFile('/g')), data);
});

test('WRITEs whose fields do not add up, or whose offset is past 2^53, are BAD_MESSAGE; the session goes on', async () => {
  const { d, fs } = await started();
  const h = await d.handle({ kind: 'open', path: '/h', pflags: W, attrs: {} });
  const hex = Buffer.from(h).toString('hex');
  const hl = h.length.toString(16).padStart(8, '0');
  const packet = (body: string): Uint8Array => {
    const b = fromHex(body);
    return Uint8Array.of(0, 0, b.length >> 8, b.length & 0xff, ...b);
  };
  d.raw(packet(`06 000000c9 ${hl} ${hex} 0000000000000000 00000004 616263`)); // 3 bytes of data, 4 claimed
  expectStatus(await d.wait(201), FX.BAD_MESSAGE);
  d.raw(packet(`06 000000ca ${hl} ${hex} 0000000000000000 00000002 616263`)); // a trailing byte
  expectStatus(await d.wait(202), FX.BAD_MESSAGE);
  d.raw(packet(`06 000000cb ${hl} ${hex} 0020000000000000 00000001 61`)); // offset 2^53
  expectStatus(await d.wait(203), FX.BAD_MESSAGE);
  d.raw(packet(`06 000000cc 00000101 ${'00'.repeat(257)} 0000000000000000 00000001 61`)); // a 257-byte handle
  expectStatus(await d.wait(204), FX.FAILURE, 'Invalid handle');
  d.raw(packet(`06 000000ce ${hl} ${hex} 0000000000000002 00000002 6869`));
  expectStatus(await d.wait(206), FX.OK);
  assert.deepEqual(Buffer.from(fs.readFile('/h')).subarray(0, 4), Buffer.from([0, 0, 0x68, 0x69]));
});
