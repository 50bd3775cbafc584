// The SFTP server over the real file system (node:fs in a temporary directory), and confined to a root the way
// ChrootDirectory confines internal-sftp: "..", absolute paths and symbolic links never lead outside it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { NodeSftpFileSystem } from '@tssh/ssh-protocol/node';
import { FX, FXF, decodeStatVfsReply, encodeWritePacket } from '@tssh/ssh-protocol/sftp';
import { utf8 } from '@tssh/ssh-protocol/wire';
import { SftpDriver, as, expectStatus } from '../helpers/sftp-driver.js';
import { tempDir } from '../helpers/processes.js';

const tmp = tempDir('tssh-sftp-');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const W = FXF.WRITE | FXF.CREAT | FXF.TRUNC;

after(() => tmp.cleanup());

async function driver(home: string, root?: string): Promise<SftpDriver> {
  const fs = await NodeSftpFileSystem.create(root === undefined ? {} : { root });
  const d = new SftpDriver({ fs, home });
  await d.init();
  return d;
}

async function readWhole(d: SftpDriver, path: string): Promise<Buffer> {
  const h = await d.handle({ kind: 'open', path, pflags: FXF.READ, attrs: {} });
  const parts: Uint8Array[] = [];
  for (let off = 0; ; ) {
    const r = await d.request({ kind: 'read', handle: h, offset: off, length: 65536 });
    if (r.kind === 'status') {
      expectStatus(r, FX.EOF);
      break;
    }
    parts.push(as(r, 'data').data);
    off += as(r, 'data').data.length;
  }
  await d.ok({ kind: 'close', handle: h });
  return Buffer.concat(parts);
}

test('node fs: upload and download 3 MiB with pipelined writes, SHA-256 equal', async () => {
  const home = join(tmp.path, 'plain');
  mkdirSync(home);
  const d = await driver(home);
  const data = randomBytes(3 * 1024 * 1024 + 17);
  const h = await d.handle({ kind: 'open', path: 'big.bin', pflags: W, attrs: { permissions: 0o640 } });
  const ids = [];
  for (let off = 0; off < data.length; off += 32768) ids.push(d.post({ kind: 'write', handle: h, offset: off, data: data.subarray(off, off + 32768) }));
  for (const id of ids) expectStatus(await d.wait(id), FX.OK);
  await d.ok({ kind: 'close', handle: h });
  assert.equal(sha(readFileSync(join(home, 'big.bin'))), sha(data));
  assert.equal(statSync(join(home, 'big.bin')).mode & 0o777, 0o640 & ~process.umask());
  assert.equal(sha(await readWhole(d, 'big.bin')), sha(data));
});

test('node fs: WRITEs of 255 KiB in 32 KiB chunks (one pwritev each) and APPEND; READs of 255 KiB, short at the end', async () => {
  const home = join(tmp.path, 'pieces');
  mkdirSync(home);
  const d = await driver(home);
  const step = 261120;
  const data = randomBytes(5 * step + 1000);
  const h = await d.handle({ kind: 'open', path: 'p.bin', pflags: W, attrs: {} });
  const ids: number[] = [];
  for (let off = 0, id = 500; off < data.length; off += step, id++) {
    const packet = encodeWritePacket(id, h, off, data.subarray(off, off + step));
    for (let at = 0; at < packet.length; at += 32768) d.raw(packet.subarray(at, at + 32768));
    ids.push(id);
  }
  for (const id of ids) expectStatus(await d.wait(id), FX.OK);
  await d.ok({ kind: 'close', handle: h });
  assert.equal(sha(readFileSync(join(home, 'p.bin'))), sha(data));
  const r = await d.handle({ kind: 'open', path: 'p.bin', pflags: FXF.READ, attrs: {} });
  const last = as(await d.request({ kind: 'read', handle: r, offset: 5 * step, length: step }), 'data').data;
  assert.deepEqual(Buffer.from(last), data.subarray(5 * step));
  expectStatus(await d.request({ kind: 'read', handle: r, offset: data.length, length: step }), FX.EOF);
  await d.ok({ kind: 'close', handle: r });
  assert.equal(sha(await readWhole(d, 'p.bin')), sha(data));
  const a = await d.handle({ kind: 'open', path: 'p.bin', pflags: FXF.WRITE | FXF.APPEND, attrs: {} });
  const tail = randomBytes(100_000);
  const packet = encodeWritePacket(900, a, 0, tail);
  for (let at = 0; at < packet.length; at += 32768) d.raw(packet.subarray(at, at + 32768));
  expectStatus(await d.wait(900), FX.OK);
  await d.ok({ kind: 'close', handle: a });
  assert.equal(sha(readFileSync(join(home, 'p.bin'))), sha(Buffer.concat([data, tail])));
});

