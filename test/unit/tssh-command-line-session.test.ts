// tssh's command line for sessions: -l against user@host (the first on the line wins, as ssh -G shows for
// OpenSSH 9.2), -e escape characters with ssh's message for a bad one, -f implying -n.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadArgumentError, parseEscapeChar, parseTsshArgs, splitArguments, splitDestination } from '@tssh/ssh/dist/command-line.js';

/** The user a command line ends with, as client-config.ts combines them. */
function user(argv: string[]): string | undefined {
  const args = parseTsshArgs(argv);
  return args.user ?? splitDestination(args.destination).user;
}

test('-l and user@host: whichever comes first on the command line names the user', () => {
  assert.equal(user(['-l', 'aa', 'bb@host']), 'aa');
  assert.equal(user(['bb@host', '-l', 'aa']), 'bb');
  assert.equal(user(['-l', 'aa', 'host']), 'aa');
  assert.equal(user(['host', '-l', 'aa']), 'aa');
  assert.equal(user(['-l', 'aa', '-l', 'cc', 'host']), 'aa');
  assert.equal(user(['host', '-l', 'aa', '-l', 'cc']), 'aa');
  assert.equal(user(['-vl', 'aa', 'bb@host', '-l', 'cc']), 'aa');
  assert.equal(user(['-o', 'User=x', 'bb@host']), 'bb');
  assert.equal(user(['host']), undefined);
});

test('the options before the destination are counted', () => {
  assert.equal(splitArguments(['-v', '-p', '22', 'h', '-q']).optionsBeforeDestination, 3);
  assert.equal(splitArguments(['h', '-q']).optionsBeforeDestination, 0);
  assert.equal(splitArguments(['-q', '--', 'h']).optionsBeforeDestination, 1);
  assert.equal(splitArguments(['-q']).optionsBeforeDestination, 1);
});

test('-e: one character, ^X, none; anything else is ssh\'s "Bad escape character"', () => {
  assert.deepEqual(parseEscapeChar('~'), { value: '~' });
  assert.deepEqual(parseEscapeChar('#'), { value: '#' });
  assert.deepEqual(parseEscapeChar('^]'), { value: '\x1d' });
  assert.deepEqual(parseEscapeChar('^a'), { value: '\x01' });
  assert.deepEqual(parseEscapeChar('none'), { value: undefined });
  assert.deepEqual(parseEscapeChar('^'), { value: '^' });
  for (const bad of ['ab', '^1', '^\x7f\x7f', '', 'nonE']) {
    assert.throws(() => parseEscapeChar(bad), (e) => e instanceof BadArgumentError && e.message === `Bad escape character '${bad}'.`);
  }
  assert.deepEqual(parseTsshArgs(['-e', '^]', '-e', '%', 'h']).escapeChar, { value: '%' });
  assert.equal(parseTsshArgs(['h']).escapeChar, undefined);
  assert.throws(() => parseTsshArgs(['-e', 'xx', '-e', '%', 'h']), BadArgumentError);
});

test('-f goes to the background and implies -n', () => {
  const f = parseTsshArgs(['-f', 'h', 'true']);
  assert.equal(f.fork, true);
  assert.equal(f.stdinNull, true);
  const plain = parseTsshArgs(['h']);
  assert.equal(plain.fork, false);
  assert.equal(plain.stdinNull, false);
});
