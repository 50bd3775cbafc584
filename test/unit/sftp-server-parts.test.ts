import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FX, SftpStatusError, lsDate, longName, modeString, resolvePath, statusFor } from '@tssh/ssh-protocol/sftp';
import { DecodeError } from '@tssh/ssh-protocol/wire';

for (const [mode, text] of [
  [0o100644, '-rw-r--r--'],
  [0o040755, 'drwxr-xr-x'],
  [0o120777, 'lrwxrwxrwx'],
  [0o104755, '-rwsr-xr-x'],
  [0o104644, '-rwSr--r--'],
  [0o042750, 'drwxr-s---'],
  [0o042740, 'drwxr-S---'],
  [0o041777, 'drwxrwxrwt'],
  [0o041776, 'drwxrwxrwT'],
  [0o020620, 'crw--w----'],
  [0o060660, 'brw-rw----'],
  [0o010600, 'prw-------'],
  [0o140777, 'srwxrwxrwx'],
  [0o000644, '?rw-r--r--'],
] as const) {
  test(`strmode ${mode.toString(8)} is ${text}`, () => assert.equal(modeString(mode), text));
}

test('long name: OpenSSH ls_file columns', () => {
  const mtime = Math.floor(new Date(2024, 0, 13, 18, 39).getTime() / 1000);
  const st = { mode: 0o40755, uid: 1000, gid: 1000, size: 1024, atime: mtime, mtime, nlink: 5 };
  assert.equal(longName('.ssh', st, 'markus', 'markus', mtime + 60), 'drwxr-xr-x    5 markus   markus       1024 Jan 13 18:39 .ssh');
  // Names longer than 8 widen their column; sizes longer than 8 digits widen theirs.
  const big = { ...st, mode: 0o100600, size: 123456789012, nlink: 1 };
  assert.equal(
    longName('f', big, 'a-long-username', 'g', mtime),
    '-rw-------    1 a-long-username g        123456789012 Jan 13 18:39 f',
  );
});

test('long name date: time within six months (and in the future), year otherwise', () => {
  const t = Math.floor(new Date(2020, 0, 2, 3, 4).getTime() / 1000);
  assert.equal(lsDate(t, t + 100 * 86400), 'Jan  2 03:04');
  assert.equal(lsDate(t, t - 86400), 'Jan  2 03:04');
  assert.equal(lsDate(t, t + 200 * 86400), 'Jan  2  2020');
});

for (const [home, path, want] of [
  ['/home/alice', '', '/home/alice'],
  ['/home/alice', '.', '/home/alice'],
  ['/home/alice', 'x/y', '/home/alice/x/y'],
  ['/home/alice', './x//y/', '/home/alice/x/y'],
  ['/home/alice', '../bob', '/home/bob'],
  ['/home/alice', '../../../../etc/passwd', '/etc/passwd'],
  ['/home/alice', '/a/b/../../..', '/'],
  ['/', '..', '/'],
  ['/', '/..//../x', '/x'],
] as const) {
  test(`§6.2 path ${JSON.stringify(path)} from ${home} is ${want}`, () => assert.equal(resolvePath(home, path), want));
}

test('a NUL in a path is a bad message', () => {
  assert.throws(() => resolvePath('/', 'a\0b'), (e: unknown) => e instanceof SftpStatusError && e.code === FX.BAD_MESSAGE);
});

test('errors map to statuses like OpenSSH errno_to_portable', () => {
  const errno = (code: string): Error => Object.assign(new Error(code), { code });
  const cases: Array<[unknown, number, string]> = [
    [errno('ENOENT'), FX.NO_SUCH_FILE, 'No such file'],
    [errno('ENOTDIR'), FX.NO_SUCH_FILE, 'No such file'],
    [errno('ELOOP'), FX.NO_SUCH_FILE, 'No such file'],
    [errno('EACCES'), FX.PERMISSION_DENIED, 'Permission denied'],
    [errno('EPERM'), FX.PERMISSION_DENIED, 'Permission denied'],
    [errno('EEXIST'), FX.FAILURE, 'Failure'],
    [errno('ENOTEMPTY'), FX.FAILURE, 'Failure'],
    [errno('EISDIR'), FX.FAILURE, 'Failure'],
    [errno('EINVAL'), FX.BAD_MESSAGE, 'Bad message'],
    [errno('ENOSYS'), FX.OP_UNSUPPORTED, 'Operation unsupported'],
    [errno('EOPNOTSUPP'), FX.OP_UNSUPPORTED, 'Operation unsupported'],
    [new SftpStatusError(FX.FAILURE, 'Invalid handle'), FX.FAILURE, 'Invalid handle'],
    [new DecodeError('x'), FX.BAD_MESSAGE, 'Bad message'],
  ];
  for (const [e, code, message] of cases) {
    const s = statusFor(e);
    assert.equal(s.code, code, String(e));
    assert.equal(s.message, message);
    assert.equal(s.unexpected, false);
  }
  assert.equal(statusFor(new TypeError('bug')).unexpected, true);
  assert.equal(statusFor(new TypeError('bug')).code, FX.FAILURE);
});
