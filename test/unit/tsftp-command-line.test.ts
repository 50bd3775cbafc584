// tsftp's and tscp's command lines: OpenSSH's flags, destinations ([user@]host[:path], brackets, URIs), and the
// tssh arguments they turn into.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRemoteOperand, parseSftpDestination } from '@tssh/sftp/remote-operand';
import { parseTscpArgs } from '@tssh/sftp/scp-command-line';
import { UsageError, parseTsftpArgs } from '@tssh/sftp/sftp-command-line';

test('remote operands: host:path, user@host:path, [v6]:path, URIs; local paths', () => {
  assert.deepEqual(parseRemoteOperand('h:/tmp/x', 'scp'), { destination: 'h', user: undefined, host: 'h', port: undefined, path: '/tmp/x' });
  assert.deepEqual(parseRemoteOperand('al@ice@h:', 'scp'), { destination: 'al@ice@h', user: 'al@ice', host: 'h', port: undefined, path: '' });
  assert.deepEqual(parseRemoteOperand('[::1]:f', 'scp'), { destination: '::1', user: undefined, host: '::1', port: undefined, path: 'f' });
  assert.deepEqual(parseRemoteOperand('u@[::1]:a:b', 'scp'), { destination: 'u@::1', user: 'u', host: '::1', port: undefined, path: 'a:b' });
  assert.deepEqual(parseRemoteOperand('scp://u@h:2222/dir/f%20x', 'scp'), { destination: 'u@h', user: 'u', host: 'h', port: 2222, path: 'dir/f x' });
  assert.equal(parseRemoteOperand('./a:b', 'scp'), undefined);
  assert.equal(parseRemoteOperand('dir/a:b', 'scp'), undefined);
  assert.equal(parseRemoteOperand('plain', 'scp'), undefined);
  assert.equal(parseRemoteOperand(':x', 'scp'), undefined);
  assert.deepEqual(parseSftpDestination('bob@host'), { destination: 'bob@host', user: 'bob', host: 'host', port: undefined, path: '' });
  assert.deepEqual(parseSftpDestination('sftp://host:22'), { destination: 'host', user: undefined, host: 'host', port: 22, path: '' });
});

test('tsftp: flags before the destination, as sftp takes them', () => {
  const a = parseTsftpArgs(['-P', '2222', '-b', 'cmds', '-r', '-p', '-vv', '-i', 'k1', '-ik2', '-F', 'cfg', '-o', 'A=b', '-c', 'aes128-ctr', '-B', '65536', '-R', '16', 'me@h:dir']);
  assert.equal(a.ssh.port, 2222);
  assert.equal(a.batchFile, 'cmds');
  assert.equal(a.recursive && a.preserve, true);
  assert.equal(a.ssh.verbose, 2);
  assert.deepEqual(a.ssh.identityFiles, ['k1', 'k2']);
  assert.equal(a.ssh.configFile, 'cfg');
  // -c and -b become ssh options, as sftp passes them to ssh.
  assert.deepEqual(a.ssh.options, ['A=b', 'Ciphers=aes128-ctr', 'BatchMode=yes']);
  assert.equal(a.bufferSize, 65536);
  assert.equal(a.requests, 16);
  assert.equal(a.quiet, true);
  assert.deepEqual(a.remote, { destination: 'me@h', user: 'me', host: 'h', port: undefined, path: 'dir' });
});

test('tsftp: bad command lines', () => {
  for (const argv of [[], ['-Z', 'h'], ['-P'], ['-P', 'x', 'h'], ['-P', '70000', 'h'], ['h', 'extra'], ['-B', '0', 'h']]) {
    assert.throws(() => parseTsftpArgs(argv), UsageError, JSON.stringify(argv));
  }
});

test('tscp: sources and target, -r -p -q -P', () => {
  const a = parseTscpArgs(['-rpq', '-P', '22', '-o', 'X=y', 'a', 'b c', 'h:dst']);
  assert.deepEqual(a.sources, ['a', 'b c']);
  assert.equal(a.target, 'h:dst');
  assert.equal(a.recursive && a.preserve && a.quiet, true);
  assert.equal(a.ssh.port, 22);
  assert.deepEqual(a.ssh.options, ['X=y']);
  assert.throws(() => parseTscpArgs(['only-one']), UsageError);
  assert.throws(() => parseTscpArgs(['-O', 'a', 'h:b']), UsageError);
});
