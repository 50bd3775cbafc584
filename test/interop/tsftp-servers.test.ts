// tsftp and tscp against OpenSSH's sshd (its own sftp-server) and against our tsshd (internal-sftp): every
// command of a batch file, contents checked by SHA-256, modes and times kept with -p, empty and large files,
// names with spaces and non-ASCII characters, recursion, resuming, globbing, and a batch stopped by a failure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, utimesSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { peerBinary, tempDir } from '../helpers/processes.js';
import { startOpenSshd, startTsshd, type RunningServer } from '../helpers/servers.js';
import { scpRun, sftpBatch } from '../helpers/tsftp-runs.js';

const sshd = peerBinary('/usr/sbin/sshd');
const tmp = tempDir('tsftp-interop-');
const servers: Partial<Record<'sshd' | 'tsshd', RunningServer>> = {};

before(async () => {
  servers.tsshd = await startTsshd({ config: ['Subsystem sftp internal-sftp'] });
  if (!sshd.skip) servers.sshd = await startOpenSshd({ config: ['Subsystem sftp /usr/lib/openssh/sftp-server'] });
});
after(async () => {
  await servers.tsshd?.stop();
  await servers.sshd?.stop();
  tmp.cleanup();
});

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const UNICODE = 'name with spaces ü ñ 日本.txt';
const OLD = 1_000_000_000; // 2001-09-09: a time no fresh file has

function dirs(name: string): { local: string; remote: string } {
  const local = join(tmp.path, name, 'local');
  const remote = join(tmp.path, name, 'remote');
  mkdirSync(local, { recursive: true });
  mkdirSync(remote, { recursive: true });
  return { local, remote };
}