test('node fs: READDIR lists ".", ".." and files with ls -l long names and real owners', async () => {
  const home = join(tmp.path, 'list');
  mkdirSync(join(home, 'sub'), { recursive: true });
  writeFileSync(join(home, 'a file ü.txt'), 'hello');
  const d = await driver(home);
  const h = await d.handle({ kind: 'opendir', path: '.' });
  const names = as(await d.request({ kind: 'readdir', handle: h }), 'name').names;
  expectStatus(await d.request({ kind: 'readdir', handle: h }), FX.EOF);
  await d.ok({ kind: 'close', handle: h });
  assert.deepEqual(names.map((n) => n.filename).sort(), ['.', '..', 'a file ü.txt', 'sub']);
  const file = names.find((n) => n.filename === 'a file ü.txt')!;
  assert.equal(file.attrs.size, 5);
  const me = userInfo().username;
  assert.match(file.longname, new RegExp(`^-rw-r--r-- +1 ${me} +\\S+ +5 \\w{3} [ \\d]\\d \\d\\d:\\d\\d a file ü\\.txt$`));
  assert.match(names.find((n) => n.filename === 'sub')!.longname, /^drwxr-xr-x +2 /);
});

test('node fs: names, links, attributes, statvfs and fsync', async () => {
  const home = join(tmp.path, 'ops');
  mkdirSync(home);
  const d = await driver(home);
  writeFileSync(join(home, 'a'), 'A');
  writeFileSync(join(home, 'b'), 'B');
  expectStatus(await d.request({ kind: 'rename', oldPath: 'a', newPath: 'b' }), FX.FAILURE);
  assert.equal(readFileSync(join(home, 'b'), 'utf8'), 'B');
  await d.ok({ kind: 'rename', oldPath: 'a', newPath: 'c' });
  assert.equal(existsSync(join(home, 'a')), false);
  await d.ok({ kind: 'mkdir', path: 'dir', attrs: {} });
  await d.ok({ kind: 'rename', oldPath: 'dir', newPath: 'dir2' });
  expectStatus(await d.request({ kind: 'rename', oldPath: 'dir2', newPath: 'c' }), FX.FAILURE);
  await d.ok({ kind: 'extended', request: { kind: 'posix-rename@openssh.com', oldPath: 'c', newPath: 'b' } });
  assert.equal(readFileSync(join(home, 'b'), 'utf8'), 'A');
  await d.ok({ kind: 'extended', request: { kind: 'hardlink@openssh.com', oldPath: 'b', newPath: 'hard' } });
  assert.equal(statSync(join(home, 'b')).nlink, 2);
  await d.ok({ kind: 'symlink', target: 'b', link: 'soft' });
  assert.equal(as(await d.request({ kind: 'readlink', path: 'soft' }), 'name').names[0].filename, 'b');
  assert.equal(as(await d.request({ kind: 'realpath', path: 'soft' }), 'name').names[0].filename, join(home, 'b'));
  assert.equal(as(await d.request({ kind: 'realpath', path: 'not-yet' }), 'name').names[0].filename, join(home, 'not-yet'));
  expectStatus(await d.request({ kind: 'realpath', path: 'no/such' }), FX.NO_SUCH_FILE);
  expectStatus(await d.request({ kind: 'extended', request: { kind: 'lsetstat@openssh.com', path: 'soft', attrs: { permissions: 0o600 } } }), FX.OP_UNSUPPORTED);
  await d.ok({ kind: 'extended', request: { kind: 'lsetstat@openssh.com', path: 'soft', attrs: { times: { atime: 1000, mtime: 2000 } } } });
  assert.equal(lstatSync(join(home, 'soft')).mtimeMs, 2_000_000);
  assert.notEqual(statSync(join(home, 'soft')).mtimeMs, 2_000_000);
  await d.ok({ kind: 'setstat', path: 'b', attrs: { permissions: 0o604, times: { atime: 3000, mtime: 4000 }, size: 0 } });
  const st = statSync(join(home, 'b'));
  assert.deepEqual([st.mode & 0o777, st.mtimeMs, st.size], [0o604, 4_000_000, 0]);
  const h = await d.handle({ kind: 'open', path: 'b', pflags: FXF.WRITE, attrs: {} });
  await d.ok({ kind: 'write', handle: h, offset: 3, data: utf8('x') });
  await d.ok({ kind: 'extended', request: { kind: 'fsync@openssh.com', handle: h } });
  await d.ok({ kind: 'fsetstat', handle: h, attrs: { permissions: 0o600 } });
  const sv = decodeStatVfsReply(as(await d.request({ kind: 'extended', request: { kind: 'fstatvfs@openssh.com', handle: h } }), 'extended-reply').data);
  assert.ok(sv.bsize > 0n && sv.blocks > 0n && sv.bavail <= sv.blocks);
  await d.ok({ kind: 'close', handle: h });
  assert.deepEqual([...readFileSync(join(home, 'b'))], [0, 0, 0, 0x78]);
  assert.equal(statSync(join(home, 'b')).mode & 0o777, 0o600);
  expectStatus(await d.request({ kind: 'rmdir', path: 'b' }), FX.NO_SUCH_FILE); // ENOTDIR
  expectStatus(await d.request({ kind: 'remove', path: 'missing' }), FX.NO_SUCH_FILE, 'No such file');
  await d.ok({ kind: 'rmdir', path: 'dir2' });
});

