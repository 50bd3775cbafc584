// Session set-up pieces of tsshd-session without processes: terminal modes as stty operands, what a session
// runs (forced commands, login shells, internal-sftp), the environment options, login messages, lastlog records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sshdDefaults, type SshdConfig } from '@tssh/ssh-protocol/config';
import { TerminalMode, encodeTerminalModes } from '@tssh/ssh-protocol/connection';
import { DEFAULT_AUTHORIZED_KEY_OPTIONS, type AuthorizedKeyOptions } from '@tssh/ssh-protocol/keys';
import type { Account } from '@tssh/sshd/dist/accounts.js';
import { readLastLogin, writeLastLogin } from '@tssh/sshd/dist/lastlog.js';
import { ctimeText, loginMessages } from '@tssh/sshd/dist/login-messages.js';
import { extraEnvironment, planSession } from '@tssh/sshd/dist/session-command.js';
import { sttyOperands } from '@tssh/sshd/dist/terminal-modes-stty.js';
import { tempDir } from '../helpers/processes.js';

const account: Account = { name: 'alice', uid: 1000, gid: 1000, gecos: '', home: '/nonexistent/alice', shell: '/bin/bash' };

function config(over: Partial<SshdConfig> = {}): SshdConfig {
  return { ...sshdDefaults(), ...over } as SshdConfig;
}

function keyOptions(over: Partial<AuthorizedKeyOptions>): AuthorizedKeyOptions {
  return { ...DEFAULT_AUTHORIZED_KEY_OPTIONS, ...over };
}

test('terminal modes become stty operands: characters in hex, 255 as undef, flags on and off', () => {
  const modes = encodeTerminalModes([
    [TerminalMode.VINTR, 3],
    [TerminalMode.VERASE, 0x7f],
    [TerminalMode.VEOL, 255],
    [TerminalMode.ICANON, 1],
    [TerminalMode.ECHO, 0],
    [TerminalMode.IUTF8, 1],
    [TerminalMode.CS8, 1],
    [TerminalMode.CS7, 0],
    [TerminalMode.TTY_OP_ISPEED, 38400],
    [TerminalMode.TTY_OP_OSPEED, 12345],
    [TerminalMode.VDSUSP, 25],
    [TerminalMode.PENDIN, 1],
    [TerminalMode.VINTR, 300],
  ]);
  assert.deepEqual(sttyOperands(modes), ['intr', '0x03', 'erase', '0x7f', 'eol', 'undef', 'icanon', '-echo', 'iutf8', 'cs8', 'ispeed', '38400']);
});

test('terminal modes: an empty list and a truncated one give no operands', () => {
  assert.deepEqual(sttyOperands(new Uint8Array(0)), []);
  assert.deepEqual(sttyOperands(Uint8Array.of(TerminalMode.VINTR, 0, 0)), []);
  assert.deepEqual(sttyOperands(Uint8Array.of(200, 0, 0, 0, 1)), [], 'opcodes 160 and up end the list');
});

test('a shell is a login shell; a command runs with -c under the shell\'s own name', () => {
  const shell = planSession({ kind: 'shell' }, account, config(), undefined);
  assert.deepEqual([shell.file, shell.argv0, shell.args, shell.description], ['/bin/bash', '-bash', [], 'shell']);
  const cmd = planSession({ kind: 'command', command: 'ls -l' }, account, config(), undefined);
  assert.deepEqual([cmd.argv0, cmd.args, cmd.originalCommand, cmd.description], ['bash', ['-c', 'ls -l'], undefined, 'command']);
  const sub = planSession({ kind: 'subsystem', name: 'x', command: '/usr/lib/x-server' }, account, config(), undefined);
  assert.equal(sub.description, "subsystem 'x'");
  assert.equal(sub.internalSftp, false);
  assert.equal(planSession({ kind: 'subsystem', name: 'sftp', command: 'internal-sftp' }, account, config(), undefined).internalSftp, true);
});

test('ForceCommand wins over command=, and both keep what the client asked for in SSH_ORIGINAL_COMMAND', () => {
  const key = keyOptions({ command: 'echo key' });
  const byKey = planSession({ kind: 'command', command: 'rm -rf x' }, account, config(), key);
  assert.deepEqual([byKey.command, byKey.originalCommand, byKey.description], ['echo key', 'rm -rf x', "forced-command (key-option) 'echo key'"]);
  const byConfig = planSession({ kind: 'shell' }, account, config({ forceCommand: 'echo admin' }), key);
  assert.deepEqual([byConfig.command, byConfig.originalCommand, byConfig.argv0], ['echo admin', '', 'bash']);
  assert.equal(planSession({ kind: 'shell' }, account, config({ forceCommand: 'internal-sftp' }), undefined).internalSftp, true);
});

test('environment= only with PermitUserEnvironment (yes or matching patterns); SetEnv always, last', () => {
  const key = keyOptions({ environment: [{ name: 'FOO', value: '1' }, { name: 'LC_X', value: '2' }] });
  assert.deepEqual(extraEnvironment(config(), key), []);
  assert.deepEqual(extraEnvironment(config({ permitUserEnvironment: true }), key).map((e) => e.name), ['FOO', 'LC_X']);
  assert.deepEqual(extraEnvironment(config({ permitUserEnvironment: 'LC_*' }), key).map((e) => e.name), ['LC_X']);
  assert.deepEqual(extraEnvironment(config({ setEnv: ['A=b=c'] }), undefined), [{ name: 'A', value: 'b=c' }]);
});

test('login messages: last login in ctime form, then the motd, CR LF line ends; ~/.hushlogin silences both', () => {
  const dir = tempDir('tssh-motd-');
  try {
    const motd = join(dir.path, 'motd');
    writeFileSync(motd, 'Welcome\nsecond line\n');
    const home = { ...account, home: dir.path };
    const lastLogin = { time: 1_700_000_000, line: 'ssh', host: '192.0.2.7' };
    const text = loginMessages({ account: home, printMotd: true, printLastLog: true, lastLogin, motdPath: motd });
    assert.equal(text, `Last login: ${ctimeText(1_700_000_000)} from 192.0.2.7\r\nWelcome\r\nsecond line\r\n`);
    assert.match(ctimeText(1_700_000_000), /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) Nov 1[45] \d\d:\d\d:\d\d 2023$/);
    assert.equal(loginMessages({ account: home, printMotd: false, printLastLog: false, lastLogin, motdPath: motd }), '');
    writeFileSync(join(dir.path, '.hushlogin'), '');
    assert.equal(loginMessages({ account: home, printMotd: true, printLastLog: true, lastLogin, motdPath: motd }), '');
  } finally {
    dir.cleanup();
  }
});

test('lastlog: records at uid * 292, read back; no file means no data', () => {
  const dir = tempDir('tssh-lastlog-');
  try {
    const path = join(dir.path, 'lastlog');
    assert.equal(readLastLogin(5, path), undefined);
    assert.equal(writeLastLogin(5, { time: 1, line: 'x', host: 'y' }, path), false, 'never created');
    writeFileSync(path, '');
    assert.equal(writeLastLogin(5, { time: 1_700_000_000, line: 'ssh', host: '192.0.2.7' }, path), true);
    assert.deepEqual(readLastLogin(5, path), { time: 1_700_000_000, line: 'ssh', host: '192.0.2.7' });
    assert.equal(readLastLogin(4, path), undefined, 'an unused slot');
    assert.equal(readLastLogin(6, path), undefined, 'past the end');
  } finally {
    dir.cleanup();
  }
});