for (const kind of ['sshd', 'tsshd'] as const) {
  const skip = kind === 'sshd' ? sshd.skip : false;

  test(`tsftp -b against ${kind}: every command`, { skip }, async () => {
    const server = servers[kind]!;
    const { local, remote } = dirs(`batch-${kind}`);
    const text = Buffer.from('héllo wörld\n'.repeat(5000));
    const part = randomBytes(300_000);
    writeFileSync(join(local, UNICODE), text);
    writeFileSync(join(local, 'empty.bin'), '');
    writeFileSync(join(local, 'perm.txt'), 'keep my mode and times');
    chmodSync(join(local, 'perm.txt'), 0o640);
    utimesSync(join(local, 'perm.txt'), OLD, OLD);
    mkdirSync(join(local, 'tree/deeper'), { recursive: true });
    writeFileSync(join(local, 'tree/a.txt'), 'A');
    writeFileSync(join(local, 'tree/deeper/leaf'), 'leaf');
    writeFileSync(join(local, 'up-part.bin'), part);
    writeFileSync(join(remote, 'up-part.bin'), part.subarray(0, 100_000));
    writeFileSync(join(remote, 'down-part.bin'), part);
    writeFileSync(join(local, 'down-part.bin'), part.subarray(0, 123_457));
    writeFileSync(join(remote, 'x1.log'), '1');
    writeFileSync(join(remote, 'x2.log'), '22');

    const r = await sftpBatch('tsftp', server, local, [
      `cd ${remote}`,
      'pwd',
      `lcd ${local}`,
      'lpwd',
      'mkdir sub',
      `put "${UNICODE}"`,
      'put empty.bin sub',
      'put -p perm.txt',
      'put -r tree',
      'reput up-part.bin',
      'reget down-part.bin',
      'ls',
      'ls -l',
      'ls -la sub',
      'ls *.log',
      `get "${UNICODE}" back-unicode.txt`,
      'get -p perm.txt perm-back.txt',
      'get -r tree tree-back',
      'get sub/empty.bin empty-back.bin',
      'get *.log',
      'rename perm.txt renamed.txt',
      'ln -s renamed.txt soft.txt',
      'ln renamed.txt hard.txt',
      'chmod 600 renamed.txt',
      'rm hard.txt',
      'rm x*.log',
      'df',
      'df -h',
      'rm sub/empty.bin',
      'rmdir sub',
      '-get no-such-file',
      'version',
      'help',
      'bye',
      'pwd',
    ]);
    assert.equal(r.code, 0, `tsftp failed:\n${r.out}\n${r.stderr}\n${server.log().slice(-3000)}`);
    const out = r.out;

    // Files arrived whole, both ways.
    assert.equal(sha(readFileSync(join(remote, UNICODE))), sha(text));
    assert.equal(sha(readFileSync(join(local, 'back-unicode.txt'))), sha(text));
    assert.equal(readFileSync(join(local, 'empty-back.bin')).length, 0);
    assert.equal(sha(readFileSync(join(remote, 'up-part.bin'))), sha(part));
    assert.equal(sha(readFileSync(join(local, 'down-part.bin'))), sha(part));
    assert.equal(readFileSync(join(remote, 'tree/deeper/leaf'), 'utf8'), 'leaf');
    assert.equal(readFileSync(join(local, 'tree-back/a.txt'), 'utf8'), 'A');
    assert.equal(readFileSync(join(local, 'tree-back/deeper/leaf'), 'utf8'), 'leaf');
    assert.equal(readFileSync(join(local, 'x2.log'), 'utf8'), '22');

    // -p kept the mode and the times each way.
    const upSt = statSync(join(remote, 'renamed.txt'));
    assert.equal(upSt.mtimeMs / 1000, OLD);
    const backSt = statSync(join(local, 'perm-back.txt'));
    assert.equal(backSt.mode & 0o777, 0o640);
    assert.equal(backSt.mtimeMs / 1000, OLD);

    // rename, ln, chmod, rm, rmdir happened on the server.
    assert.equal(existsSync(join(remote, 'perm.txt')), false);
    assert.equal(upSt.mode & 0o777, 0o600);
    assert.equal(lstatSync(join(remote, 'soft.txt')).isSymbolicLink(), true);
    assert.equal(readlinkSync(join(remote, 'soft.txt')), 'renamed.txt');
    assert.equal(existsSync(join(remote, 'hard.txt')), false);
    assert.equal(existsSync(join(remote, 'x1.log')), false);
    assert.equal(existsSync(join(remote, 'sub')), false);

    // What was printed: the echoed commands, pwd/lpwd, listings, df tables, version, help; bye ended it.
    assert.match(out, new RegExp(`^sftp> cd ${remote}$`, 'm'));
    assert.match(out, new RegExp(`^Remote working directory: ${remote}$`, 'm'));
    assert.match(out, new RegExp(`^Local working directory: ${local}$`, 'm'));
    assert.match(out, /^sftp> ls\n(?:.*\n)*?.*\bdown-part\.bin\b/m);
    assert.match(out, new RegExp(`^-rw-r--r-- +\\? \\S+ +\\S+ +${text.length} \\w{3} [ \\d]\\d (?:\\d\\d:\\d\\d| \\d{4}) ${UNICODE}$`, 'm'));
    assert.match(out, /^d\S+ +\? .* sub\/\.\.$/m);
    assert.match(out, /^-\S+ +\? .* +0 .* sub\/empty\.bin$/m);
    assert.match(out, /^sftp> ls \*\.log\nx1\.log +\nx2\.log +\n/m);
    assert.match(out, /^ +Size +Used +Avail +\(root\) +%Capacity\n +\d+ +\d+ +\d+ +\d+ +\d+%$/m);
    assert.match(out, /^ +Size +Used +Avail +\(root\) +%Capacity\n +[\d.]+[KMGTP]?B +/m);
    assert.match(out, /^SFTP protocol version 3$/m);
    assert.match(out, /^Available commands:\n/m);
    assert.equal(out.trimEnd().split('\n').at(-1), 'sftp> bye');
    assert.match(r.stderr, /File ".*\/no-such-file" not found\./);
    // Batch mode is quiet: no "Fetching" lines, no progress meter.
    assert.doesNotMatch(out, /Fetching|Uploading|ETA/);
  });

  test(`tsftp against ${kind}: a batch stops at the first failure not marked with "-"`, { skip }, async () => {
    const server = servers[kind]!;
    const { local, remote } = dirs(`abort-${kind}`);
    const r = await sftpBatch('tsftp', server, local, [`cd ${remote}`, 'mkdir a', 'rmdir nothere', 'mkdir b']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`remote rmdir "${remote}/nothere": No such file or directory`));
    assert.equal(existsSync(join(remote, 'a')), true);
    assert.equal(existsSync(join(remote, 'b')), false);
    assert.doesNotMatch(r.out, /mkdir b/);
  });

  test(`tsftp against ${kind}: host:dir starts there; host:file fetches it`, { skip }, async () => {
    const server = servers[kind]!;
    const { local, remote } = dirs(`start-${kind}`);
    writeFileSync(join(remote, 'f.txt'), 'fetched');
    const inDir = await sftpBatch('tsftp', server, local, ['pwd'], { path: remote });
    assert.equal(inDir.code, 0, inDir.stderr);
    assert.match(inDir.out, new RegExp(`^Changing to: ${remote}\\nsftp> pwd\\nRemote working directory: ${remote}$`, 'm'));
    const fetch = await sftpBatch('tsftp', server, local, [], { path: join(remote, 'f.txt') });
    assert.equal(fetch.code, 0, fetch.stderr);
    assert.equal(readFileSync(join(local, 'f.txt'), 'utf8'), 'fetched');
  });

  test(`tsftp against ${kind}: 64 MiB each way, SHA-256 equal`, { skip }, async () => {
    const server = servers[kind]!;
    const { local, remote } = dirs(`large-${kind}`);
    const data = randomBytes(64 * 1024 * 1024 + 5);
    writeFileSync(join(local, 'large.bin'), data);
    const r = await sftpBatch('tsftp', server, local, [`cd ${remote}`, 'put large.bin', 'get large.bin large-back.bin'], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, `${r.out}\n${r.stderr}`);
    assert.equal(sha(readFileSync(join(remote, 'large.bin'))), sha(data));
    assert.equal(sha(readFileSync(join(local, 'large-back.bin'))), sha(data));
  });

  test(`tscp against ${kind}: up and down, -p, -r, globs, empty and non-ASCII files`, { skip }, async () => {
    const server = servers[kind]!;
    const { local, remote } = dirs(`scp-${kind}`);
    const data = randomBytes(3 * 1024 * 1024 + 77);
    writeFileSync(join(local, 'data.bin'), data);
    writeFileSync(join(local, UNICODE), 'unicode');
    writeFileSync(join(local, 'empty'), '');
    chmodSync(join(local, 'data.bin'), 0o604);
    utimesSync(join(local, 'data.bin'), OLD, OLD);
    mkdirSync(join(local, 'tree/sub'), { recursive: true });
    writeFileSync(join(local, 'tree/sub/leaf'), 'leaf');
    mkdirSync(join(remote, 'dst'));

    const up = await scpRun('tscp', server, local, ['data.bin', UNICODE, 'empty', `R:${remote}/dst`], { flags: ['-p'] });
    assert.equal(up.code, 0, up.stderr);
    assert.equal(up.stdout.length, 0);
    assert.equal(sha(readFileSync(join(remote, 'dst/data.bin'))), sha(data));
    assert.equal(readFileSync(join(remote, 'dst', UNICODE), 'utf8'), 'unicode');
    assert.equal(readFileSync(join(remote, 'dst/empty')).length, 0);
    const st = statSync(join(remote, 'dst/data.bin'));
    assert.equal(st.mode & 0o777, 0o604);
    assert.equal(st.mtimeMs / 1000, OLD);

    const tree = await scpRun('tscp', server, local, ['tree', `R:${remote}/tree-up`], { flags: ['-r'] });
    assert.equal(tree.code, 0, tree.stderr);
    assert.equal(readFileSync(join(remote, 'tree-up/sub/leaf'), 'utf8'), 'leaf');

    mkdirSync(join(local, 'down'));
    const down = await scpRun('tscp', server, local, [`R:${remote}/dst/data.bin`, `R:${remote}/dst/${UNICODE}`, 'down'], { flags: ['-p'] });
    assert.equal(down.code, 0, down.stderr);
    assert.equal(sha(readFileSync(join(local, 'down/data.bin'))), sha(data));
    assert.equal(statSync(join(local, 'down/data.bin')).mtimeMs / 1000, OLD);
    assert.equal(statSync(join(local, 'down/data.bin')).mode & 0o777, 0o604);
    assert.equal(readFileSync(join(local, 'down', UNICODE), 'utf8'), 'unicode');

    const rtree = await scpRun('tscp', server, local, [`R:${remote}/tree-up`, 'tree-down'], { flags: ['-r'] });
    assert.equal(rtree.code, 0, rtree.stderr);
    assert.equal(readFileSync(join(local, 'tree-down/sub/leaf'), 'utf8'), 'leaf');

    mkdirSync(join(local, 'globbed'));
    const glob = await scpRun('tscp', server, local, [`R:${remote}/dst/*a*`, 'globbed']);
    assert.equal(glob.code, 0, glob.stderr);
    assert.equal(sha(readFileSync(join(local, 'globbed/data.bin'))), sha(data));
    assert.equal(existsSync(join(local, 'globbed', UNICODE)), true);
    assert.equal(existsSync(join(local, 'globbed/empty')), false);

    const missing = await scpRun('tscp', server, local, [`R:${remote}/nothing`, 'x']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, `tscp: ${remote}/nothing: No such file or directory\n`);
    const dir = await scpRun('tscp', server, local, [`R:${remote}/dst`, 'x']);
    assert.equal(dir.code, 1);
    assert.equal(dir.stderr, `tscp: download ${remote}/dst/: not a regular file\n`);
  });
}
