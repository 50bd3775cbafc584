// tssh's command line: getopt grouping, options after the destination, where the remote command starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError, parseTsshArgs, splitArguments, splitDestination } from '@tssh/ssh/dist/command-line.js';

test('getopt groups, and the destination and command taken out', () => {
  const cases: [string[], { options: string[]; destination: string | undefined; command: string[] }][] = [
    [['host'], { options: [], destination: 'host', command: [] }],
    [['-vvT', 'host'], { options: ['-v', '-v', '-T'], destination: 'host', command: [] }],
    [['-p2222', 'host', 'ls'], { options: ['-p', '2222'], destination: 'host', command: ['ls'] }],
    [['-vp', '22', 'h'], { options: ['-v', '-p', '22'], destination: 'h', command: [] }],
    [['-oPort=22', 'h'], { options: ['-o', 'Port=22'], destination: 'h', command: [] }],
    [['h', '-v', 'ls', '-la'], { options: ['-v'], destination: 'h', command: ['ls', '-la'] }],
    [['h', 'ls', '-v'], { options: [], destination: 'h', command: ['ls', '-v'] }],
    [['-v', '--', 'h', '-x'], { options: ['-v'], destination: 'h', command: ['-x'] }],
    [['h', '--', '-x'], { options: [], destination: 'h', command: ['-x'] }],
    [['-q'], { options: ['-q'], destination: undefined, command: [] }],
  ];
  for (const [argv, want] of cases) {
    const { optionsBeforeDestination: _, ...got } = splitArguments(argv);
    assert.deepEqual(got, want, argv.join(' '));
  }
});

test('unknown options and missing arguments are usage errors', () => {
  assert.throws(() => splitArguments(['-Z', 'h']), (e) => e instanceof UsageError && /unknown option -- Z/.test(e.message));
  assert.throws(() => splitArguments(['h', '-p']), (e) => e instanceof UsageError && /requires an argument -- p/.test(e.message));
  assert.throws(() => parseTsshArgs(['-v']), (e) => e instanceof UsageError && /no destination/.test(e.message));
  assert.throws(() => parseTsshArgs(['-p', '70000', 'h']), (e) => e instanceof UsageError && /Bad port '70000'/.test(e.message));
  assert.throws(() => parseTsshArgs(['-p', 'x', 'h']), UsageError);
});

test('parsed values: repeatable options in order, counts, flags', () => {
  const a = parseTsshArgs([
    '-i', 'k1', '-i', 'k2', '-o', 'A=1', '-oB=2', '-vv', '-q', '-tt', '-N', '-n', '-l', 'u1', '-l', 'u2',
    '-p', '1', '-p', '2', '-F', 'f1', '-F', 'f2', 'bob@example.org', 'echo', 'hi',
  ]);
  const want = {
    destination: 'bob@example.org',
    command: ['echo', 'hi'],
    port: 2,
    user: 'u1',
    identityFiles: ['k1', 'k2'],
    configFile: 'f2',
    options: ['A=1', 'B=2'],
    verbose: 2,
    quiet: true,
    forceTty: 2,
    disableTty: false,
    noCommand: true,
    stdinNull: true,
  };
  // The fields of other flags are checked where those flags are.
  assert.deepEqual(Object.fromEntries(Object.keys(want).map((k) => [k, a[k as keyof typeof a]])), want);
  const b = parseTsshArgs(['-T', 'h']);
  assert.equal(b.disableTty, true);
  assert.equal(b.port, undefined);
  assert.equal(b.user, undefined);
  assert.equal(b.verbose, 0);
  assert.deepEqual(b.identityFiles, []);
});

test('user@host splits at the last @', () => {
  assert.deepEqual(splitDestination('host'), { user: undefined, host: 'host' });
  assert.deepEqual(splitDestination('a@host'), { user: 'a', host: 'host' });
  assert.deepEqual(splitDestination('a@b@host'), { user: 'a@b', host: 'host' });
});
