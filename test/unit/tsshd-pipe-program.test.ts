// A command's output read from its pipe into one buffer used again and again (pipe-program.ts): every byte
// reaches the channel in order although the buffer is overwritten by the next read, reading waits while the
// peer's window is shut, and a channel closed meanwhile does not leave the command blocked on a full pipe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Channel, IncomingChannelOpen } from '@tssh/ssh-protocol/connection';
import { silentLogger } from '@tssh/ssh-protocol/wire';
import { outputPipes } from '@tssh/sshd/dist/output-pipes.js';
import { runWithPipes } from '@tssh/sshd/dist/pipe-program.js';
import { connectionPair } from '../helpers/connection-pair.js';
import { pollFor } from '../helpers/poll.js';

const sh = (script: string) => ({ file: '/bin/sh', argv0: 'sh', args: ['-c', script], env: { PATH: '/usr/bin:/bin' }, cwd: '/' });

/** A session channel from a to b, whose window and packet size are `receiver`'s; `far` is b's end. */
async function sessionTo(receiver: { windowSize: number; maxPacketSize: number }) {
  const p = connectionPair({ b: { ...receiver, handler: { onChannelOpen: (open: IncomingChannelOpen) => open.accept() } } });
  const ch = await p.a.openSession();
  const far: Channel = p.b.channel(ch.remoteId)!;
  return { p, ch, far };
}

test('a command writing megabytes through the pipe: every byte arrives in order while the reader lags', async () => {
  outputPipes.prepare();
  assert.ok(outputPipes.ready > 0, 'a pipe is ready, so the reused read buffer is what is tested');
  const { p, ch, far } = await sessionTo({ windowSize: 96 * 1024, maxPacketSize: 16 * 1024 });
  const expected = execFileSync('seq', ['1', '600000'], { maxBuffer: 16 << 20 }); // ~3.9 MB, no two reads alike
  const hash = createHash('sha256');
  let received = 0;
  let pending = 0;
  far.autoConsume = false;
  far.on('data', (d) => {
    hash.update(d);
    received += d.length;
    pending += d.length;
  });
  // The reader gives its window back only every few milliseconds: the channel fills, and reading must wait.
  const slow = setInterval(() => {
    far.consumed(pending);
    pending = 0;
  }, 2);
  const closed = new Promise((resolve) => far.on('close', resolve));
  runWithPipes(ch, sh('seq 1 600000'), silentLogger);
  await closed;
  clearInterval(slow);
  assert.equal(received, expected.length);
  assert.equal(hash.digest('hex'), createHash('sha256').update(expected).digest('hex'));
  assert.deepEqual(p.monitor.violations, []);
  assert.deepEqual(p.errors, []);
});

test('a channel the peer closes while reading waits for the window: the command is not left blocked on its pipe', async () => {
  outputPipes.prepare();
  const dir = mkdtempSync(join(tmpdir(), 'tsshd-pipe-test-'));
  try {
    const { ch, far } = await sessionTo({ windowSize: 32 * 1024, maxPacketSize: 16 * 1024 });
    far.autoConsume = false; // never gives the window back
    const mark = join(dir, 'done');
    // Ignores the SIGHUP a closing channel sends, so only reading its pipe to the end lets it finish.
    runWithPipes(ch, sh(`trap '' HUP; head -c 4000000 /dev/zero; : > ${mark}`), silentLogger);
    // Past the channel's high-water mark (64 KiB) the reading stops; then the pipe fills and the command blocks.
    await pollFor('the channel to stop taking data', () => ch.queuedBytes >= 64 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(!existsSync(mark), 'the command is held by its full pipe');
    far.close(); // the client's CLOSE: what waited for the window is dropped, and no 'drain' comes
    await pollFor('the command to finish', () => existsSync(mark));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