// ---- confined to a root ---------------------------------------------------------------------------------

const outside = join(tmp.path, 'secret.txt');
const jail = join(tmp.path, 'jail');

before(() => {
  writeFileSync(outside, 'SECRET');
  mkdirSync(join(jail, 'home/alice'), { recursive: true });
  writeFileSync(join(jail, 'inside.txt'), 'INSIDE');
  symlinkSync('../secret.txt', join(jail, 'rel-escape'));
  symlinkSync(outside, join(jail, 'abs-escape'));
  symlinkSync('/inside.txt', join(jail, 'abs-inside'));
  symlinkSync(tmp.path, join(jail, 'dir-escape'));
  symlinkSync('../../..', join(jail, 'home/alice/up'));
});

test('root: ".." and absolute paths stay inside', async () => {
  const d = await driver('/home/alice', jail);
  const real = async (path: string): Promise<string> => as(await d.request({ kind: 'realpath', path }), 'name').names[0].filename;
  assert.equal(await real(''), '/home/alice');
  assert.equal(await real('../../../..'), '/');
  assert.equal(await real('/../../'), '/');
  assert.equal(await real('up'), '/');
  assert.equal(await real('up/..'), '/home/alice'); // §6.2 names are resolved lexically first, as documented
  assert.equal(await real('/abs-inside'), '/inside.txt');
  assert.equal(await real('../../not-yet'), '/not-yet');
  expectStatus(await d.request({ kind: 'realpath', path: '/no/such' }), FX.NO_SUCH_FILE);
  for (const path of ['../../../secret.txt', '/../secret.txt', outside, `/..${outside}`]) {
    expectStatus(await d.request({ kind: 'stat', path }), FX.NO_SUCH_FILE);
    expectStatus(await d.request({ kind: 'open', path, pflags: FXF.READ, attrs: {} }), FX.NO_SUCH_FILE);
  }
  assert.equal((await readWhole(d, '../../inside.txt')).toString(), 'INSIDE');
});

