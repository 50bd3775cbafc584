// OpenSSH's sftp client against our SFTP server. `sftp -D` talks to a server program over its stdin/stdout with
// no SSH underneath, so this is the SFTP layer alone: test/fixtures/sftp-server-stdio.mjs runs SftpServer with the
// Node file system there. Then the same over SSH: our ServerEndpoint on a loopback port with serveSftp() behind
// `subsystem sftp`; and through tsshd itself, whose worker serves `Subsystem sftp internal-sftp`.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, peerBinary, run, tempDir } from '../helpers/processes.js';
import { sftpArgs, startSftpEndpoint } from '../helpers/sftp-endpoint.js';
import { sshArgs, startTsshd } from '../helpers/servers.js';

const sftp = peerBinary('/usr/bin/sftp');
const SERVER = join(REPO, 'test/fixtures/sftp-server-stdio.mjs');
const tmp = tempDir('tssh-sftp-interop-');
after(() => tmp.cleanup());

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const UNICODE = 'name with spaces ü ñ 日本.txt';

/** Runs `sftp -b` with our server as the -D command, in `cwd` (the local side). */
async function batch(cwd: string, commands: string[], server: string[]) {
  const file = join(tmp.path, `batch-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, `${commands.join('\n')}\n`);
  const command = [process.execPath, SERVER, ...server].map((a) => `"${a}"`).join(' ');
  return run('/usr/bin/sftp', ['-D', command, '-b', file], { cwd, timeoutMs: 60_000 });
}

test('sftp -b: put, get, ls, mkdir, rename, ln, chmod, cp, df, rm with SHA-256 checks', { skip: sftp.skip }, async () => {
  const local = join(tmp.path, 'local');
  const remote = join(tmp.path, 'remote');
  mkdirSync(local);
  mkdirSync(remote);
  const big = randomBytes(5 * 1024 * 1024 + 123);
  const small = Buffer.from('héllo wörld\n'.repeat(1000));
  writeFileSync(join(local, 'big.bin'), big);
  writeFileSync(join(local, UNICODE), small);
  mkdirSync(join(local, 'tree/deeper'), { recursive: true });
  writeFileSync(join(local, 'tree/deeper/leaf'), 'leaf');
  const log = join(tmp.path, 'server.log');

  const r = await batch(
    local,
    [
      'pwd',
      'put big.bin',
      'mkdir dir',
      `put "${UNICODE}" "dir/${UNICODE}"`,
      'put -r tree',
      'ls -la dir',
      'ls -l',
      'rename big.bin moved.bin',
      'ln moved.bin hard.bin',
      'ln -s moved.bin soft.bin',
      'chmod 600 moved.bin',
      'cp moved.bin copy.bin',
      'df',
      'df -h',
      'get moved.bin back.bin',
      `get "dir/${UNICODE}" back-unicode.txt`,
      'get -r tree tree-back',
      'rm hard.bin',
      'mkdir empty',
      'rmdir empty',
      '-get no-such-file',
    ],
    ['--home', remote, '--log', log],
  );
  assert.equal(r.code, 0, `sftp failed:\n${r.stdout}\n${r.stderr}`);
  const out = r.stdout.toString();

  assert.match(out, new RegExp(`Remote working directory: ${remote}`));
  assert.equal(sha(readFileSync(join(remote, 'moved.bin'))), sha(big));
  assert.equal(sha(readFileSync(join(remote, 'copy.bin'))), sha(big));
  assert.equal(sha(readFileSync(join(local, 'back.bin'))), sha(big));
  assert.equal(sha(readFileSync(join(remote, 'dir', UNICODE))), sha(small));
  assert.equal(sha(readFileSync(join(local, 'back-unicode.txt'))), sha(small));
  assert.equal(readFileSync(join(remote, 'tree/deeper/leaf'), 'utf8'), 'leaf');
  assert.equal(readFileSync(join(local, 'tree-back/deeper/leaf'), 'utf8'), 'leaf');

  assert.equal(existsSync(join(remote, 'big.bin')), false);
  assert.equal(existsSync(join(remote, 'hard.bin')), false);
  assert.equal(existsSync(join(remote, 'empty')), false);
  assert.equal(statSync(join(remote, 'moved.bin')).mode & 0o777, 0o600);
  assert.equal(lstatSync(join(remote, 'soft.bin')).isSymbolicLink(), true);
  assert.equal(readlinkSync(join(remote, 'soft.bin')), 'moved.bin');

  // ls shows the names, the unicode one with its size; -a adds "." and "..".
  assert.match(out, new RegExp(`^-rw-r--r-- .* ${small.length} .* dir/${UNICODE}$`, 'm'));
  assert.match(out, /^d\S+ .* dir\/\.\.$/m);
  assert.match(out, new RegExp(`^-rw-r--r-- .* ${big.length} .* big\\.bin$`, 'm'));
  assert.match(out, /Size +Used +Avail +\(root\) +%Capacity/);
  assert.match(r.stderr, /no-such-file.*(not found|No such file)/);

  // The server logged like OpenSSH's sftp-server.
  const lines = readFileSync(log, 'utf8');
  assert.match(lines, new RegExp(`open "${remote}/big.bin" flags WRITE,CREATE,TRUNCATE mode 0644`));
  assert.match(lines, new RegExp(`close "${remote}/big.bin" bytes read 0 written ${big.length}`));
  assert.match(lines, /posix-rename old ".*big\.bin" new ".*moved\.bin"/);
  assert.match(lines, /session closed for local user tssh-test/);
});

test('sftp -b under a root: the client sees "/" and cannot climb out', { skip: sftp.skip }, async () => {
  const local = join(tmp.path, 'jail-local');
  const jail = join(tmp.path, 'jail');
  mkdirSync(local);
  mkdirSync(join(jail, 'pub'), { recursive: true });
  writeFileSync(join(jail, 'pub/inside.txt'), 'INSIDE');
  writeFileSync(join(tmp.path, 'secret.txt'), 'SECRET');
  const r = await batch(
    local,
    [
      'pwd',
      'cd ..',
      'pwd',
      'ls -a',
      'get pub/inside.txt',
      `-get ../secret.txt s1`,
      `-get ${join(tmp.path, 'secret.txt')} s2`,
      '-ln -s ../secret.txt pub/esc',
      '-get pub/esc s3',
      'put inside.txt ../../put-here.txt',
    ],
    ['--home', '/pub', '--root', jail],
  );
  assert.equal(r.code, 0, `sftp failed:\n${r.stdout}\n${r.stderr}`);
  const out = r.stdout.toString();
  assert.match(out, /Remote working directory: \/pub\n[^]*Remote working directory: \/\n/);
  assert.equal(readFileSync(join(local, 'inside.txt'), 'utf8'), 'INSIDE');
  for (const f of ['s1', 's2', 's3']) assert.equal(existsSync(join(local, f)), false, `${f} was fetched`);
  assert.equal(readFileSync(join(jail, 'put-here.txt'), 'utf8'), 'INSIDE');
  assert.equal(existsSync(join(tmp.path, 'put-here.txt')), false);
  assert.equal(readFileSync(join(tmp.path, 'secret.txt'), 'utf8'), 'SECRET');
});

test('sftp over SSH: 24 MiB each way with many large requests in flight, SHA-256 equal, under a root', { skip: sftp.skip }, async () => {
  const local = join(tmp.path, 'ssh-local');
  const jail = join(tmp.path, 'ssh-jail');
  mkdirSync(local);
  mkdirSync(join(jail, 'home/tester'), { recursive: true });
  const data = randomBytes(24 * 1024 * 1024);
  writeFileSync(join(local, 'up.bin'), data);
  const ep = await startSftpEndpoint({ home: '/home/tester', root: jail });
  try {
    const file = join(tmp.path, 'ssh-batch');
    writeFileSync(file, ['pwd', 'put up.bin', 'get up.bin down.bin', 'ls -l', 'cd /', 'ls', 'df', ''].join('\n'));
    const r = await run('/usr/bin/sftp', [...sftpArgs(ep, ['-B', '200000', '-R', '128', '-b', file])], { cwd: local, timeoutMs: 120_000 });
    assert.equal(r.code, 0, `sftp failed:\n${r.stdout}\n${r.stderr}\n${ep.lines.join('\n')}`);
    const out = r.stdout.toString();
    assert.match(out, /Remote working directory: \/home\/tester\n/);
    assert.match(out, /^home +$/m);
    assert.equal(sha(readFileSync(join(jail, 'home/tester/up.bin'))), sha(data));
    assert.equal(sha(readFileSync(join(local, 'down.bin'))), sha(data));
    assert.ok(ep.lines.some((l) => /session closed for local user sftp-test/.test(l)), ep.lines.join('\n'));
  } finally {
    await ep.stop();
  }
});

/** sftp -b against tsshd with extra sshd_config lines; ssh's -p is sftp's -P. */
async function viaTsshd(config: string[], cwd: string, commands: string[]) {
  const server = await startTsshd({ config });
  try {
    const file = join(tmp.path, `tsshd-batch-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, `${commands.join('\n')}\n`);
    const args = sshArgs(server).map((a) => (a === '-p' ? '-P' : a));
    const r = await run('/usr/bin/sftp', ['-b', file, ...args], { cwd, timeoutMs: 60_000 });
    return { r, log: server.log() };
  } finally {
    await server.stop();
  }
}

