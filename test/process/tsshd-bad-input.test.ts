// Bad input reaches the operator and the peer as one clear line, and the daemon keeps serving.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { BIN, run, tempDir } from '../helpers/processes.js';
import { startTsshd, type RunningServer } from '../helpers/servers.js';

let server: RunningServer;
before(async () => {
  server = await startTsshd();
});
after(async () => server?.stop());

/** Connect, send `bytes` after our version line, and collect everything until the server closes. */
function exchange(port: number, bytes: Buffer, until?: RegExp): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = connect(port, '127.0.0.1', () => s.write(Buffer.concat([Buffer.from('SSH-2.0-probe\r\n'), bytes])));
    s.on('data', (d) => {
      chunks.push(d);
      if (until?.test(Buffer.concat(chunks).toString('latin1'))) s.destroy();
    });
    s.on('error', reject);
    s.on('close', () => resolve(Buffer.concat(chunks)));
    setTimeout(() => s.destroy(), 10_000).unref();
  });
}

/** Find the clear-text DISCONNECT the server sent before any key exchange finished. */
function findDisconnect(reply: Buffer): { reason: number; description: string } | undefined {
  let off = reply.indexOf('\r\n') + 2; // after the server's version line
  while (off + 5 <= reply.length) {
    const len = reply.readUInt32BE(off);
    const pad = reply[off + 4];
    const payload = reply.subarray(off + 5, off + 4 + len - pad);
    if (payload[0] === 1) {
      const dlen = payload.readUInt32BE(5);
      return { reason: payload.readUInt32BE(1), description: payload.subarray(9, 9 + dlen).toString() };
    }
    off += 4 + len;
  }
  return undefined;
}

test('an oversized packet length gets DISCONNECT(PROTOCOL_ERROR) naming it, and a log line', async () => {
  const bad = Buffer.alloc(16);
  bad.writeUInt32BE(0xffffffff, 0);
  const reply = await exchange(server.port, bad);
  const d = findDisconnect(reply);
  assert.ok(d, 'a DISCONNECT came back');
  assert.equal(d.reason, 2);
  assert.equal(d.description, 'Bad packet length 4294967295');
  await new Promise((r) => setTimeout(r, 200));
  assert.match(server.log(), /Bad packet length 4294967295/);
});

test('a packet that is not KEXINIT first, under strict KEX rules, still gets a clean DISCONNECT', async () => {
  // An unknown message number (200) before any key exchange.
  const payload = Buffer.from([200, 1, 2, 3]);
  const pad = 8 - ((5 + payload.length) % 8) + (8 - ((5 + payload.length) % 8) < 4 ? 8 : 0);
  const pkt = Buffer.alloc(5 + payload.length + pad);
  pkt.writeUInt32BE(1 + payload.length + pad, 0);
  pkt[4] = pad;
  payload.copy(pkt, 5);
  const reply = await exchange(server.port, pkt);
  const d = findDisconnect(reply);
  assert.ok(d);
  assert.equal(d.reason, 2);
});

test('a broken config line: tsshd and tsshd-session print FILE line N and exit 1', async () => {
  const dir = tempDir();
  try {
    const file = join(dir.path, 'sshd_config');
    writeFileSync(file, 'Port 2222\r\nFrobnicate yes\r\n');
    const d = await run(process.execPath, [BIN.tsshd, '-t', '-f', file]);
    assert.equal(d.code, 1);
    assert.match(d.stderr, new RegExp(`${file} line 2: Bad configuration option: Frobnicate`));
    const w = await run(process.execPath, [BIN.tsshdSession, '-i', '-f', file]);
    assert.equal(w.code, 1);
    assert.match(w.stderr, new RegExp(`${file} line 2: Bad configuration option: Frobnicate`));
  } finally {
    dir.cleanup();
  }
});

test('an unreadable host key is logged by path, and a worker without keys exits cleanly', async () => {
  const dir = tempDir();
  try {
    const file = join(dir.path, 'sshd_config');
    writeFileSync(file, `HostKey ${join(dir.path, 'missing_key')}\n`);
    const w = await run(process.execPath, [BIN.tsshdSession, '-i', '-e', '-f', file], { input: 'SSH-2.0-x\r\n' });
    assert.equal(w.code, 1);
    assert.match(w.stderr, new RegExp(`Unable to load host key: ${join(dir.path, 'missing_key')}: No such file or directory`));
    assert.match(w.stderr, /no hostkeys available -- exiting/);
  } finally {
    dir.cleanup();
  }
});

test('after all that, the daemon still serves', async () => {
  const reply = await exchange(server.port, Buffer.alloc(0), /^SSH-2\.0-.*\r\n/);
  assert.match(reply.toString('latin1'), /^SSH-2\.0-tssh_/);
});
