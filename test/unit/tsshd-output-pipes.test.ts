// The real pipes a command's output goes through (output-pipes.ts): made as FIFOs whose names are gone at once,
// kept one ahead, and never a condition for running the command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdirSync, mkdtempSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closePipe, makePipe, makePipeLater, PipeStock, sweepLeftovers, type PipeEnds } from '@tssh/sshd/dist/output-pipes.js';

const leftovers = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('tsshd-pipe-'));

test('makePipe: an anonymous pipe (a FIFO with no name left), bytes written come out of the read end', () => {
  const before = leftovers();
  const pipe = makePipe();
  try {
    assert.ok(fstatSync(pipe.read).isFIFO());
    assert.ok(fstatSync(pipe.write).isFIFO());
    assert.equal(fstatSync(pipe.read).nlink, 0, 'the name was removed');
    assert.deepEqual(leftovers(), before, 'no directory left behind');
    writeSync(pipe.write, 'through the pipe');
    const buf = Buffer.alloc(64);
    assert.equal(buf.subarray(0, readSync(pipe.read, buf)).toString(), 'through the pipe');
  } finally {
    closePipe(pipe);
  }
});

test('makePipeLater: the same without blocking; a child writes to it, the reader sees its output then EOF', async () => {
  const pipe = await makePipeLater();
  const child = spawn('sh', ['-c', 'head -c 1000000 /dev/zero; echo end'], { stdio: ['ignore', pipe.write, 'ignore'] });
  closeSync(pipe.write);
  const reader = new Socket({ fd: pipe.read, readable: true, writable: false });
  const chunks: Buffer[] = [];
  reader.on('data', (d: Buffer) => chunks.push(d));
  await new Promise((resolve) => reader.on('end', resolve));
  const all = Buffer.concat(chunks);
  assert.equal(all.length, 1_000_004);
  assert.equal(all.subarray(-4).toString(), 'end\n');
  await new Promise((resolve) => child.on('exit', resolve));
});

test('PipeStock: prepare makes one, take hands it out and starts the next in the background', async () => {
  let n = 0;
  const fake = (): PipeEnds => ({ read: 1000 + n, write: 2000 + n++ });
  const later: Array<(p: PipeEnds) => void> = [];
  const stock = new PipeStock(fake, () => new Promise((resolve) => later.push(resolve)), () => {});
  assert.equal(stock.ready, 0);
  stock.prepare();
  stock.prepare(); // one is enough
  assert.equal(stock.ready, 1);
  assert.deepEqual(stock.take(), { read: 1000, write: 2000 });
  assert.equal(later.length, 1, 'a replacement is on its way');
  assert.equal(stock.take(), undefined, 'none ready meanwhile: the caller uses a socketpair');
  assert.equal(later.length, 1, 'only one on its way at a time');
  later[0]({ read: 7, write: 8 });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(stock.take(), { read: 7, write: 8 });
});

test('PipeStock: a pipe that cannot be made leaves the stock empty, and is tried again on the next take', async () => {
  let attempts = 0;
  const stock = new PipeStock(
    () => {
      throw new Error('no mkfifo');
    },
    () => {
      attempts++;
      return Promise.reject(new Error('no mkfifo'));
    },
    () => {},
  );
  stock.prepare();
  assert.equal(stock.ready, 0);
  assert.equal(stock.take(), undefined);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(stock.take(), undefined);
  assert.equal(attempts, 2);
});

test('a process that exits while a pipe is being made leaves no directory behind', () => {
  const module = new URL('../../../packages/sshd/dist/output-pipes.js', import.meta.url).href;
  const script = `const m = await import(${JSON.stringify(module)}); void m.makePipeLater(); console.log(process.pid); process.exit(0);`;
  const pid = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim();
  assert.match(pid, /^\d+$/);
  assert.deepEqual(leftovers().filter((n) => n.startsWith(`tsshd-pipe-${pid}-`)), []);
});

test('sweepLeftovers removes the directories of makers that are gone, and nothing else', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-test-'));
  try {
    const gone = spawnSync('true').pid!; // a process that has ended
    for (const name of [`tsshd-pipe-${gone}-aaaaaa`, `tsshd-pipe-${process.pid}-bbbbbb`, 'tsshd-pipe-x', 'other']) {
      mkdirSync(join(dir, name));
    }
    sweepLeftovers(dir);
    assert.deepEqual(readdirSync(dir).sort(), ['other', `tsshd-pipe-${process.pid}-bbbbbb`, 'tsshd-pipe-x'].sort());
    assert.ok(!existsSync(join(dir, `tsshd-pipe-${gone}-aaaaaa`)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
