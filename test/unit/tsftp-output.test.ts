// What tsftp prints: the progress meter line, fmt_scaled sizes, `ls` columns and long lines, `df` tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dfLines } from '@tssh/sftp/df-command';
import { columnLines, formatScaled, longLine, sortEntries } from '@tssh/sftp/listing';
import { ProgressMeter, formatRate, formatSize, meterLine, type MeterState } from '@tssh/sftp/progress-meter';

for (const [n, text] of [
  [0, '0B'],
  [5, '5B'],
  [1023, '1023B'],
  [1024, '1.0K'],
  [4096, '4.0K'],
  [151344, '148K'],
  [1536, '1.5K'],
  [10 * 1024 * 1024, '10.0M'],
  [270553174016, '252G'],
  [23830307840, '22.2G'],
] as const) {
  test(`fmt_scaled ${n} = ${text}`, () => assert.equal(formatScaled(n), text));
}

test('meter sizes and rates as OpenSSH formats them', () => {
  assert.equal(formatSize(0), '   0  ');
  assert.equal(formatSize(9999), '9999  ');
  assert.equal(formatSize(10000), '  10KB');
  assert.equal(formatSize(256 * 1024 * 1024), ' 256MB');
  assert.equal(formatRate(0), '  0.0KB');
  assert.equal(formatRate(1024 * 1024 * 45.3), ' 45.3MB');
});

function state(over: Partial<MeterState>): MeterState {
  return { name: 'big.bin', start: 0, current: 0, total: 100, elapsed: 0, sinceLast: 0, moved: 0, rate: 0, stalled: 0, ...over };
}

test('meter line: name, percent, size, rate and ETA, cut to the terminal width', () => {
  const line = meterLine(state({ current: 50 * 1048576, total: 100 * 1048576, rate: 10 * 1048576 }), 80);
  assert.equal(line, `${'big.bin'.padEnd(45)}  50%   50MB  10.0MB/s   00:05 ETA`);
  assert.equal(meterLine(state({ current: 0, rate: 0 }), 80).endsWith('  --:-- ETA'), true);
  assert.equal(meterLine(state({ current: 10, stalled: 6, rate: 1 }), 80).endsWith('- stalled -'), true);
  const done = meterLine(state({ current: 100, total: 100, rate: 100, elapsed: 3725 }), 80);
  assert.match(done, / 100% {2}100 {5}0\.1KB\/s 1:02:05 {4}$/);
  assert.equal(meterLine(state({ current: 1, rate: 1 }), 40).length, 39);
  assert.equal(meterLine(state({ name: 'x'.repeat(100), current: 1, rate: 1 }), 80).length, 79);
});

test('ProgressMeter draws at start, once a second, and a final line with a newline', async () => {
  const out: string[] = [];
  let now = 0;
  const meter = new ProgressMeter('f', 0, 1000, { write: (t) => out.push(t), columns: 60 }, () => now);
  assert.equal(out.length, 1);
  assert.match(out[0], /^\rf +0% +0 /);
  now = 1000;
  meter.update(1000);
  meter.stop();
  assert.match(out.at(-2)!, /^\rf +100% +1000 +1\.0KB\/s +00:01 +$/);
  assert.equal(out.at(-1), '\n');
  meter.stop();
  assert.equal(out.at(-1), '\n');
});

test('ls columns: entries padded to width / columns, where columns is how many of the widest fit', () => {
  assert.deepEqual(columnLines(['.', '..', 'd', 'f.txt'], 5, 80, false), ['.      ..     d      f.txt  ']);
  assert.deepEqual(columnLines(['d/h1'], 19, 80, false), [`d/h1${' '.repeat(22)}`]);
  const many = columnLines(['a', 'b', 'c', 'd', 'e'], 30, 80, false);
  assert.deepEqual(many, [`a${' '.repeat(39)}b${' '.repeat(39)}`, `c${' '.repeat(39)}d${' '.repeat(39)}`, `e${' '.repeat(39)}`]);
  assert.deepEqual(columnLines(['a', 'b'], 1, 80, true), ['a', 'b']);
});

test('ls -l line: mode, "?" links, owner and group names, size, date, name', () => {
  const names = { user: (u: number) => (u === 0 ? 'root' : String(u)), group: (g: number) => String(g) };
  const e = { display: 'dir/file name', name: 'file name', attrs: { size: 5, permissions: 0o100644, owner: { uid: 0, gid: 1000 }, times: { atime: 0, mtime: 1_700_000_000 } } };
  const now = 1_700_000_000 + 60;
  const line = longLine(e, names, false, now);
  assert.match(line, /^-rw-r--r-- {4}\? root {5}1000 {12}5 \w{3} [ \d]\d \d\d:\d\d dir\/file name$/);
  assert.match(longLine({ ...e, attrs: { ...e.attrs, size: 4096, permissions: 0o40755 } }, names, true, now), /^drwxr-xr-x {4}\? root {5}1000 {9}4\.0K /);
});

test('ls sorting: by name, newest first with -t, largest first with -S, reversed with -r', () => {
  const mk = (name: string, size: number, mtime: number) => ({ display: name, name, attrs: { size, times: { atime: 0, mtime } } });
  const base = [mk('b', 1, 30), mk('a', 3, 10), mk('c', 2, 20)];
  const flags = { long: false, all: false, numeric: false, human: false, single: false, reverse: false };
  const order = (f: object) => {
    const copy = [...base];
    sortEntries(copy, { ...flags, sort: 'name', ...f });
    return copy.map((e) => e.name).join('');
  };
  assert.equal(order({}), 'abc');
  assert.equal(order({ sort: 'time' }), 'bca');
  assert.equal(order({ sort: 'size' }), 'acb');
  assert.equal(order({ sort: 'size', reverse: true }), 'bca');
  assert.equal(order({ sort: 'none' }), 'bac');
});

test('df: 1K blocks, -h and -i tables', () => {
  const st = { bsize: 4096n, frsize: 4096n, blocks: 66053021n, bfree: 60235075n, bavail: 20779782n, files: 1000n, ffree: 250n, favail: 250n, fsid: 0n, flag: 0n, namemax: 255n };
  assert.deepEqual(dfLines(st, false, false), [
    '        Size         Used        Avail       (root)    %Capacity',
    '   264212084     23271784     83119128    240940300           8%',
  ]);
  assert.deepEqual(dfLines(st, true, false), [
    '    Size     Used    Avail   (root)    %Capacity',
    '   252GB   22.2GB   79.3GB    230GB           8%',
  ]);
  assert.deepEqual(dfLines(st, false, true), [
    '     Inodes        Used       Avail      (root)    %Capacity',
    '       1000         750         250         250          75%',
  ]);
  assert.equal(dfLines({ ...st, blocks: 0n }, false, false)[1].endsWith('ERR'), true);
});