test('root: symbolic links are resolved inside it, relative or absolute, file or directory', async () => {
  const d = await driver('/', jail);
  for (const path of ['rel-escape', 'abs-escape', 'dir-escape/secret.txt', 'home/alice/up/../secret.txt']) {
    expectStatus(await d.request({ kind: 'open', path, pflags: FXF.READ, attrs: {} }), FX.NO_SUCH_FILE);
  }
  expectStatus(await d.request({ kind: 'opendir', path: 'dir-escape' }), FX.NO_SUCH_FILE);
  expectStatus(await d.request({ kind: 'extended', request: { kind: 'hardlink@openssh.com', oldPath: 'dir-escape/secret.txt', newPath: 'x' } }), FX.NO_SUCH_FILE);
  expectStatus(await d.request({ kind: 'extended', request: { kind: 'hardlink@openssh.com', oldPath: `/..${outside}`, newPath: 'x' } }), FX.NO_SUCH_FILE);
  assert.equal((await readWhole(d, 'abs-inside')).toString(), 'INSIDE');
  // A link the client makes to "/etc" points at the root's /etc, which does not exist.
  await d.ok({ kind: 'symlink', target: '/etc', link: 'etc' });
  assert.equal(as(await d.request({ kind: 'readlink', path: 'etc' }), 'name').names[0].filename, '/etc');
  expectStatus(await d.request({ kind: 'stat', path: 'etc/passwd' }), FX.NO_SUCH_FILE);
  // Readlink shows the text; lstat sees the link itself, inside.
  assert.equal(as(await d.request({ kind: 'readlink', path: 'abs-escape' }), 'name').names[0].filename, outside);
});

test('root: writes through escaping names land inside, the outside is untouched', async () => {
  const d = await driver('/', jail);
  const h = await d.handle({ kind: 'open', path: 'rel-escape', pflags: W, attrs: {} });
  await d.ok({ kind: 'write', handle: h, offset: 0, data: utf8('OVERWRITTEN?') });
  await d.ok({ kind: 'close', handle: h });
  assert.equal(readFileSync(outside, 'utf8'), 'SECRET');
  assert.equal(readFileSync(join(jail, 'secret.txt'), 'utf8'), 'OVERWRITTEN?');
  await d.ok({ kind: 'rename', oldPath: 'inside.txt', newPath: '../../../moved.txt' });
  assert.equal(existsSync(join(jail, 'moved.txt')), true);
  assert.equal(existsSync(join(tmp.path, 'moved.txt')), false);
  await d.ok({ kind: 'mkdir', path: '../../made', attrs: {} });
  assert.equal(statSync(join(jail, 'made')).isDirectory(), true);
  expectStatus(await d.request({ kind: 'remove', path: '../secret.txt' }), FX.OK); // the jail's copy
  assert.equal(readFileSync(outside, 'utf8'), 'SECRET');
  await d.ok({ kind: 'rename', oldPath: 'moved.txt', newPath: 'inside.txt' });
});

test('root: READDIR of "/" shows ".." as "/" itself, and statvfs and home-directory answer', async () => {
  const d = await driver('/home/alice', jail);
  const h = await d.handle({ kind: 'opendir', path: '/' });
  const names = as(await d.request({ kind: 'readdir', handle: h }), 'name').names;
  await d.ok({ kind: 'close', handle: h });
  const dot = names.find((n) => n.filename === '.')!;
  const dotdot = names.find((n) => n.filename === '..')!;
  assert.deepEqual(dotdot.attrs, dot.attrs);
  assert.ok(names.some((n) => n.filename === 'abs-escape' && n.longname.startsWith('l')));
  as(await d.request({ kind: 'extended', request: { kind: 'statvfs@openssh.com', path: '/' } }), 'extended-reply');
  assert.equal(as(await d.request({ kind: 'extended', request: { kind: 'home-directory', username: '' } }), 'name').names[0].filename, '/home/alice');
});
