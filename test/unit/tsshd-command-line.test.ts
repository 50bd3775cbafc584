// tsshd's command line: sshd's getopt grouping, the arguments it hands to the daemon copy and to workers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daemonArgs, parseTsshdArgs, splitShortOptions, successorArgs, UsageError, workerArgs } from '@tssh/sshd/dist/command-line.js';

test('getopt groups split as sshd reads them', () => {
  const cases: [string[], string[]][] = [
    [['-De'], ['-D', '-e']],
    [['-ddd'], ['-d', '-d', '-d']],
    [['-oPort=22'], ['-o', 'Port=22']],
    [['-Dp2222'], ['-D', '-p', '2222']],
    [['-f', 'x', '--help'], ['-f', 'x', '--help']],
    [['--', '-De'], ['--', '-De']],
  ];
  for (const [input, want] of cases) assert.deepEqual(splitShortOptions(input), want, input.join(' '));
});

test('flags parse into settings; paths are made absolute', () => {
  const a = parseTsshdArgs(['-De', '-f', 'etc/cfg', '-oPort=0', '-o', 'LogLevel=DEBUG', '-p22', '-p', '23'], '/srv');
  assert.deepEqual(a, {
    configFile: '/srv/etc/cfg',
    foreground: true,
    debug: 0,
    stderr: true,
    logFile: undefined,
    ports: [22, 23],
    overrides: ['Port=0', 'LogLevel=DEBUG'],
    test: false,
    printConfig: false,
    notifyFd: undefined,
    handover: false,
    daemon: false,
  });
  const d = parseTsshdArgs(['-dddd', '-E', 'log', '-f', 'a', '-f', 'b'], '/x');
  assert.deepEqual([d.debug, d.foreground, d.stderr, d.logFile, d.configFile], [3, true, true, '/x/log', '/x/b']);
  const plain = parseTsshdArgs([], '/');
  assert.deepEqual([plain.configFile, plain.foreground, plain.test], ['/etc/tssh/sshd_config', false, false]);
});

test('bad command lines are usage errors', () => {
  for (const argv of [['-x'], ['stray'], ['-p'], ['-p', '65536'], ['-p', 'ssh'], ['-E']]) {
    assert.throws(() => parseTsshdArgs(argv), UsageError, argv.join(' '));
  }
});

test('workers get -i, the config, the log settings and every -o; the daemon copy also gets -D and the ports', () => {
  const a = parseTsshdArgs(['-e', '-f', '/c', '-o', 'A=1', '-o', 'B=2', '-p', '22']);
  assert.deepEqual(workerArgs(a), ['-i', '-f', '/c', '-e', '-o', 'A=1', '-o', 'B=2']);
  assert.deepEqual(daemonArgs(a, 3), ['-D', '-f', '/c', '-e', '-o', 'A=1', '-o', 'B=2', '-p', '22', '--daemon', '--notify-fd', '3']);
  const d = parseTsshdArgs(['-dd', '-E', '/l', '-f', '/c']);
  assert.deepEqual(workerArgs(d), ['-i', '-f', '/c', '-d', '-d', '-E', '/l']);
});

test('-T prints the configuration; a restart starts the successor in the foreground with the same settings', () => {
  assert.equal(parseTsshdArgs(['-T']).printConfig, true);
  const a = parseTsshdArgs(['-Te', '-f', '/c', '-o', 'A=1', '-p', '22']);
  assert.deepEqual([a.printConfig, a.stderr], [true, true]);
  assert.deepEqual(successorArgs(a), ['-D', '-f', '/c', '-e', '-o', 'A=1', '-p', '22', '--daemon', '--handover']);
  // A daemon's successor is a daemon too (syslog); a -D listener's stays in the foreground (stderr).
  assert.deepEqual(successorArgs(parseTsshdArgs(['-f', '/c'])), ['-D', '-f', '/c', '--daemon', '--handover']);
  assert.deepEqual(successorArgs(parseTsshdArgs(['-D', '-f', '/c', '--daemon'])), ['-D', '-f', '/c', '--daemon', '--handover']);
  assert.deepEqual(successorArgs(parseTsshdArgs(['-D', '-f', '/c'])), ['-D', '-f', '/c', '--handover']);
  assert.equal(parseTsshdArgs(['-D', '--handover']).handover, true);
});