test('sftp to tsshd with Subsystem sftp internal-sftp: 8 MiB up and down, SHA-256 equal', { skip: sftp.skip }, async () => {
  const local = join(tmp.path, 'tsshd-local');
  const remote = join(tmp.path, 'tsshd-remote');
  mkdirSync(local);
  mkdirSync(remote);
  const data = randomBytes(8 * 1024 * 1024 + 1);
  writeFileSync(join(local, 'up.bin'), data);
  const { r, log } = await viaTsshd(['Subsystem sftp internal-sftp'], local, [
    `cd ${remote}`,
    'put up.bin',
    'get up.bin down.bin',
    'rename up.bin renamed.bin',
    'ls',
  ]);
  assert.equal(r.code, 0, `sftp failed:\n${r.stdout}\n${r.stderr}\n${log}`);
  assert.equal(sha(readFileSync(join(remote, 'renamed.bin'))), sha(data));
  assert.equal(sha(readFileSync(join(local, 'down.bin'))), sha(data));
  assert.match(log, /session opened for local user \S+ from \[127\.0\.0\.1\]/);
  assert.match(log, new RegExp(`close "${remote}/up.bin" bytes read 0 written ${data.length}`));
});

test('sftp to tsshd with ChrootDirectory and ForceCommand internal-sftp: "/" is the root', { skip: sftp.skip }, async () => {
  const local = join(tmp.path, 'tsshd-chroot-local');
  const jail = join(tmp.path, 'tsshd-jail');
  mkdirSync(local);
  mkdirSync(join(jail, 'upload'), { recursive: true });
  writeFileSync(join(tmp.path, 'outside.txt'), 'OUTSIDE');
  writeFileSync(join(local, 'f.txt'), 'payload');
  const { r, log } = await viaTsshd(['Subsystem sftp internal-sftp', `ChrootDirectory ${jail}`, 'ForceCommand internal-sftp'], local, [
    'pwd',
    'put f.txt upload/f.txt',
    '-get ../outside.txt o1',
    `-get ${join(tmp.path, 'outside.txt')} o2`,
    'ls /',
  ]);
  assert.equal(r.code, 0, `sftp failed:\n${r.stdout}\n${r.stderr}\n${log}`);
  assert.match(r.stdout.toString(), /Remote working directory: \/\n/);
  assert.equal(readFileSync(join(jail, 'upload/f.txt'), 'utf8'), 'payload');
  assert.equal(existsSync(join(local, 'o1')), false);
  assert.equal(existsSync(join(local, 'o2')), false);
});
