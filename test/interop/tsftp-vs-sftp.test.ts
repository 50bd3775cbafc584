// tsftp and OpenSSH's sftp run the same batch against the same sshd over the same files: what they print on stdout
// and stderr, and their exit statuses, must be identical — listings in every layout, globs, and the error
// messages of failing commands.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peerBinary, tempDir } from '../helpers/processes.js';
import { startOpenSshd, type RunningServer } from '../helpers/servers.js';
import { sftpBatch, type SftpClientKind } from '../helpers/tsftp-runs.js';

const sftp = peerBinary('/usr/bin/sftp');
const sshd = peerBinary('/usr/sbin/sshd');
const skip = sftp.skip || sshd.skip;
const tmp = tempDir('tsftp-vs-sftp-');
let server: RunningServer;

before(async () => {
  if (!skip) server = await startOpenSshd({ config: ['Subsystem sftp /usr/lib/openssh/sftp-server'] });
});
after(async () => {
  await server?.stop();
  tmp.cleanup();
});

const FILES: Array<[string, string]> = [
  ['a.txt', 'aaaa'],
  ['b.log', 'bb'],
  ['.hidden', 'h'],
  ['sub dir/x', 'x'],
  ['ü ñ.txt', 'uu'],
];

/** A fresh tree (times fixed, so that both runs list the same dates), the batch run in an empty local directory. */
async function runIn(kind: SftpClientKind, commands: string[]): Promise<string> {
  // Names of the same length, so that column widths agree.
  const base = join(tmp.path, kind === 'sftp' ? 'run-A' : 'run-B');
  rmSync(base, { recursive: true, force: true });
  const remote = join(base, 'remote');
  const local = join(base, 'local');
  mkdirSync(join(remote, 'sub dir'), { recursive: true });
  mkdirSync(local, { recursive: true });
  for (const [name, text] of FILES) {
    writeFileSync(join(remote, name), text);
    utimesSync(join(remote, name), 1_700_000_000, 1_700_000_000);
  }
  for (const dir of [join(remote, 'sub dir'), remote, base]) utimesSync(dir, 1_700_000_000, 1_700_000_000);
  const r = await sftpBatch(kind, server, local, [`cd ${remote}`, ...commands.map((c) => c.replaceAll('REMOTE', remote))]);
  // Paths differ only by the run's directory name.
  return `exit ${r.code}\n${r.out}--- stderr\n${r.stderr.replace(/\r/g, '')}`.replace(/\/run-[AB]\//g, '/run/');
}

test('listings, globs and errors: tsftp prints exactly what sftp prints', { skip }, async () => {
  const commands = [
    'ls',
    'ls -a',
    'ls -l',
    'ls -la',
    'ls -1',
    'ls -lS',
    'ls -lt',
    'ls -lr',
    'ls *.txt',
    'ls -l *.txt',
    "ls 'sub dir'",
    'ls -l sub*',
    'ls REMOTE/sub*',
    'ls -lh',
    '-ls nothing*',
    '-cd nowhere',
    '-cd a.txt',
    '-get nothing',
    '-get *.nothing',
    '-rm nothing',
    '-mkdir a.txt',
    "-rename a.txt 'sub dir'",
    '-chmod 777 nothing',
    '-ln -s a.txt b.log',
    '-symlink a',
    '-rmdir nothing',
    '-put /nonexistent',
    '-put REMOTE',
    "-get 'sub dir'",
    '-get *.txt REMOTE/a.txt',
    '-foo',
    '-get -z x',
    '-chmod x a.txt',
    'version',
    'pwd',
    'rename b.log c.log',
    'rm c.log',
    'ls',
    'reput a.txt',
  ];
  const theirs = await runIn('sftp', commands);
  const ours = await runIn('tsftp', commands);
  assert.equal(ours, theirs);
  assert.match(theirs, /^exit 1\n/, 'the last command fails and ends the batch');
});
